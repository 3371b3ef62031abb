//! postfix-tlspol (Go, github Zuplu/postfix-tlspol), a socketmap daemon giving Postfix DANE and
//! MTA-STS policies, and what Postfix then does with its answer.
//!
//! Read from source only (it is not on a registry this project reaches): `internal/mta-sts.go`
//! at commit 020bce3680061f546a6727c637ad3d9addbac290 (later than v1.8.17, the last release in
//! the stored `CHANGELOG.md`), `internal/utils/valid/valid.go` at 41e91f0468400ace57780aaa01c43e22145f3f08,
//! `internal/server.go` at 0195b81175eb877629dbd8efb543d222e4495a1f. The unit tables are the
//! model's proof.
//!
//! What it reads:
//!
//! * **TXT**: it fetches the policy as soon as any TXT string at `_mta-sts` begins with
//!   `v=STSv1`; it never parses the record, so several records, a missing or malformed `id`
//!   and other fields change nothing. It reads no id: [`TxtRead::Policy`] carries an empty one.
//!   (It tests each character-string of a record on its own; this model, given joined records,
//!   tests the record's start.)
//! * **Response**: only a 200 (redirects are not followed); `Content-Type`, charset and size are
//!   not checked, but Go's line scanner gives up on a line over 65535 bytes.
//! * **Body**: lines end at LF (a CR before it is dropped; a lone CR is not a line end); each
//!   line is trimmed (Unicode white space), blank lines are skipped anywhere, a line that is not
//!   valid UTF-8 or has no `:` rejects the whole policy, a line with `{` or `}` is skipped. Key
//!   and value are trimmed; keys are case-sensitive; for every key but `mx` the first line wins
//!   and later ones are ignored (even invalid ones). `version` must be `STSv1`, `mode` one of
//!   `enforce`, `testing`, `none` (case-sensitive), `max_age` digits only (leading zeros fine,
//!   no sign), capped at 31557600; both `version` and `max_age` are required, `mode` is not.
//!   Each `mx` must be a host name (LDH labels, an optional trailing dot, not an IPv4 address)
//!   or `*.` and one, else the whole policy is rejected; it is lower-cased.
//!
//! What it hands Postfix (`parseMtaStsPolicy`): only for `enforce` with at least one `mx`,
//! `secure match=P1:P2:... servername=hostname`, each `*.x` as `.x`; otherwise nothing (Postfix
//! falls back to its own TLS level). Postfix then checks the certificate, not the MX name, against
//! the patterns: `postfix_mta_sts_resolver::postfix_accepts` is that model. (With TLSRPT
//! enabled it adds `policy_type=sts` and `mx_host_pattern=` attributes, and Postfix 3.10 and later
//! may then check the MX name against the patterns instead; not covered.)

use super::model::{Basis, Model, PolicyRead, ReadPolicy, Response, TxtRead};
use super::postfix_mta_sts_resolver::{postfix_accepts, NEXTHOP};

/// postfix-tlspol at commit 020bce36, with Postfix's `match=` handling.
pub static MODEL: Model = Model {
    id: "postfix-tlspol",
    name: "postfix-tlspol (Postfix)",
    version: "main 020bce36",
    basis: Basis::Source,
    #[cfg(feature = "docs")]
    sources: &[
        "version read: main @ 020bce3680061f546a6727c637ad3d9addbac290 (after v1.8.17)",
        "Zuplu/postfix-tlspol internal/mta-sts.go @ 020bce3680061f546a6727c637ad3d9addbac290",
        "Zuplu/postfix-tlspol internal/utils/valid/valid.go @ 41e91f0468400ace57780aaa01c43e22145f3f08",
        "Zuplu/postfix-tlspol internal/server.go @ 0195b81175eb877629dbd8efb543d222e4495a1f",
        "Zuplu/postfix-tlspol CHANGELOG.md @ b3fdad7f5585beabbd6afb241fe751ffdbfe19a6 (v1.8.17)",
        "Postfix and OpenSSL, as for postfix-mta-sts-resolver: smtp_tls_policy.c, tls_client.c, \
         v3_utl.c, TLS_README (https://www.postfix.org/TLS_README.html)",
    ],
    #[cfg(feature = "docs")]
    notes: "testing, none, or enforce without a valid mx: no policy for Postfix (NOTFOUND), so \
            mail goes out under Postfix's own TLS level; a DANE policy, when the domain has one, \
            is used before MTA-STS. A failed fetch (DNS or HTTP error, after up to three tries) \
            or a non-200 answer: no MTA-STS policy; an invalid policy: none either. With a \
            policy, Postfix checks the certificate against the patterns at the secure level and \
            defers the mail when none matches.",
    txt,
    policy,
    matches,
};

