//! maddy (github.com/foxcpp/maddy): how its `remote` target reads MTA-STS, through the
//! library github.com/foxcpp/go-mtasts.
//!
//! Read from source (Go; it cannot be built here):
//!
//! * maddy `go.mod` @ `2b9f373f5006eca31d04d1d200475bf260b24e5c` (and @ `0000f92f…`): it pins
//!   `github.com/foxcpp/go-mtasts v0.0.0-20191219193356-62bc3f1f74b8`;
//! * go-mtasts `mtasts.go` @ `6cf8b828be54785501cbaa5747c9b7178759282d` (`readDNSRecord`,
//!   `readPolicy`, `Policy.Match`), `dns.go` @ the same commit (`forLookup`), `cache.go` @
//!   `22f09fbee6f9bcd0b42719fc2757a7b649979ea0` (`downloadPolicy`, `Cache.fetch`),
//!   `cache_store.go` @ `62bc3f1f74b8d8572a181356a7135e1275811965`. The index holds one version
//!   of `mtasts.go` and `dns.go`; the `cache.go` read is the version it lists, which we could
//!   not tie to the pinned commit: what is modelled is that text;
//! * maddy `internal/target/remote/security.go` @ `c0ccb95120cc8cb832e4bf0a059b5e0c60d1fe4c`
//!   (`mtastsDelivery.CheckMX` / `CheckConn`), `connect.go` @
//!   `7e2849ff6ca8df85a0e4845cbe3e6daad3113803` (the MX host handed to it: as DNS returns it,
//!   with its trailing dot), `policy_group.go` @ `2d18ff5a302d48e00633f6a4db3801f9d09c554a`.
//!
//! In short: the TXT lookup must return exactly one record, and it must parse (so an unrelated
//! TXT record beside a good one means no policy). The policy is read line by line with Go's
//! `bufio.Scanner` (LF, or CRLF with the CR dropped): every line must contain exactly one `:`,
//! so a blank line anywhere (a trailing `\n\n` too) or an `mx` value with a colon refuses the
//! whole policy. Keys are compared as written (not trimmed, case-sensitive): ` mode`, `Mode`
//! and `mode ` are unknown keys, ignored. Repeated `version`/`mode`/`max_age`: each must be
//! valid and the last wins. `max_age` is Go's `Atoi` (a sign is allowed, no bound).
//! `mx` values are not checked at all. The response must be 200 with media type `text/plain`
//! (parameters, charset included, ignored); no size limit but a single line of 64 KiB or
//! more. Matching lower-cases both names, drops one trailing dot from each, and lets `*.`
//! stand for exactly one label.
//!
//! Not modelled: `forLookup` also decodes `xn--` labels to Unicode (NFC) before comparing, so
//! in maddy a U-label pattern matches its A-label MX host; here names are compared as written
//! (lower-cased), and an undecodable `xn--` label is not detected.

use super::model::{Basis, Model, PolicyRead, ReadPolicy, Response, TxtRead};

