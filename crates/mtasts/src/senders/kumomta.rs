//! KumoMTA, outbound MTA-STS: its `mta-sts` crate, as kumod uses it.
//!
//! Read from source only ([`Basis::Source`]): the crate (`crates/mta-sts`, package `mta-sts`
//! 0.1.0) is not published on crates.io (`cargo info mta-sts` finds nothing; it depends on the
//! workspace's unpublished `dns-resolver` and `lruttl` by path), so it cannot be run here.
//!
//! Read from (the search tool's stored copies of KumoCorp/kumomta):
//!
//! * `crates/mta-sts/src/dns.rs` at 546237d11c1840ec164fae6ad7ffa7873ee6baa3 (and the same
//!   parsing at 2298a1791c6c800b327359bb536a66fd730e837b): the TXT record;
//! * `crates/mta-sts/src/lib.rs` at 546237d11c1840ec164fae6ad7ffa7873ee6baa3: the fetch (no
//!   redirects, 200 only, Content-Type `text/plain` required, body decoded by reqwest's `text()`)
//!   and the cache;
//! * `crates/mta-sts/src/policy.rs` at 7bd6f3a9121505c58ba632150751a5f8563b9093 (the parser is the
//!   same at b4e3118f82eb867f3bcd857b87c4cf51fef38e60): the policy file and `name_match`;
//! * `crates/dns-resolver/src/resolver.rs` at 197b73330b86fcefca518ee719fe21f299f52018
//!   (`Answer::as_txt`: every character-string of every record, in answer order);
//! * `crates/kumod/src/smtp_dispatcher.rs` at 929d51deba5ca23b0db5abfba8880c06edc3f6eb (what the
//!   modes do: enforce → TLS required and the MX must match; testing → opportunistic TLS
//!   without verification; a failed fetch → ignored) and `crates/kumod/src/mx.rs` at
//!   257dc4a25aa8d4c8b57ae2d8021c1794fc514ef1 (MX names lower-cased, with the final dot).
//!
//! What it does, in short:
//!
//! * TXT: **all records of the set are glued together** (no separator) and read as one record:
//!   split at `;`, every non-empty part must be `key=value` (a part of spaces only, as after a
//!   final `; `, refuses the record), keys and values trimmed, a repeated key last-wins; `v` must
//!   be exactly `STSv1` (case-sensitive; anywhere in the record) and `id` present (any value,
//!   empty too). So a second record, valid or not, changes what is read.
//! * Policy: only a 200; the Content-Type must be present and its media type exactly
//!   `text/plain` (case-sensitive); the body is decoded by its charset (UTF-8 by default, a BOM
//!   wins, bad bytes become U+FFFD) with no size limit. Lines (LF or CRLF) must all be
//!   `key: value` except empty ones; keys are case-sensitive; `version` (exactly `STSv1`),
//!   `mode` and `max_age` must each appear exactly once; `mx` is required unless the mode is
//!   `none`; unknown keys are kept and ignored.
//! * Matching: patterns lower-cased; `*.d` covers exactly one label in front of `d`; trailing dots
//!   are removed from the MX name but not from a pattern, so `mx: mail.example.com.` matches
//!   nothing.

use super::model::{Basis, Model, PolicyRead, ReadPolicy, Response, TxtRead};