/// The largest line Go's `bufio.Scanner` returns (its 64 KiB buffer, less the newline).
const LINE_LIMIT: usize = 64 * 1024 - 1;

/// The cap applied to `max_age`.
const MAX_AGE: u64 = 31_557_600;

fn txt(records: &[&str]) -> TxtRead {
    if records.iter().any(|r| r.starts_with("v=STSv1")) {
        TxtRead::Policy { id: String::new() }
    } else {
        TxtRead::NoPolicy("no TXT record starts with exactly v=STSv1".to_owned())
    }
}

fn policy(response: &Response<'_>) -> PolicyRead {
    if response.status != 200 {
        return PolicyRead::NoPolicy(format!(
            "HTTP status {} (only 200 is read)",
            response.status
        ));
    }
    let mut lines: Vec<&[u8]> = response.body.split(|&b| b == b'\n').collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    let mut parser = Parser::default();
    for line in lines {
        if line.len() > LINE_LIMIT {
            return PolicyRead::NoPolicy("a line longer than 65535 bytes".to_owned());
        }
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Err(reason) = parser.line(line) {
            return PolicyRead::NoPolicy(reason);
        }
    }
    parser.finish()
}

/// What `mtaStsPolicyParser` keeps.
#[derive(Default)]
struct Parser {
    seen: Vec<String>,
    mode: Option<String>,
    max_age: Option<u64>,
    version: bool,
    mx: Vec<String>,
}