/// maddy with go-mtasts, as read from their source.
pub static MODEL: Model = Model {
    id: "maddy",
    name: "maddy (go-mtasts)",
    version: "main 2b9f373f",
    basis: Basis::Source,
    #[cfg(feature = "docs")]
    sources: &[
        "version read: maddy main (go.mod @ 2b9f373f) with go-mtasts v0.0.0-20191219193356-62bc3f1f74b8",
        "github.com/foxcpp/maddy go.mod @ 2b9f373f5006eca31d04d1d200475bf260b24e5c",
        "github.com/foxcpp/go-mtasts mtasts.go @ 6cf8b828be54785501cbaa5747c9b7178759282d",
        "github.com/foxcpp/go-mtasts dns.go @ 6cf8b828be54785501cbaa5747c9b7178759282d",
        "github.com/foxcpp/go-mtasts cache.go @ 22f09fbee6f9bcd0b42719fc2757a7b649979ea0",
        "github.com/foxcpp/go-mtasts cache_store.go @ 62bc3f1f74b8d8572a181356a7135e1275811965",
        "github.com/foxcpp/maddy internal/target/remote/security.go @ c0ccb95120cc8cb832e4bf0a059b5e0c60d1fe4c",
        "github.com/foxcpp/maddy internal/target/remote/connect.go @ 7e2849ff6ca8df85a0e4845cbe3e6daad3113803",
        "github.com/foxcpp/maddy internal/target/remote/policy_group.go @ 2d18ff5a302d48e00633f6a4db3801f9d09c554a",
    ],
    #[cfg(feature = "docs")]
    notes: "testing: an MX host that does not match is logged and used, and TLS is not \
            required; enforce: a non-matching MX host is refused (550 5.7.0, the next MX is \
            tried) and TLS with a verified certificate is required (451 4.7.1). A matching MX \
            host counts as MTA-STS-authenticated in any mode, testing and none included (it \
            satisfies local_policy min_mx_level mtasts). Any failure (no or several TXT \
            records, a bad record, a failed fetch, an invalid policy, even a temporary DNS \
            error) with nothing cached: delivers as if the domain had no policy; a cached, \
            unexpired policy is used instead whenever one exists.",
    txt,
    policy,
    matches,
};

/// `Cache.fetch`: exactly one TXT record, read by `readDNSRecord`.
pub fn txt(records: &[&str]) -> TxtRead {
    let [record] = records else {
        return TxtRead::NoPolicy(format!(
            "{} TXT records at _mta-sts (go-mtasts needs exactly one)",
            records.len()
        ));
    };
    match read_dns_record(record) {
        Ok(id) => TxtRead::Policy { id },
        Err(why) => TxtRead::NoPolicy(why),
    }
}

/// `readDNSRecord`: fields split on `;` and trimmed (empty ones skipped); each must be one
/// `name=value` pair without spaces or tabs; `v` must be `STSv1` wherever it stands; the last
/// `id` wins and is not checked beyond being non-empty; other names are ignored.
fn read_dns_record(raw: &str) -> Result<String, String> {
    let mut version = false;
    let mut id = "";
    for part in raw.split(';').map(go::trim_space).filter(|p| !p.is_empty()) {
        let kv: Vec<&str> = part.split('=').collect();
        let [name, value] = kv[..] else {
            return Err(format!("the field {part:?} is not one name=value pair"));
        };
        if name.contains([' ', '\t']) || value.contains([' ', '\t']) {
            return Err("a field name or value contains a space or tab".into());
        }
        match name {
            "v" if value != "STSv1" => return Err(format!("unsupported version {value:?}")),
            "v" => version = true,
            "id" => id = value,
            _ => {}
        }
    }
    if !version {
        return Err("no v=STSv1 field".into());
    }
    if id.is_empty() {
        return Err("no id".into());
    }
    Ok(id.to_owned())
}

/// `downloadPolicy` and `readPolicy`.
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
    match read_policy(response.body) {
        Ok(p) => PolicyRead::Policy(p),
        Err(why) => PolicyRead::NoPolicy(why),
    }
}