/// KumoMTA's outbound MTA-STS, at the commits in the module comment.
pub static MODEL: Model = Model {
    id: "kumomta",
    name: "KumoMTA",
    version: "main 546237d1",
    basis: Basis::Source,
    #[cfg(feature = "docs")]
    sources: &[
        "version read: mta-sts 0.1.0 (kumomta 546237d1 / policy.rs 7bd6f3a9)",
        "github.com/KumoCorp/kumomta crates/mta-sts/src/dns.rs @ 546237d11c1840ec164fae6ad7ffa7873ee6baa3",
        "github.com/KumoCorp/kumomta crates/mta-sts/src/lib.rs @ 546237d11c1840ec164fae6ad7ffa7873ee6baa3",
        "github.com/KumoCorp/kumomta crates/mta-sts/src/policy.rs @ 7bd6f3a9121505c58ba632150751a5f8563b9093",
        "github.com/KumoCorp/kumomta crates/dns-resolver/src/resolver.rs @ 197b73330b86fcefca518ee719fe21f299f52018 (Answer::as_txt)",
        "github.com/KumoCorp/kumomta crates/kumod/src/smtp_dispatcher.rs @ 929d51deba5ca23b0db5abfba8880c06edc3f6eb",
        "github.com/KumoCorp/kumomta crates/kumod/src/mx.rs @ 257dc4a25aa8d4c8b57ae2d8021c1794fc514ef1",
    ],
    #[cfg(feature = "docs")]
    notes: "Read from source only (the mta-sts crate is not published). enforce: STARTTLS \
            required with a verified certificate, and an MX the policy does not cover is not \
            connected to. testing: MX names are not checked at all and TLS is opportunistic \
            without certificate verification (a failed handshake goes on in clear text), so \
            testing delivers as if there were no policy. A failed fetch (no TXT, a non-200, a \
            wrong Content-Type, an invalid policy): delivery with the path's own TLS setting, as \
            if the domain had no policy; a cached policy is kept while the TXT record cannot be \
            read or keeps its id. MTA-STS is skipped where DANE TLSA records exist. Cache \
            lifetime: max_age, unclamped.",
    txt,
    policy,
    matches,
};

// ---------------------------------------------------------------------------------------------
// TXT
// ---------------------------------------------------------------------------------------------

/// Reads the `_mta-sts` TXT record set: every record glued together, then read as one record.
pub fn txt(records: &[&str]) -> TxtRead {
    if records.is_empty() {
        return TxtRead::NoPolicy("no TXT record at _mta-sts".to_owned());
    }
    let glued = records.concat();
    let mut v = None;
    let mut id = None;
    for part in glued.split(';') {
        if part.is_empty() {
            continue;
        }
        let Some((key, value)) = part.split_once('=') else {
            return TxtRead::NoPolicy(format!(
                "the part {part:?} of the record (all TXT records joined) has no '='"
            ));
        };
        match key.trim() {
            "v" => v = Some(value.trim().to_owned()),
            "id" => id = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    if v.as_deref() != Some("STSv1") {
        return TxtRead::NoPolicy("no v=STSv1 (exactly) in the TXT records joined".to_owned());
    }
    match id {
        Some(id) => TxtRead::Policy { id },
        None => TxtRead::NoPolicy("no id in the TXT records joined".to_owned()),
    }
}

// ---------------------------------------------------------------------------------------------
// Policy
// ---------------------------------------------------------------------------------------------

/// Reads a policy response the way KumoMTA's fetcher and parser do.
pub fn policy(response: &Response<'_>) -> PolicyRead {
    if response.status != 200 {
        return PolicyRead::NoPolicy(format!("HTTP status {} (only 200 counts)", response.status));
    }
    let Some(content_type) = response.content_type else {
        return PolicyRead::NoPolicy("no Content-Type header".to_owned());
    };
    // reqwest's `HeaderValue::to_str` accepts visible ASCII, space and tab only.
    if !content_type
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
    {
        return PolicyRead::NoPolicy("the Content-Type header is not plain ASCII".to_owned());
    }
    let media = content_type
        .split_once(';')
        .map_or(content_type, |(m, _)| m)
        .trim();
    if media != "text/plain" {
        return PolicyRead::NoPolicy(format!("Content-Type is {content_type:?}, not text/plain"));
    }
    let text = decode(content_type, response.body);
    match read_body(&text) {
        Ok(p) => PolicyRead::Policy(p),
        Err(reason) => PolicyRead::NoPolicy(reason),
    }
}

/// The text encodings of reqwest's `Response::text` (encoding_rs) that this model tells apart.
enum Charset {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

/// The `charset` parameter of a Content-Type, if any (quotes removed).
fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// encoding_rs's label lookup, for the labels of the encodings modelled. Every other label is
/// read as UTF-8 here: right for an unknown label (reqwest falls back to UTF-8) and for ASCII
/// text in most others, but not for non-ASCII bytes in, say, ISO-8859-2 (not modelled).
fn charset_for_label(label: &str) -> Charset {
    match label.trim().to_ascii_lowercase().as_str() {
        "utf-16" | "utf-16le" | "csunicode" | "iso-10646-ucs-2" | "ucs-2" | "unicode"
        | "unicodefeff" => Charset::Utf16Le,
        "utf-16be" | "unicodefffe" => Charset::Utf16Be,
        "ansi_x3.4-1968" | "ascii" | "cp1252" | "cp819" | "csisolatin1" | "ibm819"
        | "iso-8859-1" | "iso-ir-100" | "iso8859-1" | "iso88591" | "iso_8859-1"
        | "iso_8859-1:1987" | "l1" | "latin1" | "us-ascii" | "windows-1252" | "x-cp1252" => {
            Charset::Windows1252
        }
        _ => Charset::Utf8,
    }
}

/// windows-1252 for 0x80..=0x9F (the rest of the upper half is Latin-1).
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

fn utf16(bytes: &[u8], little: bool) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| {
            if little {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        })
        .collect();
    let mut text = String::from_utf16_lossy(&units);
    if bytes.len() % 2 == 1 {
        text.push('\u{FFFD}');
    }
    text
}

/// The body as reqwest's `text()` decodes it: a BOM decides the encoding (and is removed),
/// otherwise the charset parameter; malformed input becomes U+FFFD, never an error.
fn decode(content_type: &str, body: &[u8]) -> String {
    if let Some(rest) = body.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Some(rest) = body.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = body.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    match charset_param(content_type).map_or(Charset::Utf8, charset_for_label) {
        Charset::Utf8 => String::from_utf8_lossy(body).into_owned(),
        Charset::Utf16Le => utf16(body, true),
        Charset::Utf16Be => utf16(body, false),
        Charset::Windows1252 => body
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
                _ => char::from(b),
            })
            .collect(),
    }
}