impl Parser {
    fn line(&mut self, raw: &[u8]) -> Result<(), String> {
        // Trimming never removes an invalid byte, so such a line is never blank.
        let Ok(text) = std::str::from_utf8(raw) else {
            return Err("a line is not valid UTF-8".to_owned());
        };
        let line = text.trim();
        if line.is_empty() || line.contains(['{', '}']) {
            return Ok(());
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("a line has no colon: {line:?}"));
        };
        let (key, value) = (key.trim(), value.trim());
        if key != "mx" && self.seen.iter().any(|k| k == key) {
            return Ok(());
        }
        self.seen.push(key.to_owned());
        match key {
            "version" if value != "STSv1" => return Err("version is not STSv1".to_owned()),
            "version" => self.version = true,
            "mx" => {
                if !valid_mx(value) {
                    return Err(format!("mx {value:?} is not a host name or *. pattern"));
                }
                self.mx.push(value.to_ascii_lowercase());
            }
            "mode" if matches!(value, "enforce" | "testing" | "none") => {
                self.mode = Some(value.to_owned());
            }
            "mode" => return Err("mode is not enforce, testing or none (case matters)".to_owned()),
            "max_age" => {
                let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
                let Some(age) = digits.then(|| value.parse::<u64>().ok()).flatten() else {
                    return Err("max_age is not a number of at most 20 digits".to_owned());
                };
                // Capped here, before any cache: this is the value it applies.
                self.max_age = Some(age.min(MAX_AGE));
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(self) -> PolicyRead {
        let (true, Some(max_age)) = (self.version, self.max_age) else {
            return PolicyRead::NoPolicy("no version: STSv1 or no max_age line".to_owned());
        };
        // It enforces only `enforce` with a pattern; anything else it hands over as nothing.
        let mode = match self.mode.as_deref() {
            Some("enforce") if self.mx.is_empty() => "none",
            Some(mode) => mode,
            None => "none",
        };
        PolicyRead::Policy(ReadPolicy {
            mode: mode.to_owned(),
            max_age,
            mx: self.mx,
        })
    }
}

/// `valid.IsDNSName` on the pattern, or on what follows `*.`.
fn valid_mx(value: &str) -> bool {
    is_dns_name(value.strip_prefix("*.").unwrap_or(value))
}

/// `valid.IsDNSName`: at most 253 bytes, one optional trailing dot, LDH labels of 1..=63 that
/// neither start nor end with `-`, and not a dotted-quad IPv4 address.
fn is_dns_name(s: &str) -> bool {
    if s.is_empty() || s.len() > 253 {
        return false;
    }
    let s = s.strip_suffix('.').unwrap_or(s);
    !s.is_empty()
        && !is_ipv4(s)
        && s.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Go's `net.ParseIP` for the IPv4 form: four decimal fields of 0..=255, no leading zeros.
fn is_ipv4(s: &str) -> bool {
    let fields: Vec<&str> = s.split('.').collect();
    fields.len() == 4
        && fields.iter().all(|f| {
            (1..=3).contains(&f.len())
                && f.bytes().all(|b| b.is_ascii_digit())
                && (f.len() == 1 || !f.starts_with('0'))
                && f.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// Does the pattern, as postfix-tlspol hands it to Postfix, accept a certificate for `host`?
fn matches(pattern: &str, host: &str) -> bool {
    // As read from an `mx:` line (idempotent on a stored pattern): a line with a brace is
    // skipped, an invalid pattern rejects the policy.
    let p = pattern.trim();
    if p.contains(['{', '}']) || !valid_mx(p) {
        return false;
    }
    let p = p.to_ascii_lowercase();
    let handed = p.strip_prefix('*').unwrap_or(&p);
    postfix_accepts(
        &format!("secure match={handed} servername=hostname"),
        host,
        NEXTHOP,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn txt_table() {
        let rows: &[(&[&str], bool)] = &[
            (&[], false),
            (&["v=STSv1; id=abc"], true),
            (&["v=STSv1"], true),
            (&["v=STSv1; id=a", "v=STSv1; id=b"], true),
            (&["v=STSv1; id=abc", "v=spf1 -all"], true),
            (&["v=spf1 -all"], false),
            (&["v=STSv10; id=abc"], true),
            (&["v=STSv1id"], true),
            (&[" v=STSv1; id=abc"], false),
            (&["V=STSv1; id=abc"], false),
            (&["v=stsv1; id=abc"], false),
            (&["v=STSv1; id=!!!; ext=\u{e9}"], true),
            (&[""], false),
        ];
        for (records, policy) in rows {
            let got = txt(records);
            assert_eq!(
                matches!(got, TxtRead::Policy { .. }),
                *policy,
                "{records:?}"
            );
            if let TxtRead::Policy { id } = got {
                assert_eq!(id, "", "it reads no id");
            }
        }
    }

    /// A reading as (mode, max_age, mx), `None` for no policy.
    type Read = Option<(String, u64, Vec<String>)>;

    fn read(status: u16, content_type: Option<&str>, body: &[u8]) -> Read {
        match policy(&Response {
            status,
            content_type,
            body,
        }) {
            PolicyRead::Policy(p) => Some((p.mode, p.max_age, p.mx)),
            PolicyRead::NoPolicy(_) => None,
        }
    }

    const OK: &str =
        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n";

    fn enforce(max_age: u64, mx: &[&str]) -> Read {
        Some((
            "enforce".to_owned(),
            max_age,
            mx.iter().map(|s| (*s).to_owned()).collect(),
        ))
    }

    #[test]
    fn response_table() {
        let std = enforce(86400, &["mail.example.com"]);
        for status in [201, 204, 301, 302, 304, 404, 500] {
            assert_eq!(
                read(status, Some("text/plain"), OK.as_bytes()),
                None,
                "{status}"
            );
        }
        // Content-Type and charset are not looked at; bytes are read as UTF-8 lines.
        for content_type in [
            None,
            Some("text/html"),
            Some("text/plain; charset=latin1"),
            Some("application/json"),
        ] {
            assert_eq!(
                read(200, content_type, OK.as_bytes()),
                std,
                "{content_type:?}"
            );
        }
        let e9 = format!("{OK}note: caf\u{e9}\r\n");
        assert_eq!(read(200, None, e9.as_bytes()), std);
        let latin_e9 = [OK.as_bytes(), b"note: caf\xe9\r\n"].concat();
        assert_eq!(read(200, None, &latin_e9), None);
        let bom = [b"\xef\xbb\xbf", OK.as_bytes()].concat();
        assert_eq!(read(200, None, &bom), None);
        // No size limit but a line's.
        let big = format!("{OK}{}", "x: y\r\n".repeat(20_000));
        assert_eq!(read(200, None, big.as_bytes()), std);
        let long = |n: usize| format!("{OK}x: {}\n", "a".repeat(n - 3));
        assert_eq!(read(200, None, long(65535).as_bytes()), std);
        assert_eq!(read(200, None, long(65536).as_bytes()), None);
    }

    #[test]
    fn body_table() {
        let (v, m, x, a) = (
            "version: STSv1",
            "mode: enforce",
            "mx: mail.example.com",
            "max_age: 86400",
        );
        let std = enforce(86400, &["mail.example.com"]);
        let none = |mx: &[&str]| {
            Some((
                "none".to_owned(),
                86400,
                mx.iter().map(|s| (*s).to_owned()).collect(),
            ))
        };
        let rows: Vec<(String, Read)> = vec![
            (OK.to_owned(), std.clone()),
            (format!("{v}\n{m}\n{x}\n{a}\n"), std.clone()),
            (format!("{v}\n{m}\n{x}\n{a}"), std.clone()),
            (format!("{v}\r\n{m}\n{x}\r\n{a}"), std.clone()),
            // A lone CR does not end a line: the version value runs on.
            (format!("{v}\r{m}\r{x}\r{a}\r"), None),
            // Blank lines anywhere, a trailing one too, and indentation are fine.
            (format!("{OK}\r\n"), std.clone()),
            (format!("{v}\n{m}\n{x}\n{a}\n\n"), std.clone()),
            (
                format!("\r\n{v}\r\n\r\n{m}\r\n{x}\r\n{a}\r\n \t\r\n"),
                std.clone(),
            ),
            (
                format!("  {v}\r\n\t{m}\r\n{x}  \r\n{a}\u{a0}\r\n"),
                std.clone(),
            ),
            (
                "version : STSv1\r\nmode :enforce\r\nmx:mail.example.com\r\nmax_age:   86400\r\n"
                    .to_owned(),
                std.clone(),
            ),
            // Keys are case-sensitive: Mode is an unknown key, so no mode, so nothing enforced.
            (
                format!("{v}\r\nMode: enforce\r\n{x}\r\n{a}\r\n"),
                none(&["mail.example.com"]),
            ),
            (
                "Version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 1\r\n".to_owned(),
                None,
            ),
            (format!("{v}\r\nmode: Enforce\r\n{x}\r\n{a}\r\n"), None),
            (
                "version: stsv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 1\r\n".to_owned(),
                None,
            ),
            // First wins for every key but mx; a later invalid one is ignored.
            (
                format!("{v}\r\n{m}\r\nmode: testing\r\n{x}\r\n{a}\r\n"),
                std.clone(),
            ),
            (
                format!("{v}\r\nmode: testing\r\n{m}\r\n{x}\r\n{a}\r\n"),
                Some((
                    "testing".to_owned(),
                    86400,
                    vec!["mail.example.com".to_owned()],
                )),
            ),
            (
                format!(
                    "{v}\r\n{m}\r\nmode: bogus\r\nversion: STSv9\r\n{x}\r\n{a}\r\nmax_age: x\r\n"
                ),
                std.clone(),
            ),
            (format!("{OK}max_age: 5\r\n"), std.clone()),
            (
                format!("{v}\r\n{m}\r\n{x}\r\nmx: MAIL.Example.com\r\n{a}\r\n"),
                enforce(86400, &["mail.example.com", "mail.example.com"]),
            ),
            // Version anywhere; required, as max_age is; mode is not.
            (format!("{m}\r\n{x}\r\n{a}\r\n{v}\r\n"), std.clone()),
            (format!("{m}\r\n{x}\r\n{a}\r\n"), None),
            (format!("{v}\r\n{m}\r\n{x}\r\n"), None),
            (
                format!("{v}\r\n{x}\r\n{a}\r\n"),
                none(&["mail.example.com"]),
            ),
            (format!("{v}\r\nmode: none\r\n{a}\r\n"), none(&[])),
            (format!("{v}\r\n{m}\r\n{a}\r\n"), none(&[])),
            (format!("{v}\r\nmode:\r\n{x}\r\n{a}\r\n"), None),
            // Unknown keys are ignored, a line without a colon rejects, braces are skipped.
            (
                format!("{v}\r\n{m}\r\nfoo: bar\r\nfoo: baz\r\n{x}\r\n{a}\r\n"),
                std.clone(),
            ),
            (format!("{v}\r\n{m}\r\njunk\r\n{x}\r\n{a}\r\n"), None),
            (
                format!("{v}\r\n{m}\r\nx: {{junk\r\n{x}\r\nmx: {{a}}\r\n{a}\r\n"),
                std.clone(),
            ),
            (String::new(), None),
        ];
        for (body, want) in rows {
            assert_eq!(
                read(200, Some("text/plain"), body.as_bytes()),
                want,
                "{body:?}"
            );
        }
    }

    #[test]
    fn max_age_table() {
        let rows: &[(&str, Option<u64>)] = &[
            ("0", Some(0)),
            ("31557600", Some(31_557_600)),
            ("31557601", Some(31_557_600)),
            ("1234567890", Some(31_557_600)),
            ("18446744073709551615", Some(31_557_600)),
            ("18446744073709551616", None),
            ("00086400", Some(86400)),
            ("-1", None),
            ("+86400", None),
            ("86_400", None),
            ("86400s", None),
            ("86 400", None),
            ("", None),
            ("\u{ff18}\u{ff16}", None),
        ];
        for (value, want) in rows {
            let body =
                format!("version: STSv1\r\nmode: enforce\r\nmx: m.example\r\nmax_age: {value}\r\n");
            assert_eq!(
                read(200, None, body.as_bytes()).map(|p| p.1),
                *want,
                "{value:?}"
            );
        }
    }

    #[test]
    fn mx_table() {
        let rows: &[(&str, Option<&str>)] = &[
            ("mail.example.com", Some("mail.example.com")),
            ("MAIL.Example.Com", Some("mail.example.com")),
            ("mail.example.com.", Some("mail.example.com.")),
            ("*.example.com", Some("*.example.com")),
            ("*.Example.COM.", Some("*.example.com.")),
            ("localhost", Some("localhost")),
            ("192.0.2.01", Some("192.0.2.01")),
            ("xn--bcher-kva.example", Some("xn--bcher-kva.example")),
            ("*", None),
            ("*.", None),
            ("**.example.com", None),
            ("*.*.example.com", None),
            ("m*.example.com", None),
            ("192.0.2.1", None),
            ("[192.0.2.1]", None),
            ("mail_example.com", None),
            ("-bad.example.com", None),
            ("bad-.example.com", None),
            ("mail..example.com", None),
            (".example.com", None),
            ("b\u{fc}cher.example", None),
            ("mail.example.com:25", None),
            ("a b", None),
            ("", None),
        ];
        for (mx, want) in rows {
            let body = format!("version: STSv1\r\nmode: enforce\r\nmx: {mx}\r\nmax_age: 86400\r\n");
            let got = read(200, None, body.as_bytes()).map(|p| p.2);
            assert_eq!(got, want.map(|w| vec![w.to_owned()]), "{mx:?}");
        }
        let label = "a".repeat(63);
        let ok = format!("{label}.example");
        assert!(valid_mx(&ok) && !valid_mx(&format!("a{ok}")));
        let long = format!("{}com", "abcdefghi.".repeat(25));
        // The length is checked before the trailing dot is removed.
        assert!(long.len() == 253 && valid_mx(&long) && !valid_mx(&format!("{long}.")));
        assert!(!valid_mx(&format!("a{long}")));
    }

    #[test]
    fn match_table() {
        let rows: &[(&str, &str, bool)] = &[
            ("mail.example.com", "mail.example.com", true),
            ("MAIL.example.com", "mail.example.com", true),
            ("mail.example.com", "MAIL.EXAMPLE.COM", true),
            ("mail.example.com.", "mail.example.com", false),
            ("mail.example.com", "mail.example.com.", false),
            ("*.example.com", "mail.example.com", true),
            ("*.example.com", "a.b.example.com", true),
            ("*.example.com", "example.com", false),
            ("*.example.com.", "mail.example.com", false),
            ("example.com", "mail.example.com", false),
            ("*.com", "example.com", true),
            // Invalid patterns reject the policy; Postfix's keywords are host names here too.
            ("*", "mail.example.com", false),
            ("192.0.2.1", "192.0.2.1", false),
            ("mail.example.com extra", "mail.example.com", false),
            ("hostname", "anything.example.org", true),
            ("nexthop", "example.com", true),
            ("dot-nexthop", "a.b.example.com", true),
            (" mail.example.com ", "mail.example.com", true),
            ("mail.example.com", "*.example.com", true),
        ];
        for (pattern, host, want) in rows {
            assert_eq!(matches(pattern, host), *want, "{pattern:?} {host:?}");
        }
    }
}
