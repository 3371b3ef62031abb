//! chasquid (github.com/albertito/chasquid, `blitiri.com.ar/go/chasquid`): how its SMTP
//! courier reads MTA-STS.
//!
//! Read from source (Go; it cannot be built here):
//!
//! * `internal/sts/sts.go` @ `0ee7cb4cce8bce50844e8d3c32a1d218e548e98b` (`hasSTSRecord`,
//!   `httpGet`, `parsePolicy`, `Policy.Check`, `MXIsAllowed`, `matchDomain`, `PolicyCache`);
//! * `internal/courier/smtp.go` @ `02322a74e692d1eabbdefa55f1ddf7f37a6224f6` (what delivery does
//!   with the policy);
//! * `cmd/smtp-check/smtp-check.go` @ `0210c5fd9248ce1ef292ab81daab7b39b18cddd0`.
//!
//! Debian bookworm's `chasquid` 1.11-2+b2 (`chasquid -version`: source date 2023-04-09) was
//! installed and its binaries' strings compared with those files: every message of the two
//! files above is in `/usr/bin/chasquid` (`MTA-STS TXT record missing`, `invalid HTTP media
//! type`, `"%q skipped as per MTA-STA policy"`, ...), and the older texts (the
//! `experimental__enable_sts` flag, `filterMXs`) are not.
//!
//! `chasquid-util` has no STS subcommand. Debian's `smtp-check <domain>` calls the real
//! `sts.UncheckedFetch` (TXT check, HTTPS fetch, parse), `Policy.Check` and, per MX host,
//! `MXIsAllowed`, printing the parsed policy; it was run against stub DNS and HTTPS servers on
//! loopback inside a private network and mount namespace (`unshare`; `/etc/resolv.conf`
//! bind-mounted there only, the stub CA given by `SSL_CERT_FILE`), see
//! `tests/conformance/adapters/chasquid/`. Every reading in the tables below marked "run"
//! is what it printed. One thing differs from the source read: 1.11 also refuses a `max_age`
//! above 31557600 seconds (31557600 passes, 31557601 fails); this model follows 1.11.
//!
//! In short: the TXT record set is only asked whether some record starts with `v=STSv1;`
//! (exactly; the id is never read). The response must be 200 with media type `text/plain`;
//! only the first 10 KiB of the body are read (a longer body is cut, not refused). Lines
//! without a `:` are skipped (blank lines included), keys and values are trimmed, keys are
//! case-sensitive, the last `version`/`mode`/`max_age` wins, `mx` values are not checked. The
//! policy must then have version `STSv1`, a known mode, `max_age` > 0 and at least one `mx`
//! (for mode `none` too) and `max_age` at most 31557600. Matching lower-cases both names, drops one trailing dot from each,
//! and lets `*.` stand for exactly one label; it only matters in `enforce`.
//!
//! Not modelled: `matchDomain` also converts U-labels to `xn--` form (Go `idna.ToASCII`), so a
//! U-label pattern matches its A-label MX host there; here names are compared as written.

use super::maddy::go;
use super::model::{Basis, Model, PolicyRead, ReadPolicy, Response, TxtRead};

/// chasquid, as read from its source.
pub static MODEL: Model = Model {
    id: "chasquid",
    name: "chasquid",
    version: "1.11",
    basis: Basis::Run("debian chasquid=1.11-2+b2 (its smtp-check runs internal/sts)"),
    #[cfg(feature = "docs")]
    sources: &[
        "version read: 1.11 (Debian 1.11-2+b2); internal/sts/sts.go @ 0ee7cb4c",
        "github.com/albertito/chasquid internal/sts/sts.go @ 0ee7cb4cce8bce50844e8d3c32a1d218e548e98b",
        "github.com/albertito/chasquid internal/courier/smtp.go @ 02322a74e692d1eabbdefa55f1ddf7f37a6224f6",
        "github.com/albertito/chasquid cmd/smtp-check/smtp-check.go @ 0210c5fd9248ce1ef292ab81daab7b39b18cddd0",
        "Debian bookworm chasquid 1.11-2+b2 (binary strings compared, not run)",
    ],
    #[cfg(feature = "docs")]
    notes: "testing and none: the policy does nothing (every MX host is allowed, TLS is not \
            required, nothing is reported); enforce: MX hosts that do not match are skipped, \
            and delivery needs STARTTLS with a certificate valid for the MX name (otherwise a \
            temporary failure and the next MX). A failed fetch (no TXT record starting \
            \"v=STSv1;\", a DNS error, a bad status or media type, an invalid policy) with \
            nothing cached: delivers as if the domain had no policy. A cached policy is used \
            until its max_age runs out, the TXT id never being compared; every 10 minutes all \
            cached domains are fetched again, a failure keeping the old copy.",
    txt,
    policy,
    matches,
};