/// The one value of a key that must appear exactly once.
fn single<'a>(fields: &'a [(&str, &str)], key: &str) -> Result<Option<&'a str>, String> {
    let mut values = fields.iter().filter(|(k, _)| *k == key).map(|(_, v)| *v);
    match (values.next(), values.next()) {
        (None, _) => Ok(None),
        (Some(v), None) => Ok(Some(v)),
        (Some(_), Some(_)) => Err(format!("{key} appears more than once")),
    }
}

/// KumoMTA's policy-file parser, as we read it from `policy.rs`.
fn read_body(text: &str) -> Result<ReadPolicy, String> {
    let mut fields: Vec<(&str, &str)> = Vec::new();
    for line in text.lines() {
        if line.is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(format!("the line {line:?} has no ':'"));
        };
        fields.push((key.trim(), value.trim()));
    }
    match single(&fields, "version")? {
        None => return Err("no version line".to_owned()),
        Some("STSv1") => {}
        Some(other) => return Err(format!("version {other:?} is not STSv1")),
    }
    let mode = match single(&fields, "mode")? {
        None => return Err("no mode line".to_owned()),
        Some(m @ ("enforce" | "testing" | "none")) => m,
        Some(other) => return Err(format!("mode {other:?} is not enforce, testing or none")),
    };
    let mx: Vec<String> = fields
        .iter()
        .filter(|(k, _)| *k == "mx")
        .map(|(_, v)| v.to_lowercase())
        .collect();
    if mx.is_empty() && mode != "none" {
        return Err("no mx line".to_owned());
    }
    let max_age = match single(&fields, "max_age")? {
        None => return Err("no max_age line".to_owned()),
        Some(v) => v
            .parse::<u64>()
            .map_err(|_| format!("max_age {v:?} is not a whole number of seconds"))?,
    };
    Ok(ReadPolicy {
        mode: mode.to_owned(),
        max_age,
        mx,
    })
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/// Does `pattern` (an `mx` value, lower-cased as KumoMTA keeps it) cover MX host `host`?
///
/// The host is what kumod matches for an MX name from DNS: lower-cased (ASCII), and every
/// trailing dot removed. `*.d` covers a name that ends in `.d` with no dot before that; anything
/// else must be equal.
pub fn matches(pattern: &str, host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    let name = host.trim_end_matches('.');
    let pattern = pattern.trim().to_lowercase();
    if pattern.starts_with("*.") {
        let dotted = &pattern[1..];
        name.strip_suffix(dotted)
            .is_some_and(|front| !front.contains('.'))
    } else {
        name == pattern
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: &str = "-";

    /// TXT record set → id (`-`: no policy). From source (dns.rs), not run.
    #[test]
    fn txt_table_from_source() {
        let table: &[(&[&str], &str)] = &[
            (&["v=STSv1; id=20190429T010101;"], "20190429T010101"),
            (&["v=STSv1; id=abc"], "abc"),
            (&["v=STSv1;id=abc"], "abc"),
            (&[], NONE),
            (&[""], NONE),
            // Several records are glued together, with no separator.
            (&["v=STSv1; id=a", "v=STSv1; id=b"], "b"),
            (&["v=STSv1; id=a;", "v=STSv1; id=b"], "b"),
            (&["v=STSv1; id=abc", "hello"], "abchello"),
            (&["v=STSv1; id=abc;", "hello"], NONE),
            (&["hello", "v=STSv1; id=abc"], NONE),
            (&["v=spf1 -all", "v=STSv1; id=abc"], NONE),
            (&["v=STSv1; ", "id=abc"], "abc"),
            (&["v=STSv1;", "id=abc"], "abc"),
            (&["v=STS", "v1; id=abc"], "abc"),
            // The version: exact, anywhere.
            (&["v=stsv1; id=abc"], NONE),
            (&["V=STSv1; id=abc"], NONE),
            (&["v=STSv2; id=abc"], NONE),
            (&["v = STSv1 ; id = abc"], "abc"),
            (&["  v=STSv1;id=abc"], "abc"),
            (&["id=abc; v=STSv1"], "abc"),
            (&["v=STSv2; v=STSv1; id=abc"], "abc"),
            (&["v=STSv1; v=STSv2; id=abc"], NONE),
            (&["id=abc"], NONE),
            // Separators: an empty part is skipped, a blank one refuses the record.
            (&["v=STSv1; id=abc;"], "abc"),
            (&["v=STSv1;; id=abc"], "abc"),
            (&["v=STSv1; id=abc; "], NONE),
            (&["v=STSv1; ; id=abc"], NONE),
            // The id: any value, trimmed; the last wins.
            (&["v=STSv1; id="], ""),
            (&["v=STSv1; id=a b"], "a b"),
            (&["v=STSv1; id=a=b"], "a=b"),
            (&["v=STSv1; id=abc-def_!"], "abc-def_!"),
            (&["v=STSv1; id=été"], "été"),
            (&["v=STSv1; id=a; id=b"], "b"),
            (&["v=STSv1; ID=abc"], NONE),
            (&["v=STSv1"], NONE),
            // Extension fields are kept and ignored; a bare word refuses the record.
            (&["v=STSv1; id=abc; ext=1"], "abc"),
            (&["v=STSv1; x-y=1; id=abc"], "abc"),
            (&["v=STSv1; foo; id=abc"], NONE),
        ];
        for (records, want) in table {
            let got = txt(records);
            if *want == NONE {
                assert!(matches!(got, TxtRead::NoPolicy(_)), "{records:?}: {got:?}");
            } else {
                assert_eq!(
                    got,
                    TxtRead::Policy {
                        id: (*want).to_owned()
                    },
                    "{records:?}"
                );
            }
        }
    }

    /// One row of a policy table: status, Content-Type, body, the reading (`None`: no policy).
    type Row<'a> = (u16, Option<&'a str>, &'a [u8], Option<ReadPolicy>);

    fn ok(mode: &str, max_age: u64, mx: &[&str]) -> Option<ReadPolicy> {
        Some(ReadPolicy {
            mode: mode.to_owned(),
            max_age,
            mx: mx.iter().map(|s| (*s).to_owned()).collect(),
        })
    }

    const GOOD: &[u8] = b"version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";

    /// Response → reading (`None`: no policy). From source (lib.rs, policy.rs), not run.
    #[test]
    fn policy_table_from_source() {
        let big = [GOOD, "#: x\n".repeat(40_000).as_bytes()].concat();
        let t = Some("text/plain");
        let table: Vec<Row<'_>> = vec![
            // Status: 200 only.
            (200, t, GOOD, ok("enforce", 86400, &["mail.example.com"])),
            (404, t, GOOD, None),
            (301, t, GOOD, None),
            (302, t, GOOD, None),
            (204, t, b"", None),
            // Content-Type.
            (200, None, GOOD, None),
            (200, Some("text/html"), GOOD, None),
            (200, Some("TEXT/PLAIN"), GOOD, None),
            (200, Some("text/plain; charset=utf-8"), GOOD, ok("enforce", 86400, &["mail.example.com"])),
            (200, Some("text/plain;charset=UTF-8"), GOOD, ok("enforce", 86400, &["mail.example.com"])),
            (200, Some(" text/plain "), GOOD, ok("enforce", 86400, &["mail.example.com"])),
            (200, Some("text/plain; charset=bogus"), GOOD, ok("enforce", 86400, &["mail.example.com"])),
            (200, Some("application/octet-stream"), GOOD, None),
            (200, Some("text/plainé"), GOOD, None),
            // Size: no limit.
            (200, t, &big, ok("enforce", 86400, &["mail.example.com"])),
            // Charset and encoding: decoded, never refused.
            (200, t, b"version: STSv1\nmode: enforce\nmx: m\xe9il.example.com\nmax_age: 86400\n", ok("enforce", 86400, &["m\u{fffd}il.example.com"])),
            (200, Some("text/plain; charset=iso-8859-1"), b"version: STSv1\nmode: enforce\nmx: M\xc9IL.example.com\nmax_age: 86400\n", ok("enforce", 86400, &["m\u{e9}il.example.com"])),
            (200, Some("text/plain; charset=\"latin1\""), b"version: STSv1\nmode: enforce\nmx: \x80.example.com\nmax_age: 86400\n", ok("enforce", 86400, &["\u{20ac}.example.com"])),
            (200, t, "version: STSv1\nmode: enforce\nmx: mäil.example.com\nmax_age: 86400\n".as_bytes(), ok("enforce", 86400, &["mäil.example.com"])),
            // A BOM is removed (and decides the encoding).
            (200, t, b"\xEF\xBB\xBFversion: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, Some("text/plain; charset=iso-8859-1"), b"\xEF\xBB\xBFversion: STSv1\nmode: enforce\nmx: \xc3\xa4.example\nmax_age: 600\n", ok("enforce", 600, &["\u{e4}.example"])),
            (200, t, b"\xFF\xFEv\0e\0r\0s\0i\0o\0n\0:\0S\0T\0S\0v\x001\0\n\0m\0o\0d\0e\0:\0n\0o\0n\0e\0\n\0m\0a\0x\0_\0a\0g\0e\0:\x005\0", ok("none", 5, &[])),
            // Line endings and blank lines.
            (200, t, b"version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 600\r\n", ok("enforce", 600, &["a.example"])),
            (200, t, b"version: STSv1\r\nmode: testing\nmx: a.example\r\nmax_age: 600", ok("testing", 600, &["a.example"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\n\n", ok("enforce", 600, &["a.example"])),
            (200, t, b"version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 600\r\n\r\n", ok("enforce", 600, &["a.example"])),
            (200, t, b"\n\nversion: STSv1\n\nmode: enforce\n\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\n \n", None),
            (200, t, b"version: STSv1\nmode: enforce\n\t\nmx: a.example\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\rmode: enforce\rmx: a.example\rmax_age: 600\r", None),
            // Whitespace and indentation.
            (200, t, b"  version :  STSv1  \n\tmode\t:\tenforce\n mx :a.example \nmax_age:600", ok("enforce", 600, &["a.example"])),
            // Key case.
            (200, t, b"version: STSv1\nMode: enforce\nmx: a.example\nmax_age: 600\n", None),
            (200, t, b"Version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmode: none\nMX: a.example\nmax_age: 600\n", ok("none", 600, &[])),
            // Value case.
            (200, t, b"version: stsv1\nmode: enforce\nmx: a.example\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmode: enforce\nmx: A.Example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            // Duplicates: version, mode, max_age once only; mx accumulates.
            (200, t, b"version: STSv1\nversion: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmode: enforce\nmode: enforce\nmx: a.example\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 600\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmx: b.example\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example", "b.example", "a.example"])),
            // Unknown keys kept and ignored; a line without a colon refuses the policy.
            (200, t, b"version: STSv1\nmode: enforce\nfoo: bar\nmx: a.example\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, t, b"version: STSv1\nmode: enforce\ngarbage\nmx: a.example\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a:b\nmax_age: 600\n", ok("enforce", 600, &["a:b"])),
            // Missing keys.
            (200, t, b"mode: enforce\nmx: a.example\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmx: a.example\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\n", None),
            (200, t, b"version: STSv1\nmode: enforce\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmode: testing\nmax_age: 600\n", None),
            (200, t, b"version: STSv1\nmode: none\nmax_age: 600\n", ok("none", 600, &[])),
            (200, t, b"version: STSv1\nmode: none\nmx: a.example\nmax_age: 600\n", ok("none", 600, &["a.example"])),
            // The version line need not be first.
            (200, t, b"mode: enforce\nmx: a.example\nversion: STSv1\nmax_age: 600\n", ok("enforce", 600, &["a.example"])),
            (200, t, b"version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 600\n", None),
            // max_age: any u64, read as it is (the cache lives that long).
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 0\n", ok("enforce", 0, &["a.example"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557600\n", ok("enforce", 31557600, &["a.example"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n", ok("enforce", 31557601, &["a.example"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 12345678901\n", ok("enforce", 12345678901, &["a.example"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999999999999999\n", None),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 000600\n", ok("enforce", 600, &["a.example"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: +600\n", ok("enforce", 600, &["a.example"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n", None),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1d\n", None),
            (200, t, b"version: STSv1\nmode: enforce\nmx: a.example\nmax_age:\n", None),
            // mx syntax: lower-cased, otherwise kept as written (empty too).
            (200, t, b"version: STSv1\nmode: enforce\nmx: mail.example.com.\nmax_age: 600\n", ok("enforce", 600, &["mail.example.com."])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: *.Example.com\nmax_age: 600\n", ok("enforce", 600, &["*.example.com"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: *\nmax_age: 600\n", ok("enforce", 600, &["*"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx:\nmax_age: 600\n", ok("enforce", 600, &[""])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: 192.0.2.1\nmax_age: 600\n", ok("enforce", 600, &["192.0.2.1"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: [192.0.2.1]\nmax_age: 600\n", ok("enforce", 600, &["[192.0.2.1]"])),
            (200, t, b"version: STSv1\nmode: enforce\nmx: *.*.example.com\nmax_age: 600\n", ok("enforce", 600, &["*.*.example.com"])),
        ];
        for (i, (status, content_type, body, want)) in table.into_iter().enumerate() {
            let got = policy(&Response {
                status,
                content_type,
                body,
            });
            match want {
                Some(w) => assert_eq!(got, PolicyRead::Policy(w), "case {i}"),
                None => assert!(matches!(got, PolicyRead::NoPolicy(_)), "case {i}: {got:?}"),
            }
        }
    }

    /// (pattern, MX host, covered?). From source (policy.rs `name_match`), not run.
    #[test]
    fn matching_table_from_source() {
        let table: &[(&str, &str, bool)] = &[
            ("mail.example.com", "mail.example.com", true),
            ("mail.example.com", "MAIL.Example.COM", true),
            ("MAIL.EXAMPLE.COM", "mail.example.com", true),
            ("mail.example.com", "mail.example.com.", true),
            ("mail.example.com", "mail.example.com..", true),
            ("mail.example.com.", "mail.example.com", false),
            ("mail.example.com.", "mail.example.com.", false),
            ("mail.example.com", "other.example.com", false),
            ("*.example.com", "mail.example.com", true),
            ("*.example.com", "mail.example.com.", true),
            ("*.Example.com", "MAIL.example.com", true),
            ("*.example.com", "a.b.example.com", false),
            ("*.example.com", "example.com", false),
            ("*.example.com", "xexample.com", false),
            ("*.com", "foo.com", true),
            ("*.example.com.", "mail.example.com", false),
            ("*", "mail.example.com", false),
            ("*", "*", true),
            ("*.", "mail.example.com", false),
            ("", "mail.example.com", false),
            ("mail.*.example.com", "mail.a.example.com", false),
            ("192.0.2.1", "192.0.2.1", true),
        ];
        for (pattern, host, want) in table {
            assert_eq!(matches(pattern, host), *want, "{pattern} vs {host}");
        }
    }

    #[test]
    fn model_is_wired() {
        assert_eq!(MODEL.id, "kumomta");
        assert_eq!(MODEL.basis, Basis::Source);
    }
}