fn read_policy(body: &[u8]) -> Result<ReadPolicy, String> {
    let lines = go::scan_lines(body).ok_or("a line of 64 KiB or more")?;
    let mut present: Vec<String> = Vec::new();
    let mut mode = String::new();
    let mut max_age: i64 = 0;
    let mut mx = Vec::new();
    for line in lines {
        let line = String::from_utf8_lossy(line);
        let parts: Vec<&str> = line.split(':').collect();
        let [name, value] = parts[..] else {
            return Err(if line.is_empty() {
                "a blank line (maddy refuses the whole policy)".into()
            } else {
                format!("the line {line:?} does not have exactly one \":\"")
            });
        };
        let value = go::trim_space(value);
        match name {
            "version" if value != "STSv1" => {
                return Err(format!("unsupported version {value:?}"));
            }
            "mode" => match value {
                "enforce" | "testing" | "none" => value.clone_into(&mut mode),
                _ => return Err(format!("invalid mode {value:?} (case matters)")),
            },
            "max_age" => {
                max_age = go::atoi(value).map_err(|_| format!("invalid max_age {value:?}"))?;
            }
            "mx" => mx.push(value.to_lowercase()),
            _ => {}
        }
        present.push(name.to_owned());
    }
    for required in ["version", "mode", "max_age"] {
        if !present.iter().any(|p| p == required) {
            return Err(format!("no {required} field"));
        }
    }
    if mode != "none" && mx.is_empty() {
        return Err("no mx field while mode is not none".into());
    }
    Ok(ReadPolicy {
        mode,
        // A negative max_age is accepted: the cached copy is then already stale, as with 0;
        // it reads here as 0 (the field is unsigned).
        max_age: u64::try_from(max_age).unwrap_or(0),
        mx,
    })
}

/// `Policy.Match` for one pattern. Both names are lower-cased and lose one trailing dot. A
/// `*.` pattern matches when the host, from its first dot on, equals the pattern without its
/// `*` (the first dot is looked for in the host as given, then applied to the lower-cased
/// host: the same place for ASCII names).
pub fn matches(pattern: &str, host: &str) -> bool {
    let norm = |s: &str| {
        let s = s.to_lowercase();
        s.strip_suffix('.').map(str::to_owned).unwrap_or(s)
    };
    let (pattern_n, host_n) = (norm(pattern), norm(host));
    if let Some(rest) = pattern_n.strip_prefix('*') {
        if !rest.starts_with('.') {
            return host_n == pattern_n;
        }
        return host
            .find('.')
            .and_then(|dot| host_n.as_bytes().get(dot..))
            .is_some_and(|tail| tail == rest.as_bytes());
    }
    host_n == pattern_n
}

