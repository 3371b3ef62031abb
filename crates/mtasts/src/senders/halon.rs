//! Halon MTA (commercial): its published MTA-STS module, `halon-extras/mta-sts`.
//!
//! Halon itself is closed source. Its MTA-STS support is an HSL (Halon scripting language) module
//! it publishes, package `halon-extras-mta-sts` 1.0.1 (`CMakeLists.txt`), read from the repository
//! halon-extras/mta-sts: `mta-sts.hsl` at commit fd2df98867d758a31873d0d1fd9a6ce2a11dd7b1 (the
//! version the index gives for the path; another stored version, b2f048bc, is the same without the
//! lower-casing of `mx` values), `main.hsl`, `README.md` (the pre-delivery usage: only a policy whose
//! `mode` is `enforce` is applied, as `Try(["mx_include" => $policy["mx"], "tls" =>
//! "dane_fallback_require_verify", "tls_verify_host" => true, ...])`). The older copy in
//! halonsecurity/hsl-examples `protocols/mta-sts/mtasts.hsl` (b1b7573b) reads the body the same way.
//! What the module's built-ins do is from Halon's function reference as shipped in
//! halon/vscode-extensions `config/src/docs/functions.json` (01a121b1): `str_strip` removes
//! spaces, tabs, CR and LF at both ends; `str_lower` lower-cases US-ASCII only; `str_find` gives -1
//! when absent.
//!
//! What the module does:
//!
//! * **TXT**: the records that begin with exactly the 8 bytes `v=STSv1;` (case-sensitive, no space
//!   before the `;`); not exactly one is no policy. The `id` is never parsed: the whole record is
//!   what it keeps and compares (a changed record means a new fetch), so the model answers the
//!   whole record as the id.
//! * **Fetch**: `http()` with `redirects => 0`, `max_file_size => 65536`, 5 s timeouts; only status
//!   200 counts; the Content-Type is not looked at (a comment in the source says so).
//! * **Body**: split at LF; lines without `:` are skipped; key and value around the first `:`,
//!   `str_strip`ped; keys case-sensitive; a repeated key: the **last** wins, except `mx`, whose
//!   values are all kept in order (duplicates too), ASCII-lower-cased. The only check is that
//!   `version` is exactly `STSv1`: mode, max_age and mx are not validated. A BOM sticks to the first
//!   key.
//! * **Mode**: the usage applies the policy only when `mode` is exactly `enforce`; the model reads
//!   `enforce` and `testing` (exact) as themselves and anything else (`Enforce`, missing, unknown) as
//!   `none`.
//!
//! Assumed (not documented in what could be read; the RFC reading is taken):
//!
//! * `dns_query` gives each TXT record with its strings joined.
//! * `http()` with `redirects => 0` answers a 3xx with its status (so it is refused as not 200), and
//!   `max_file_size` fails a body over 65536 bytes (curl's `CURLOPT_MAXFILESIZE`).
//! * HSL's `==` compares strings byte for byte.
//! * `mx_include` matches an MX host by RFC 8461 §4.1 (this crate's [`mx_matches`]: case-insensitive,
//!   trailing dots ignored, `*.` one label).
//! * `max_age`: never read. The module caches with `$newpolicy["max_age"]`, a key of the wrapper
//!   array, not of the policy (`$newpolicy["policy"]["max_age"]`), so the TTL it passes is `none`;
//!   what `cache` does with that is not documented. The model reports the policy's value when it is
//!   a plain decimal number, else 0.

use super::model::{Basis, Model, PolicyRead, ReadPolicy, Response, TxtRead};
use crate::names::mx::mx_matches;

/// `max_file_size` in `mta_sts_fetch_https`.
const MAX_FILE_SIZE: usize = 64 * 1024;