/// `httpGet` reads at most this many bytes, silently (`io.LimitedReader`).
const READ_LIMIT: usize = 10 * 1024;

/// `hasSTSRecord`: any record starting with `v=STSv1;` will do, whatever follows; the id is
/// never read, so the id reported is empty.
pub fn txt(records: &[&str]) -> TxtRead {
    if records.iter().any(|r| r.starts_with("v=STSv1;")) {
        TxtRead::Policy { id: String::new() }
    } else {
        TxtRead::NoPolicy("no TXT record starts with \"v=STSv1;\"".into())
    }
}

/// `httpGet`, `parsePolicy` and `Policy.Check`, as `sts.Fetch` chains them.
pub fn policy(response: &Response<'_>) -> PolicyRead {
    if response.status != 200 {
        return PolicyRead::NoPolicy(format!(
            "HTTP status {} (only 200 is accepted)",
            response.status
        ));
    }
    match go::media_type(response.content_type.unwrap_or("")) {
        Some(t) if t == "text/plain" => {}
        Some(t) => return PolicyRead::NoPolicy(format!("media type {t:?} is not text/plain")),
        None => {
            return PolicyRead::NoPolicy("the Content-Type is absent or malformed".into());
        }
    }
    let body = &response.body[..response.body.len().min(READ_LIMIT)];
    match check(&parse(body)) {
        Ok(p) => PolicyRead::Policy(p),
        Err(why) => PolicyRead::NoPolicy(why.into()),
    }
}

/// What `parsePolicy` keeps.
#[derive(Default)]
struct Parsed {
    version: String,
    mode: String,
    /// Seconds as `Atoi` gave them (its value is used even on error: 0, or a bound).
    max_age: i64,
    mx: Vec<String>,
}

fn parse(body: &[u8]) -> Parsed {
    let mut p = Parsed::default();
    // 10 KiB never reaches the scanner's 64 KiB line limit.
    for line in go::scan_lines(body).unwrap_or_default() {
        let line = String::from_utf8_lossy(line);
        let Some((key, value)) = line.split_once(':') else {
            continue; // blank lines and lines without a colon are skipped
        };
        let value = go::trim_space(value);
        match go::trim_space(key) {
            "version" => value.clone_into(&mut p.version),
            "mode" => value.clone_into(&mut p.mode),
            "max_age" => p.max_age = go::atoi(value).unwrap_or_else(|v| v),
            "mx" => p.mx.push(value.to_lowercase()),
            _ => {}
        }
    }
    p
}

/// `Policy.Check`. `MaxAge` is a Go `time.Duration`: the seconds times 10^9 in a signed 64-bit
/// integer, wrapping on overflow; it must come out above zero and (in 1.11, seen by running
/// it) at most 31557600 seconds.
fn check(p: &Parsed) -> Result<ReadPolicy, &'static str> {
    const NANOS: i64 = 1_000_000_000;
    const MAX_SECONDS: i64 = 31_557_600;
    if p.version != "STSv1" {
        return Err("version is not STSv1");
    }
    let lifetime = p.max_age.wrapping_mul(NANOS);
    if lifetime <= 0 || lifetime > MAX_SECONDS * NANOS {
        return Err("max_age is missing, not a number, not in 1..=31557600, or overflows");
    }
    if !matches!(p.mode.as_str(), "enforce" | "testing" | "none") {
        return Err("mode is not enforce, testing or none (case matters)");
    }
    if p.mx.is_empty() {
        return Err("no mx field (chasquid requires one even for mode none)");
    }
    Ok(ReadPolicy {
        mode: p.mode.clone(),
        // The number read; for a negative one that wraps to a positive lifetime (accepted),
        // the lifetime it applies, in whole seconds.
        max_age: u64::try_from(p.max_age).unwrap_or((lifetime / NANOS).unsigned_abs()),
        mx: p.mx.clone(),
    })
}