/// What Go's standard library does, where maddy's and chasquid's readings depend on it.
pub(super) mod go {
    /// `bufio.Scanner` with `ScanLines` and the default 64 KiB token limit: lines end at LF,
    /// one CR before it is dropped; a last line without LF counts if not empty (a lone CR
    /// there is an empty line); a line of 65536 bytes or more (its CR counted) is an error.
    pub(crate) fn scan_lines(body: &[u8]) -> Option<Vec<&[u8]>> {
        const MAX: usize = 64 * 1024;
        let mut lines = Vec::new();
        let mut rest = body;
        while !rest.is_empty() {
            let (line, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &rest[rest.len()..]),
            };
            if line.len() >= MAX {
                return None;
            }
            lines.push(line.strip_suffix(b"\r").unwrap_or(line));
            rest = next;
        }
        Some(lines)
    }

    /// `strings.TrimSpace`: Unicode white space at both ends (Rust's `trim` uses the same
    /// White_Space property).
    pub(crate) fn trim_space(s: &str) -> &str {
        s.trim()
    }

    /// `strconv.Atoi` on a 64-bit build: an optional `+` or `-`, then decimal digits. On error
    /// it gives the value Go returns beside the error: 0 for bad syntax, the nearest bound on
    /// overflow.
    pub(crate) fn atoi(s: &str) -> Result<i64, i64> {
        use std::num::IntErrorKind;
        s.parse::<i64>().map_err(|e| match e.kind() {
            IntErrorKind::PosOverflow => i64::MAX,
            IntErrorKind::NegOverflow => i64::MIN,
            _ => 0,
        })
    }

    /// `mime.ParseMediaType`'s media type, lower-cased, or `None` where it returns an error
    /// (both readers refuse the response then): no or malformed type/subtype, malformed or
    /// repeated parameters. A trailing `;` is allowed.
    pub(crate) fn media_type(value: &str) -> Option<String> {
        let (head, mut params) = value.split_at(value.find(';').unwrap_or(value.len()));
        let media = head.to_lowercase().trim().to_owned();
        let (kind, rest) = token(&media);
        if kind.is_empty() {
            return None;
        }
        if !rest.is_empty() {
            let (sub, tail) = token(rest.strip_prefix('/')?);
            if sub.is_empty() || !tail.is_empty() {
                return None;
            }
        }
        let mut seen: Vec<String> = Vec::new();
        loop {
            params = params.trim_start();
            if params.is_empty() {
                break;
            }
            match parameter(params) {
                Some((name, rest)) => {
                    if seen.contains(&name) {
                        return None;
                    }
                    seen.push(name);
                    params = rest;
                }
                None if params.trim() == ";" => break,
                None => return None,
            }
        }
        Some(media)
    }

    fn is_token_char(c: char) -> bool {
        c.is_ascii_graphic() && !"()<>@,;:\\\"/[]?=".contains(c)
    }

    /// The leading token and the rest.
    fn token(s: &str) -> (&str, &str) {
        s.split_at(s.find(|c| !is_token_char(c)).unwrap_or(s.len()))
    }

    /// `; name = value` (value a token or a quoted string): the lower-case name and the rest.
    fn parameter(s: &str) -> Option<(String, &str)> {
        let s = s.trim_start().strip_prefix(';')?.trim_start();
        let (name, rest) = token(s);
        if name.is_empty() {
            return None;
        }
        let rest = rest.trim_start().strip_prefix('=')?.trim_start();
        let rest = if let Some(quoted) = rest.strip_prefix('"') {
            quoted_rest(quoted)?
        } else {
            let (value, rest) = token(rest);
            if value.is_empty() {
                return None;
            }
            rest
        };
        Some((name.to_lowercase(), rest))
    }

    /// After an opening quote: the text after the closing one (a backslash escapes the next
    /// character; CR or LF inside, or no closing quote, is an error).
    fn quoted_rest(s: &str) -> Option<&str> {
        let mut chars = s.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Some(&s[i + 1..]),
                '\\' => {
                    chars.next();
                }
                '\r' | '\n' => return None,
                _ => {}
            }
        }
        None
    }
}

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

    const BASE: &str = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400";

    #[test]
    fn txt_record_sets() {
        let id = |s: &str| Some(TxtRead::Policy { id: s.into() });
        let cases: &[(&[&str], Option<TxtRead>)] = &[
            (&["v=STSv1; id=20160831085700Z"], id("20160831085700Z")),
            (&["v=STSv1;id=abc"], id("abc")),
            (&["v=STSv1 ; id=abc ;"], id("abc")),
            (&[" v=STSv1; id=abc "], id("abc")),
            (&[";;v=STSv1;;id=abc;;"], id("abc")),
            // The id is not checked: any characters but space, tab, = and ;, any length.
            (&["v=STSv1; id=abc-123_é"], id("abc-123_é")),
            (
                &["v=STSv1; id=012345678901234567890123456789012"],
                id("012345678901234567890123456789012"),
            ),
            // The version need not come first; extension fields are ignored, even empty.
            (&["id=abc; v=STSv1"], id("abc")),
            (&["v=STSv1; id=abc; ext=1; other="], id("abc")),
            // The last id wins; an empty last id is "no id".
            (&["v=STSv1; id=a; id=b"], id("b")),
            (&["v=STSv1; id=a; id="], None),
            // Exactly one record: nothing, two, or an unrelated one beside means no policy.
            (&[], None),
            (&["v=STSv1; id=a", "v=STSv1; id=b"], None),
            (&["v=STSv1; id=a", "v=STSv1; id=a"], None),
            (&["v=STSv1; id=a", "v=spf1 -all"], None),
            (&["hello", "v=STSv1; id=a"], None),
            (&["hello"], None),
            // Version value and key are case-sensitive.
            (&["v=stsv1; id=a"], None),
            (&["V=STSv1; id=a"], None),
            (&["v=STSv2; id=a"], None),
            (&["v=STSv1; ID=a"], None),
            // Malformed fields.
            (&["v=STSv1"], None),
            (&["v=STSv1; id"], None),
            (&["v=STSv1; id=a=b"], None),
            (&["v=STSv1; id = abc"], None),
            (&["v=STSv1; id=abc def"], None),
            (&["v=STSv1; bogus"], None),
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
    fn line_ends_blank_lines_and_whitespace() {
        let enforce = || ok("enforce", 86400, &["mail.example.com"]);
        check_bodies(
            policy,
            &[
                (BASE, enforce()),
                (&format!("{BASE}\n"), enforce()),
                (&format!("{BASE}\r\n"), enforce()),
                (&BASE.replace('\n', "\r\n"), enforce()),
                (
                    "version: STSv1\r\nmode: enforce\nmx: mail.example.com\r\nmax_age: 86400\n",
                    enforce(),
                ),
                // Any blank line refuses the whole policy.
                (&format!("{BASE}\n\n"), None),
                (&format!("{BASE}\r\n\r\n"), None),
                (&format!("{BASE}\n\r"), None),
                (&format!("\n{BASE}"), None),
                (&BASE.replace("\nmx", "\n\nmx"), None),
                (&format!("{BASE}\n   "), None),
                // A bare CR does not end a line: the joined line has three colons.
                (&BASE.replace('\n', "\r"), None),
                // A leading space or a space before the colon makes an unknown key (ignored).
                (&BASE.replace("mode", " mode"), None),
                (&format!("{BASE}\n mode: testing"), enforce()),
                (&format!("{BASE}\nmode : testing"), enforce()),
                (&format!("{BASE}\n\tmx: other.example"), enforce()),
                // Values are trimmed (any Unicode white space).
                (&BASE.replace("mode: ", "mode:\t  "), enforce()),
                (&BASE.replace("enforce", "enforce \t\u{a0}"), enforce()),
                (&BASE.replace("mode: enforce", "mode:enforce"), enforce()),
                // A BOM glues onto the first key, which becomes unknown.
                (&format!("\u{feff}{BASE}"), None),
                (&format!("\u{feff}{BASE}\nversion: STSv1"), enforce()),
                ("", None),
            ],
        );
    }

    #[test]
    fn keys_values_and_repeats() {
        check_bodies(
            policy,
            &[
                // Key case matters: `Mode` is unknown, so mode is missing.
                (&BASE.replace("mode", "Mode"), None),
                (
                    &format!("{BASE}\nMode: testing"),
                    ok("enforce", 86400, &["mail.example.com"]),
                ),
                // Value case matters for mode and version.
                (&BASE.replace("enforce", "Enforce"), None),
                (&BASE.replace("STSv1", "stsv1"), None),
                (&BASE.replace("enforce", "report"), None),
                // Repeats: each must be valid; the last one wins.
                (
                    &format!("{BASE}\nmode: testing"),
                    ok("testing", 86400, &["mail.example.com"]),
                ),
                (&format!("{BASE}\nmode: bogus"), None),
                (
                    &format!("{BASE}\nmax_age: 5"),
                    ok("enforce", 5, &["mail.example.com"]),
                ),
                (&format!("{BASE}\nmax_age: x"), None),
                (&format!("{BASE}\nversion: STSv2"), None),
                (
                    "version: STSv1\nmode: none\nmode: enforce\nmax_age: 1",
                    None,
                ),
                (
                    "version: STSv1\nmode: enforce\nmode: none\nmax_age: 1",
                    ok("none", 1, &[]),
                ),
                // Unknown keys are ignored, whatever their value, but a colon in it refuses all.
                (
                    &format!("{BASE}\nfoo: bar baz"),
                    ok("enforce", 86400, &["mail.example.com"]),
                ),
                (
                    &format!("{BASE}\nfoo:"),
                    ok("enforce", 86400, &["mail.example.com"]),
                ),
                (&format!("{BASE}\nfoo: a:b"), None),
                (&format!("{BASE}\nnot a field"), None),
                // The version line need not be first; it must be there.
                (
                    "mode: enforce\nmx: mail.example.com\nmax_age: 86400\nversion: STSv1",
                    ok("enforce", 86400, &["mail.example.com"]),
                ),
                ("mode: enforce\nmx: mail.example.com\nmax_age: 86400", None),
                ("version: STSv1\nmx: mail.example.com\nmax_age: 86400", None),
                ("version: STSv1\nmode: enforce\nmx: mail.example.com", None),
                // mx is needed unless the (last) mode is none.
                (
                    "version: STSv1\nmode: none\nmax_age: 86400",
                    ok("none", 86400, &[]),
                ),
                ("version: STSv1\nmode: testing\nmax_age: 86400", None),
            ],
        );
    }

    #[test]
    fn max_age_bounds() {
        let with = |v: &str| BASE.replace("86400", v);
        let age = |n: u64| ok("enforce", n, &["mail.example.com"]);
        check_bodies(
            policy,
            &[
                (&with("0"), age(0)),
                (&with("31557600"), age(31_557_600)),
                (&with("31557601"), age(31_557_601)),
                (&with("0086400"), age(86400)),
                (&with("+86400"), age(86400)),
                (&with("9999999999"), age(9_999_999_999)),
                (&with("9223372036854775807"), age(9_223_372_036_854_775_807)),
                (&with("9223372036854775808"), None),
                // Negative: accepted, already stale; read as 0 here.
                (&with("-1"), age(0)),
                (&with("1e3"), None),
                (&with("86400s"), None),
                (&with("86 400"), None),
                (&with(""), None),
            ],
        );
    }

    #[test]
    fn mx_values_are_not_checked() {
        let with = |v: &str| BASE.replace("mail.example.com", v);
        let mx = |p: &str| ok("enforce", 86400, &[p]);
        check_bodies(
            policy,
            &[
                (&with("MAIL.Example.com"), mx("mail.example.com")),
                (&with("mail.example.com."), mx("mail.example.com.")),
                (&with("*.example.com"), mx("*.example.com")),
                (&with("*"), mx("*")),
                (&with("*.*.example.com"), mx("*.*.example.com")),
                (&with("192.0.2.1"), mx("192.0.2.1")),
                (&with("mail_1.example.com"), mx("mail_1.example.com")),
                (
                    &with("mail.example.com, mx2.example.com"),
                    mx("mail.example.com, mx2.example.com"),
                ),
                (&with(""), mx("")),
                (&with("møx.example"), mx("møx.example")),
                // A colon (an IPv6 literal, a port) makes the line invalid.
                (&with("2001:db8::1"), None),
                (&with("mail.example.com:25"), None),
            ],
        );
        check_bodies(
            policy,
            &[(
                &format!("{BASE}\nmx: *.Backup.Example.com"),
                ok(
                    "enforce",
                    86400,
                    &["mail.example.com", "*.backup.example.com"],
                ),
            )],
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
        // The media type must be text/plain (any case, any parameters); the charset is ignored.
        for ct in [
            "text/plain",
            "TEXT/Plain",
            " text/plain ",
            "text/plain; charset=utf-8",
            "text/plain;charset=iso-8859-1",
            "text/plain; charset=\"utf-8\"",
            "text/plain;",
            "text/plain; format=flowed; charset=utf-8",
        ] {
            assert_eq!(read_response(200, Some(ct), body), good, "{ct:?}");
        }
        for ct in [
            None,
            Some(""),
            Some("text/html"),
            Some("text/plain+x"),
            Some("text"),
            Some("text/plain/x"),
            Some("text / plain"),
            Some("application/octet-stream"),
            Some("text/plain; charset"),
            Some("text/plain; charset="),
            Some("text/plain; charset=utf-8; charset=utf-8"),
            Some("text/plain; charset=\"utf-8"),
            Some("text/plain;;"),
        ] {
            assert!(
                matches!(read_response(200, ct, body), PolicyRead::NoPolicy(_)),
                "{ct:?}"
            );
        }
        // Non-UTF-8 bytes are read as they are (an unknown key's value, an mx value).
        let mut latin = BASE.as_bytes().to_vec();
        latin.extend_from_slice(b"\nfoo: caf\xe9");
        assert_eq!(read_response(200, Some("text/plain"), &latin), good);
        // No size limit on the body; one line of 64 KiB or more fails.
        let mut big = BASE.as_bytes().to_vec();
        for _ in 0..2000 {
            big.extend_from_slice(b"\nfoo: 0123456789012345678901234567890123456789");
        }
        assert!(big.len() > 64 * 1024);
        assert_eq!(read_response(200, Some("text/plain"), &big), good);
        let long_line = |n: usize| {
            let mut b = format!("{BASE}\nfoo: ").into_bytes();
            let start = b.len() - 5;
            b.resize(start + n, b'x');
            b
        };
        assert_eq!(
            read_response(200, Some("text/plain"), &long_line(65535)),
            good
        );
        assert!(matches!(
            read_response(200, Some("text/plain"), &long_line(65536)),
            PolicyRead::NoPolicy(_)
        ));
    }

    #[test]
    fn matching() {
        let cases = [
            ("mail.example.com", "mail.example.com", true),
            ("mail.example.com", "mail.example.com.", true),
            ("mail.example.com.", "mail.example.com", true),
            ("mail.example.com.", "mail.example.com.", true),
            ("mail.example.com..", "mail.example.com", false),
            ("Mail.Example.COM", "mail.example.com", true),
            ("mail.example.com", "MAIL.EXAMPLE.COM.", true),
            ("mail.example.com", "other.example.com", false),
            ("mail.example.com", "example.com", false),
            ("*.example.com", "mail.example.com", true),
            ("*.example.com", "mail.example.com.", true),
            ("*.example.com.", "MAIL.example.com", true),
            ("*.example.com", "example.com", false),
            ("*.example.com", "a.b.example.com", false),
            ("*.example.com", "mail.example.org", false),
            ("*.example.com", "localhost", false),
            ("*", "mail.example.com", false),
            ("*", "*", true),
            ("", "mail.example.com", false),
        ];
        for (pattern, host, want) in cases {
            assert_eq!(matches(pattern, host), want, "{pattern} vs {host}");
        }
    }

    #[test]
    fn go_helpers() {
        assert_eq!(
            go::scan_lines(b"a\nb\r\nc"),
            Some(vec![&b"a"[..], b"b", b"c"])
        );
        assert_eq!(go::scan_lines(b"a\n"), Some(vec![&b"a"[..]]));
        assert_eq!(go::scan_lines(b"a\n\n"), Some(vec![&b"a"[..], b""]));
        assert_eq!(go::scan_lines(b"a\n\r"), Some(vec![&b"a"[..], b""]));
        assert_eq!(go::scan_lines(b"a\r\r\n"), Some(vec![&b"a\r"[..]]));
        assert_eq!(go::scan_lines(b""), Some(vec![]));
        assert_eq!(go::atoi("+5"), Ok(5));
        assert_eq!(go::atoi("-5"), Ok(-5));
        assert_eq!(go::atoi("5x"), Err(0));
        assert_eq!(go::atoi(""), Err(0));
        assert_eq!(go::atoi("99999999999999999999"), Err(i64::MAX));
        assert_eq!(go::atoi("-99999999999999999999"), Err(i64::MIN));
        assert_eq!(
            go::media_type("Text/Plain; Charset=UTF-8").as_deref(),
            Some("text/plain")
        );
        assert_eq!(go::media_type("text/plain; a=1; A=2"), None);
        assert_eq!(
            go::media_type("text/plain; a=\"x\\\"y\"").as_deref(),
            Some("text/plain")
        );
    }
}