/// Halon MTA with the `halon-extras/mta-sts` module.
pub static MODEL: Model = Model {
    id: "halon",
    name: "Halon MTA (halon-extras/mta-sts)",
    version: "mta-sts module 1.0.1",
    basis: Basis::Source,
    #[cfg(feature = "docs")]
    sources: &[
        "version read: halon-extras-mta-sts 1.0.1 (mta-sts.hsl fd2df988)",
        "github halon-extras/mta-sts: mta-sts.hsl (fd2df98867d758a31873d0d1fd9a6ce2a11dd7b1; \
         b2f048bc without mx lower-casing), main.hsl, README.md, CMakeLists.txt (1.0.1)",
        "github halonsecurity/hsl-examples: protocols/mta-sts/mtasts.hsl (b1b7573b), README.md",
        "github halon/vscode-extensions: config/src/docs/functions.json (01a121b1): str_strip, \
         str_lower, str_find, dns_query, http",
    ],
    #[cfg(feature = "docs")]
    notes: "testing: the published usage applies the policy only when mode is exactly enforce; \
            testing (and any other value) delivers as without a policy, no report is sent. A failed \
            fetch (not 200, a redirect, over 64 KiB, 5 s timeout) or a policy without version \
            STSv1: with no cached policy, no policy (the failure is cached for 5 minutes); with a \
            cached policy, keeps applying it.",
    txt,
    policy,
    matches: mx_matches,
};

/// `mta_sts_fetch_dnstxt`: exactly one record beginning `v=STSv1;`, kept whole.
fn txt(records: &[&str]) -> TxtRead {
    let found: Vec<&str> = records
        .iter()
        .copied()
        .filter(|r| r.as_bytes().starts_with(b"v=STSv1;"))
        .collect();
    match found.as_slice() {
        [one] => TxtRead::Policy {
            id: (*one).to_owned(),
        },
        [] => TxtRead::NoPolicy("no record begins with exactly v=STSv1;".into()),
        _ => TxtRead::NoPolicy("more than one record begins with v=STSv1;".into()),
    }
}

/// `str_strip`: spaces, tabs, CR and LF at both ends.
fn strip(s: &[u8]) -> &[u8] {
    let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let start = s.iter().position(|b| !ws(b)).unwrap_or(s.len());
    let end = s.iter().rposition(|b| !ws(b)).map_or(start, |i| i + 1);
    &s[start..end]
}