/// `matchDomain(host, pattern)`: both lose one trailing dot and are lower-cased; equal names
/// match, and a `*.` pattern matches a host whose part after its first dot equals the rest.
pub fn matches(pattern: &str, host: &str) -> bool {
    let norm = |s: &str| s.strip_suffix('.').unwrap_or(s).to_lowercase();
    let (pattern, host) = (norm(pattern), norm(host));
    if host == pattern {
        return true;
    }
    pattern.strip_prefix("*.").is_some_and(|rest| {
        host.split_once('.')
            .is_some_and(|(_, host_rest)| host_rest == rest)
    })
}

/// The tables. Run with Debian's `smtp-check` 1.11 (stub DNS and HTTPS, see the module doc),
/// and read as here: TXT `v=STSv1;`, `v=STSv1 ; id=1`, `hello` + `v=STSv1;garbage`,
/// `v=stsv1; id=1`, two valid records, none; status 404, 301, 500; Content-Type absent,
/// `text/html`, `Text/Plain; charset=latin1`, `text/plain; charset`, `text/plain;`,
/// `text/plain; a=1; a=2`; blank lines (leading, inner, trailing), BOM, `Mode:`, `Enforce`,
/// indentation and ` :`, repeated mode and version, mode none without mx, bare CR, CRLF,
/// a non-UTF-8 byte, the 10 KiB cut (of an mx line, of the max_age line); the `max_age` values
/// of `max_age_bounds`; mx `MAIL.Example.TEST`, `mail.example.test.`, `*.example.test`
/// against `mail.`, `a.b.` and the bare domain, another host in enforce and in testing, a
/// colon in the value (the MX host as Go's resolver gives it, with its trailing dot). The rest
/// is read from the source.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::senders::model::tables::{check_bodies, read_ok as ok};

    fn read_response(status: u16, content_type: Option<&str>, body: &[u8]) -> PolicyRead {
        policy(&Response {
            status,
            content_type,
            body,
        })
    }

    fn read(body: &str) -> PolicyRead {
        read_response(200, Some("text/plain"), body.as_bytes())
    }

    const BASE: &str = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400";

    #[test]
    fn txt_record_sets() {
        let yes = || Some(TxtRead::Policy { id: String::new() });
        let cases: &[(&[&str], Option<TxtRead>)] = &[
            (&["v=STSv1; id=20160831085700Z"], yes()),
            (&["v=STSv1;id=abc"], yes()),
            // Anything after "v=STSv1;" will do: no id, a bad id, garbage.
            (&["v=STSv1;"], yes()),
            (&["v=STSv1; id="], yes()),
            (&["v=STSv1; id=test-123; id=x"], yes()),
            (&["v=STSv1;garbage"], yes()),
            // Several records, related or not: fine if one qualifies.
            (&["v=STSv1; id=a", "v=STSv1; id=b"], yes()),
            (&["hello", "v=STSv1; id=a"], yes()),
            (&["v=spf1 -all", "v=STSv1; id=a", "x"], yes()),
            // The prefix is exact: no space before ";", no other case, nothing before it.
            (&["v=STSv1 ; id=a"], None),
            (&["v=STSv1"], None),
            (&["v=stsv1; id=a"], None),
            (&[" v=STSv1; id=a"], None),
            (&["id=a; v=STSv1;"], None),
            (&["v=STSv10; id=a"], None),
            (&["hello"], None),
            (&[], None),
        ];
        for (records, want) in cases {
            let got = txt(records);
            match want {
                Some(w) => assert_eq!(&got, w, "{records:?}"),
                None => assert!(matches!(got, TxtRead::NoPolicy(_)), "{records:?}: {got:?}"),
            }
        }
    }

    #[test]
    fn lines_keys_and_whitespace() {
        let enforce = || ok("enforce", 86400, &["mail.example.com"]);
        check_bodies(
            policy,
            &[
                (BASE, enforce()),
                (&format!("{BASE}\n"), enforce()),
                (&BASE.replace('\n', "\r\n"), enforce()),
                (
                    "version: STSv1\r\nmode: enforce\nmx: mail.example.com\r\nmax_age: 86400\n",
                    enforce(),
                ),
                // Blank lines anywhere, and lines without a colon, are skipped.
                (&format!("{BASE}\n\n"), enforce()),
                (&format!("{BASE}\r\n\r\n\r\n"), enforce()),
                (&format!("\n\n{BASE}"), enforce()),
                (&BASE.replace("\nmx", "\n\nmx"), enforce()),
                (&format!("{BASE}\nnot a field\n   "), enforce()),
                // A bare CR does not end a line: "version" reads "STSv1\rmode: ...".
                (&BASE.replace('\n', "\r"), None),
                // Keys and values are trimmed: indentation and spaces around ":" are fine.
                (
                    &BASE.replace("mode: enforce", "  mode :\tenforce  "),
                    enforce(),
                ),
                (&BASE.replace("mode: enforce", "\tmode:enforce"), enforce()),
                // Key and value case matter.
                (&BASE.replace("mode", "Mode"), None),
                (&BASE.replace("enforce", "Enforce"), None),
                (&BASE.replace("STSv1", "stsv1"), None),
                // A BOM glues onto the first key, which becomes unknown: version is missing.
                (&format!("\u{feff}{BASE}"), None),
                (&format!("\u{feff}\n{BASE}"), enforce()),
                ("", None),
            ],
        );
    }

    #[test]
    fn repeats_unknown_and_missing_fields() {
        check_bodies(
            policy,
            &[
                // The last version, mode and max_age win; earlier ones do not matter.
                (
                    &format!("{BASE}\nmode: testing"),
                    ok("testing", 86400, &["mail.example.com"]),
                ),
                (
                    &format!("mode: bogus\n{BASE}"),
                    ok("enforce", 86400, &["mail.example.com"]),
                ),
                (&format!("{BASE}\nmode: bogus"), None),
                (
                    &format!("{BASE}\nmax_age: 5"),
                    ok("enforce", 5, &["mail.example.com"]),
                ),
                (&format!("{BASE}\nmax_age: x"), None),
                (&format!("{BASE}\nversion: STSv2"), None),
                (
                    &format!("version: STSv2\n{BASE}"),
                    ok("enforce", 86400, &["mail.example.com"]),
                ),
                // Unknown keys are ignored, whatever their value.
                (
                    &format!("{BASE}\nfoo: a:b:c\nfoo:"),
                    ok("enforce", 86400, &["mail.example.com"]),
                ),
                // mx: all kept, lower-cased, unchecked; a colon stays in the value.
                (
                    &format!("{BASE}\nmx: *.Backup.Example.com\nmx: [2001:db8::1]"),
                    ok(
                        "enforce",
                        86400,
                        &["mail.example.com", "*.backup.example.com", "[2001:db8::1]"],
                    ),
                ),
                // Missing fields.
                ("mode: enforce\nmx: mail.example.com\nmax_age: 86400", None),
                ("version: STSv1\nmx: mail.example.com\nmax_age: 86400", None),
                ("version: STSv1\nmode: enforce\nmx: mail.example.com", None),
                ("version: STSv1\nmode: enforce\nmax_age: 86400", None),
                // Even mode none needs an mx.
                ("version: STSv1\nmode: none\nmax_age: 86400", None),
                (
                    "version: STSv1\nmode: none\nmx: x\nmax_age: 86400",
                    ok("none", 86400, &["x"]),
                ),
                // The version line need not be first.
                (
                    "mode: enforce\nmx: mail.example.com\nmax_age: 86400\nversion: STSv1",
                    ok("enforce", 86400, &["mail.example.com"]),
                ),
            ],
        );
    }

    #[test]
    fn max_age_bounds() {
        let with = |v: &str| BASE.replace("86400", v);
        let age = |n: u64| ok("enforce", n, &["mail.example.com"]);
        // All run (smtp-check 1.11) but the `-999…` one.
        check_bodies(
            policy,
            &[
                (&with("0"), None),
                (&with("1"), age(1)),
                (&with("31536000"), age(31_536_000)),
                (&with("31557599"), age(31_557_599)),
                (&with("31557600"), age(31_557_600)),
                (&with("31557601"), None),
                (&with("31622400"), None),
                (&with("2147483648"), None),
                (&with("0086400"), age(86400)),
                (&with("+86400"), age(86400)),
                (&with("-1"), None),
                (&with("1e3"), None),
                // The lifetime in nanoseconds wraps: 9223372036 fits (too long), 9223372037 turns
                // negative; 18446744074 wraps round to a positive 0.29 s: accepted.
                (&with("9223372036"), None),
                (&with("9223372037"), None),
                (&with("9999999999"), None),
                (&with("18446744074"), age(18_446_744_074)),
                // Atoi's overflow bounds, times 10^9, wrap to -10^9 and to 0: refused.
                (&with("99999999999999999999"), None),
                (&with("-99999999999999999999"), None),
                // A negative number that wraps to a positive lifetime: accepted (1.7 s applied).
                (&with("-18446744072"), age(1)),
            ],
        );
    }

    #[test]
    fn the_response() {
        let body = BASE.as_bytes();
        let good = ok("enforce", 86400, &["mail.example.com"])
            .unwrap_or(PolicyRead::NoPolicy(String::new()));
        for status in [201, 204, 301, 302, 304, 307, 308, 404, 500] {
            assert!(
                matches!(
                    read_response(status, Some("text/plain"), body),
                    PolicyRead::NoPolicy(_)
                ),
                "{status}"
            );
        }
        for ct in [
            "text/plain",
            "Text/Plain",
            "text/plain; charset=utf-8",
            "text/plain; charset=latin1",
        ] {
            assert_eq!(read_response(200, Some(ct), body), good, "{ct:?}");
        }
        for ct in [
            None,
            Some(""),
            Some("text/html"),
            Some("text/plain; charset"),
            Some("text/plain; a=1; a=2"),
        ] {
            assert!(
                matches!(read_response(200, ct, body), PolicyRead::NoPolicy(_)),
                "{ct:?}"
            );
        }
        // Non-UTF-8 bytes are read as they are.
        let mut latin = body.to_vec();
        latin.extend_from_slice(b"\nfoo: caf\xe9");
        assert_eq!(read_response(200, Some("text/plain"), &latin), good);
        // Only the first 10 KiB are read: what follows is lost, a line may be cut.
        // `keep` bytes of `tail` fall within the limit.
        let padded = |keep: usize, tail: &str| {
            let mut b = format!("{BASE}\nfoo: ").into_bytes();
            b.resize(READ_LIMIT - keep, b'x');
            b.extend_from_slice(tail.as_bytes());
            b
        };
        assert_eq!(
            read_response(200, Some("text/plain"), &padded(1, "\nmx: a.example.com")),
            good
        );
        assert_eq!(
            read_response(
                200,
                Some("text/plain"),
                &padded(8, "\nmx: b\nmode: testing")
            ),
            ok("enforce", 86400, &["mail.example.com", "b"])
                .unwrap_or(PolicyRead::NoPolicy(String::new())),
        );
        let cut = format!(
            "version: STSv1\nmode: enforce\nmx: a\nfoo: {}\nmax_age: 86400",
            "x".repeat(READ_LIMIT)
        );
        assert!(matches!(read(&cut), PolicyRead::NoPolicy(_)));
    }

    #[test]
    fn matching() {
        let cases = [
            ("mail.example.com", "mail.example.com", true),
            ("mail.example.com", "mail.example.com.", true),
            ("mail.example.com.", "mail.example.com", true),
            ("mail.example.com..", "mail.example.com", false),
            ("Mail.Example.COM", "mail.example.com", true),
            ("mail.example.com", "MAIL.EXAMPLE.COM.", true),
            ("mail.example.com", "other.example.com", false),
            ("*.example.com", "mail.example.com", true),
            ("*.example.com", "mail.example.com.", true),
            ("*.example.com.", "MAIL.example.com", true),
            ("*.example.com", "example.com", false),
            ("*.example.com", "a.b.example.com", false),
            ("*.example.com", "mail.example.org", false),
            ("*", "mail.example.com", false),
            ("*.example.com", "*.example.com", true),
            ("", "mail.example.com", false),
        ];
        for (pattern, host, want) in cases {
            assert_eq!(matches(pattern, host), want, "{pattern} vs {host}");
        }
    }
}