/// `mta_sts_fetch_https` and `mta_sts_parse_policy`.
fn policy(r: &Response<'_>) -> PolicyRead {
    if r.status != 200 {
        return PolicyRead::NoPolicy(format!("HTTP status {} (only 200 counts)", r.status));
    }
    if r.body.len() > MAX_FILE_SIZE {
        return PolicyRead::NoPolicy("the policy is larger than 64 KiB".into());
    }
    let mut version: Option<&[u8]> = None;
    let mut mode: Option<&[u8]> = None;
    let mut max_age: Option<&[u8]> = None;
    let mut mx = Vec::new();
    for line in r.body.split(|b| *b == b'\n') {
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        let (key, value) = (strip(&line[..colon]), strip(&line[colon + 1..]));
        match key {
            b"mx" => mx.push(String::from_utf8_lossy(&value.to_ascii_lowercase()).into_owned()),
            b"version" => version = Some(value),
            b"mode" => mode = Some(value),
            b"max_age" => max_age = Some(value),
            _ => {}
        }
    }
    if version != Some(b"STSv1".as_slice()) {
        return PolicyRead::NoPolicy("the last version line is not exactly STSv1".into());
    }
    let mode = match mode {
        Some(b"enforce") => "enforce",
        Some(b"testing") => "testing",
        _ => "none",
    };
    let max_age = max_age
        .filter(|v| !v.is_empty() && v.iter().all(u8::is_ascii_digit))
        .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok())
        .unwrap_or(0);
    PolicyRead::Policy(ReadPolicy {
        mode: mode.to_owned(),
        max_age,
        mx,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expected policy: mode, max_age, mx; `None` for no policy.
    type P = Option<(&'static str, u64, &'static [&'static str])>;

    /// A name, the response (status, Content-Type, body) and the expected policy.
    type Case = (&'static str, u16, Option<&'static str>, &'static [u8], P);

    const VALID: &str =
        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n";

    fn read(
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Option<(String, u64, Vec<String>)> {
        match policy(&Response {
            status,
            content_type,
            body,
        }) {
            PolicyRead::Policy(p) => Some((p.mode, p.max_age, p.mx)),
            PolicyRead::NoPolicy(_) => None,
        }
    }

    #[test]
    fn txt_table() {
        // The id Halon keeps is the whole record.
        let table: &[(&[&str], Option<&str>)] = &[
            (&["v=STSv1; id=abc"], Some("v=STSv1; id=abc")),
            (&["v=STSv1;id=abc"], Some("v=STSv1;id=abc")),
            (&["v=STSv1; id=abc; ext=1"], Some("v=STSv1; id=abc; ext=1")),
            (
                &["v=STSv1; id=abc; id=def"],
                Some("v=STSv1; id=abc; id=def"),
            ),
            // No id, or an empty one, is never looked for.
            (&["v=STSv1;"], Some("v=STSv1;")),
            (&["v=STSv1; id="], Some("v=STSv1; id=")),
            (&["v=STSv1; id=a b c"], Some("v=STSv1; id=a b c")),
            // Exactly the 8 bytes `v=STSv1;` first.
            (&["v=STSv1 ; id=abc"], None),
            (&["v=stsv1; id=abc"], None),
            (&[" v=STSv1; id=abc"], None),
            (&["v=STSv1"], None),
            (&["v=STSv10; id=abc"], None),
            (&["id=abc; v=STSv1"], None),
            // Exactly one such record.
            (&["v=STSv1; id=abc", "v=STSv1; id=def"], None),
            (&["v=spf1 -all", "v=STSv1; id=abc"], Some("v=STSv1; id=abc")),
            (&["v=STSv1; id=abc", "v=STSv1"], Some("v=STSv1; id=abc")),
            (
                &["v=STSv1; id=abc", "v=STSv1 ;id=def"],
                Some("v=STSv1; id=abc"),
            ),
            (&[], None),
        ];
        for (records, want) in table {
            let got = match txt(records) {
                TxtRead::Policy { id } => Some(id),
                TxtRead::NoPolicy(_) => None,
            };
            assert_eq!(got.as_deref(), *want, "{records:?}");
        }
    }

    #[test]
    fn policy_table() {
        const MX: &[&str] = &["mail.example.com"];
        let table: &[Case] = &[
            ("valid", 200, Some("text/plain"), VALID.as_bytes(), Some(("enforce", 86400, MX))),
            ("LF", 200, Some("text/plain"), b"version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n", Some(("enforce", 86400, MX))),
            // A lone CR does not end a line: the version value runs on to the end.
            ("lone CR", 200, Some("text/plain"), b"version: STSv1\rmode: enforce\rmx: mail.example.com\rmax_age: 86400\r", None),
            ("no final line end", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400", Some(("enforce", 86400, MX))),
            ("trailing blank line", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n\r\n", Some(("enforce", 86400, MX))),
            ("blank lines and junk", 200, Some("text/plain"), b"\r\nversion: STSv1\r\n\r\njunk\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", Some(("enforce", 86400, MX))),
            ("indented, space before colon", 200, Some("text/plain"), b"version: STSv1\r\n  mode :  enforce \r\nmx:mail.example.com\r\nmax_age: 86400\r\n", Some(("enforce", 86400, MX))),
            // Keys are case-sensitive: `Mode` is an unknown key, so there is no mode.
            ("Mode key", 200, Some("text/plain"), b"version: STSv1\r\nMode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", Some(("none", 86400, MX))),
            ("MX key", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nMX: mail.example.com\r\nmax_age: 86400\r\n", Some(("enforce", 86400, &[]))),
            // Only exactly `enforce` is applied.
            ("Enforce value", 200, Some("text/plain"), b"version: STSv1\r\nmode: Enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", Some(("none", 86400, MX))),
            ("unknown mode", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforced\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", Some(("none", 86400, MX))),
            ("testing", 200, Some("text/plain"), b"version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", Some(("testing", 86400, MX))),
            ("missing mode", 200, Some("text/plain"), b"version: STSv1\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", Some(("none", 86400, MX))),
            // The last of a repeated key wins.
            ("two modes", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", Some(("testing", 86400, MX))),
            ("two max_ages", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\nmax_age: 600\r\n", Some(("enforce", 600, MX))),
            ("two versions", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\nversion: STSv2\r\n", None),
            ("duplicate mx kept", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", Some(("enforce", 86400, &["mail.example.com", "mail.example.com"]))),
            ("unknown key", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nfoo: bar\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", Some(("enforce", 86400, MX))),
            // Nothing but the version is checked.
            ("enforce without mx", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmax_age: 86400\r\n", Some(("enforce", 86400, &[]))),
            ("none without mx", 200, Some("text/plain"), b"version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n", Some(("none", 86400, &[]))),
            ("missing version", 200, Some("text/plain"), b"mode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", None),
            ("version not first", 200, Some("text/plain"), b"mode: enforce\r\nversion: STSv1\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", Some(("enforce", 86400, MX))),
            ("version stsv1", 200, Some("text/plain"), b"version: stsv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", None),
            // A BOM sticks to the first key.
            ("BOM", 200, Some("text/plain"), b"\xef\xbb\xbfversion: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", None),
            // max_age is never checked (nor used): the model reports a plain number, else 0.
            ("max_age 0", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 0\r\n", Some(("enforce", 0, MX))),
            ("max_age 31557600", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 31557600\r\n", Some(("enforce", 31_557_600, MX))),
            ("max_age 31557601", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 31557601\r\n", Some(("enforce", 31_557_601, MX))),
            ("max_age 11 digits", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 12345678901\r\n", Some(("enforce", 12_345_678_901, MX))),
            ("max_age leading zeros", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 0086400\r\n", Some(("enforce", 86400, MX))),
            ("max_age -1", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: -1\r\n", Some(("enforce", 0, MX))),
            ("max_age abc", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: abc\r\n", Some(("enforce", 0, MX))),
            ("missing max_age", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n", Some(("enforce", 0, MX))),
            // mx values: ASCII-lower-cased, nothing else.
            ("mx as written", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: MAIL.Example.COM.\r\nmx: *.example.com\r\nmx: *\r\nmx: 192.0.2.1\r\nmx:\r\nmx: B\xc3\x9cCHER.example\r\nmax_age: 86400\r\n", Some(("enforce", 86400, &["mail.example.com.", "*.example.com", "*", "192.0.2.1", "", "b\u{dc}cher.example"]))),
            ("non-UTF-8 byte", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: m\xffil.example.com\r\nmax_age: 86400\r\n", Some(("enforce", 86400, &["m\u{fffd}il.example.com"]))),
            // Only a 200; the Content-Type is not looked at.
            ("301", 301, Some("text/plain"), VALID.as_bytes(), None),
            ("404", 404, Some("text/plain"), VALID.as_bytes(), None),
            ("201", 201, Some("text/plain"), VALID.as_bytes(), None),
            ("500", 500, Some("text/plain"), VALID.as_bytes(), None),
            ("no Content-Type", 200, None, VALID.as_bytes(), Some(("enforce", 86400, MX))),
            ("text/html", 200, Some("text/html"), VALID.as_bytes(), Some(("enforce", 86400, MX))),
            ("charset latin-1", 200, Some("text/plain; charset=iso-8859-1"), VALID.as_bytes(), Some(("enforce", 86400, MX))),
        ];
        for (name, status, content_type, body, want) in table {
            let want = want.map(|(mode, age, mx)| {
                let mx = mx.iter().map(|s| (*s).to_owned()).collect();
                (mode.to_owned(), age, mx)
            });
            assert_eq!(read(*status, *content_type, body), want, "{name}");
        }
    }

    #[test]
    fn size_limit() {
        let mut body = VALID.as_bytes().to_vec();
        body.resize(MAX_FILE_SIZE, b'#');
        assert!(read(200, Some("text/plain"), &body).is_some());
        body.push(b'#');
        assert!(read(200, Some("text/plain"), &body).is_none());
    }

    #[test]
    fn match_table() {
        // Assumed: mx_include matches by RFC 8461 §4.1.
        let table = [
            ("mail.example.com", "mail.example.com", true),
            ("mail.example.com", "MAIL.example.com", true),
            ("mail.example.com", "mail.example.com.", true),
            ("mail.example.com.", "mail.example.com", true),
            ("*.example.com", "mail.example.com", true),
            ("*.example.com", "a.b.example.com", false),
            ("*.example.com", "example.com", false),
            ("*", "mail.example.com", false),
            ("", "mail.example.com", false),
        ];
        for (pattern, host, want) in table {
            assert_eq!((MODEL.matches)(pattern, host), want, "{pattern} / {host}");
        }
        assert_eq!(MODEL.id, "halon");
        assert_eq!(MODEL.basis, Basis::Source);
    }
}
