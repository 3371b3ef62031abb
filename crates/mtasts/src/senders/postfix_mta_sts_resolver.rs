//! postfix-mta-sts-resolver 1.5.1 (PyPI; Snawoot/postfix-mta-sts-resolver), the socketmap daemon
//! most Postfix installations use for MTA-STS, and what Postfix then does with its answer.
//!
//! Read from the package's own files as installed by `pip install postfix-mta-sts-resolver==1.5.1`
//! (`postfix_mta_sts_resolver/resolver.py`, `utils.py`, `responder.py`, `constants.py`,
//! `defaults.py`) with the versions of aiodns 4.0.4 (`aiodns/compat.py`) and aiohttp 3.14.5
//! (`helpers.py`) pinned in `tests/conformance/adapters/postfix-mta-sts-resolver/requirements.txt`,
//! and proven against that code by the adapter there, which drives the real `STSResolver` and
//! socketmap responder.
//!
//! What it reads:
//!
//! * **TXT**: records that are not ASCII are dropped (aiodns hands them over as bytes, which the
//!   package discards); of the rest, those that begin with exactly `v=STSv1` are counted, and
//!   there must be exactly one. Its fields are split on `;` and trimmed; a repeated field's last
//!   value wins; `v` must be exactly `STSv1` and an `id` must be present, of any syntax (even
//!   empty). Other fields are ignored.
//! * **Response**: only a 200; `Content-Type` must be `text/plain` (any parameters), so a
//!   missing one fails; at most 64 KiB; the body is decoded by Python with the `charset`
//!   parameter, and as ASCII when there is none, so any non-ASCII byte without a charset fails.
//! * **Body**: split by Python's `str.splitlines` (LF, CRLF, lone CR and some Unicode line
//!   breaks), each line's trailing white space removed, split at the first `:`; the key is used
//!   exactly as written (no trimming, case-sensitive), the value's leading white space removed.
//!   Blank lines anywhere are ignored, a repeated key's last value wins, every `mx` is kept in
//!   order as written (no case folding, no syntax check). `version` must be `STSv1`; `max_age`
//!   is read by Python's `int()` (sign, `_` between digits and any Unicode decimal digit are
//!   accepted) and must be within 0..=31557600; `mode` must be `none` (no `mx` then needed),
//!   `testing` or `enforce`, case-sensitive; a non-`none` policy needs at least one `mx`.
//!
//! How it hands the policy to Postfix (`responder.py`): for `enforce` (and `testing` only with
//! the non-default `strict_testing`) it answers `OK secure match=P1:P2:... servername=hostname`,
//! each pattern with its leading `*`s removed (`*.example.com` becomes `.example.com`). Postfix
//! then checks the certificate, not the MX name, against those patterns: `postfix_accepts`
//! models that half (Postfix is not run in the tests). That is the default configuration; with
//! `tlsrpt: true` the daemon also sends `policy_type=sts` and `mx_host_pattern=` attributes, and
//! Postfix 3.10 and later may then match the MX host name against the patterns instead, which
//! this model does not cover.

use super::model::{Basis, Model, PolicyRead, ReadPolicy, Response, TxtRead};

/// postfix-mta-sts-resolver 1.5.1, with Postfix's `match=` handling.
pub static MODEL: Model = Model {
    id: "postfix-mta-sts-resolver",
    name: "postfix-mta-sts-resolver (Postfix)",
    version: "1.5.1",
    basis: Basis::Run("pypi postfix-mta-sts-resolver==1.5.1"),
    #[cfg(feature = "docs")]
    sources: &[
        "pypi postfix-mta-sts-resolver 1.5.1: postfix_mta_sts_resolver/resolver.py, utils.py, \
         responder.py, constants.py, defaults.py (Snawoot/postfix-mta-sts-resolver)",
        "pypi aiodns 4.0.4: aiodns/__init__.py, aiodns/compat.py (TXT data as str or bytes)",
        "pypi aiohttp 3.14.5: aiohttp/helpers.py (charset of the Content-Type)",
        "vdukhovni/postfix postfix/src/smtp/smtp_tls_policy.c @ bf6bdb562df0c82968a4522feba0ab9777bca4d8 \
         (policy attributes; match= split on ':')",
        "sayrer/postfix postfix/src/smtp/smtp_tls_policy.c @ 075204027f53a3ed8a44d68081876a043cc06e1c \
         (servername once; mx_host_pattern enforcement)",
        "docs-space/postfix postfix/src/tls/tls_client.c @ 51e64989bb978082e4d562a80fa22f81b20a3b2d \
         (add_namechecks: hostname, nexthop, dot-nexthop, leading '.')",
        "vdukhovni/postfix postfix/src/smtp/smtp_tls_policy_test.c @ 94da189bdec0c3b67fc294ab0bae676fdd4e2989",
        "openssl/openssl crypto/x509/v3_utl.c @ 1a6df730253c023ac27a4150408c5fadc2408d2d \
         (X509_check_host: sub-domain names, wildcards, ASCII case)",
        "Postfix TLS_README (Server certificate verification, secure level) and postconf(5) \
         smtp_tls_policy_maps, smtp_tls_secure_cert_match: \
         https://www.postfix.org/TLS_README.html, https://www.postfix.org/postconf.5.html \
         (copy: https://opensource.apple.com/source/postfix/postfix-272/postfix/README_FILES/TLS_README.auto.html)",
    ],
    #[cfg(feature = "docs")]
    notes: "testing: answered as no policy to Postfix (NOTFOUND) unless strict_testing is set, so \
            mail goes out under Postfix's own TLS level; a failed fetch or an invalid policy: \
            no policy (NOTFOUND), or the cached policy while it has not expired. With a policy, \
            Postfix checks the certificate against the patterns at the secure level and defers \
            the mail when none matches.",
    txt,
    policy,
    matches,
};

/// The policy's domain, which Postfix's `nexthop` and `dot-nexthop` keywords name; `matches` is
/// not given it, so it is the protocol's `example.com`.
pub(crate) const NEXTHOP: &str = "example.com";

/// The largest body read (`constants.HARD_RESP_LIMIT`).
const LIMIT: usize = 64 * 1024;

/// The largest `max_age` accepted.
const MAX_AGE: u64 = 31_557_600;

fn txt(records: &[&str]) -> TxtRead {
    let sts: Vec<&str> = records
        .iter()
        .copied()
        .filter(|r| r.is_ascii() && r.starts_with("v=STSv1"))
        .collect();
    let record = match sts.as_slice() {
        [one] => *one,
        [] => {
            return TxtRead::NoPolicy("no ASCII TXT record starts with exactly v=STSv1".to_owned());
        }
        more => {
            return TxtRead::NoPolicy(format!(
                "{} TXT records start with v=STSv1 (exactly one may)",
                more.len()
            ));
        }
    };
    let (mut v, mut id) = (None, None);
    for field in record.split(';').map(py_strip).filter(|f| !f.is_empty()) {
        let (key, value) = field.split_once('=').unwrap_or((field, ""));
        match key {
            "v" => v = Some(value),
            "id" => id = Some(value),
            _ => {}
        }
    }
    match (v, id) {
        (Some("STSv1"), Some(id)) => TxtRead::Policy { id: id.to_owned() },
        (Some("STSv1"), None) => TxtRead::NoPolicy("the record has no id field".to_owned()),
        _ => TxtRead::NoPolicy("the record's last v field is not exactly STSv1".to_owned()),
    }
}

fn policy(response: &Response<'_>) -> PolicyRead {
    if response.status != 200 {
        return PolicyRead::NoPolicy(format!(
            "HTTP status {} (only 200 is read)",
            response.status
        ));
    }
    let content_type = response.content_type.unwrap_or("");
    let media = content_type.to_lowercase();
    if py_strip(media.split(';').next().unwrap_or("")) != "text/plain" {
        return PolicyRead::NoPolicy("Content-Type is not text/plain".to_owned());
    }
    if response.body.len() > LIMIT {
        return PolicyRead::NoPolicy("the body is larger than 64 KiB".to_owned());
    }
    match decode(response.body, charset(content_type).as_deref()) {
        Ok(text) => parse(&text),
        Err(reason) => PolicyRead::NoPolicy(reason),
    }
}

/// What `parse_mta_sts_policy` and the checks after it make of the decoded text.
fn parse(text: &str) -> PolicyRead {
    let (mut version, mut mode, mut max_age) = (None, None, None);
    let mut mx = Vec::new();
    for line in py_lines(text) {
        let line = py_rstrip(line);
        let (key, value) = line.split_once(':').unwrap_or((line, ""));
        let value = py_lstrip(value);
        match key {
            "mx" => mx.push(value.to_owned()),
            "version" => version = Some(value),
            "mode" => mode = Some(value),
            "max_age" => max_age = Some(value),
            _ => {}
        }
    }
    let no = |reason: &str| PolicyRead::NoPolicy(reason.to_owned());
    if version != Some("STSv1") {
        return no("no version: STSv1 (the last version line counts)");
    }
    let Some(max_age) = max_age else {
        return no("no max_age line");
    };
    let max_age = match py_int(max_age) {
        None => return no("max_age is not a whole number"),
        Some((true, 0)) => 0,
        Some((false, n)) if n <= u128::from(MAX_AGE) => n as u64,
        Some(_) => return no("max_age is outside 0..31557600"),
    };
    let mode = match mode {
        None => return no("no mode line"),
        Some(m @ ("none" | "testing" | "enforce")) => m,
        Some(_) => return no("mode is not enforce, testing or none (case matters)"),
    };
    if mode != "none" && mx.is_empty() {
        return no("no mx line");
    }
    PolicyRead::Policy(ReadPolicy {
        mode: mode.to_owned(),
        max_age,
        mx,
    })
}

/// Does the pattern, as the resolver hands it to Postfix, accept a certificate for `host`?
fn matches(pattern: &str, host: &str) -> bool {
    // The pattern as the parser would store it from an `mx:` line (idempotent on a stored one).
    let stored = py_strip(pattern.split(py_line_break).next().unwrap_or(""));
    let handed = stored.trim_start_matches('*');
    postfix_accepts(
        &format!("secure match={handed} servername=hostname"),
        host,
        NEXTHOP,
    )
}

// --- Postfix and OpenSSL: what a policy-table answer accepts -------------------------------

/// Does Postfix, with this `smtp_tls_policy_maps` result (the socketmap answer after `OK `),
/// accept a certificate valid for exactly `host` when delivering for `nexthop`?
///
/// A model of Postfix and OpenSSL, read from `smtp_tls_policy.c`, `tls_client.c` and
/// `v3_utl.c` (see [`MODEL`]'s sources). The policy is split into attributes on space, TAB, CR,
/// LF and comma; the first is the level (`secure`); each further one must be `name=value`, or
/// the whole policy is invalid and the mail deferred. `match=` values are split on `:`, empty
/// parts dropped. Each pattern becomes an OpenSSL host name check ([`name_check`]), and the
/// certificate name `host` must pass one ([`x509_check_host`]). Braces (Postfix's `{...}`
/// quoting) and attributes other than `match` and one `servername` are taken as making the
/// policy invalid: a model, since Postfix accepts a few others (`ciphers=...`).
pub(crate) fn postfix_accepts(policy: &str, host: &str, nexthop: &str) -> bool {
    if policy.contains(['{', '}']) {
        return false;
    }
    let mut tokens = policy
        .split([' ', '\t', '\r', '\n', ','])
        .filter(|t| !t.is_empty());
    if tokens.next() != Some("secure") {
        return false;
    }
    let mut patterns = Vec::new();
    let mut servernames = 0;
    for token in tokens {
        let Some((name, value)) = split_nameval(token) else {
            return false;
        };
        if name.eq_ignore_ascii_case("match") {
            if value.is_empty() {
                return false;
            }
            patterns.extend(value.split(':').filter(|p| !p.is_empty()));
        } else if name.eq_ignore_ascii_case("servername") {
            servernames += 1;
            if servernames > 1 {
                return false;
            }
        } else {
            return false;
        }
    }
    patterns
        .iter()
        .filter_map(|p| name_check(p, host, nexthop))
        .any(|check| x509_check_host(host.as_bytes(), check.as_bytes()))
}

/// C's `isspace` in the "C" locale.
fn c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// Postfix's `split_nameval`: `name = value`, blanks around both removed.
fn split_nameval(token: &str) -> Option<(&str, &str)> {
    let rest = token.trim_start_matches(c_space);
    let end = rest
        .find(|c: char| c_space(c) || c == '=')
        .unwrap_or(rest.len());
    let (name, after) = rest.split_at(end);
    let value = after.trim_start_matches(c_space).strip_prefix('=')?;
    (!name.is_empty()).then(|| (name, value.trim_matches(c_space)))
}

/// The host name OpenSSL is told to check for one `match` pattern (`add_namechecks`): `None`
/// when Postfix skips the pattern (`.` alone). A leading `.` asks for any sub-domain.
fn name_check(pattern: &str, host: &str, nexthop: &str) -> Option<String> {
    let (name, sub) = if pattern.eq_ignore_ascii_case("nexthop") {
        (nexthop, false)
    } else if pattern.eq_ignore_ascii_case("dot-nexthop") {
        (nexthop, true)
    } else if pattern.eq_ignore_ascii_case("hostname") {
        (host, false)
    } else if let Some(rest) = pattern.strip_prefix('.') {
        if rest.is_empty() {
            return None;
        }
        (rest, true)
    } else {
        // IDNA2003's other full stops, as a leading dot with something after it.
        match pattern.strip_prefix(['\u{3002}', '\u{ff0e}', '\u{ff61}']) {
            Some(rest) if !rest.is_empty() => (rest, true),
            _ => (pattern, false),
        }
    };
    let name = if name.is_ascii() {
        name.to_owned()
    } else {
        crate::names::idn::to_ascii(name).unwrap_or_else(|| name.to_owned())
    };
    Some(if sub { format!(".{name}") } else { name })
}

/// OpenSSL's `X509_check_host` for a certificate whose one DNS name is `cert`, with
/// `X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS` (Postfix's flag): ASCII case-insensitive equality; a
/// check name beginning with `.` matches any longer certificate name ending in it (any depth);
/// a certificate name `*.rest` (at least two labels after) matches one whole label. No trailing
/// dot is removed on either side.
pub(crate) fn x509_check_host(cert: &[u8], check: &[u8]) -> bool {
    let sub = check.len() > 1 && check[0] == b'.';
    if sub {
        return check.len() < cert.len()
            && cert[cert.len() - check.len()..].eq_ignore_ascii_case(check)
            || cert.eq_ignore_ascii_case(check);
    }
    if wildcard_suffix(cert).is_some_and(|suffix| {
        check.len() > suffix.len() && {
            let (label, tail) = check.split_at(check.len() - suffix.len());
            tail.eq_ignore_ascii_case(suffix)
                && (label == b"*"
                    || label
                        .iter()
                        .all(|&c| c.is_ascii_alphanumeric() || c == b'-'))
        }
    }) {
        return true;
    }
    cert.eq_ignore_ascii_case(check)
}

/// For a certificate name that is a valid full-label wildcard (`*.` then at least two LDH
/// labels), the part after the `*`.
fn wildcard_suffix(cert: &[u8]) -> Option<&[u8]> {
    let suffix = cert.strip_prefix(b"*")?;
    let labels: Vec<&[u8]> = suffix.strip_prefix(b".")?.split(|&c| c == b'.').collect();
    let ldh = |l: &&[u8]| {
        !l.is_empty()
            && l[0] != b'-'
            && l[l.len() - 1] != b'-'
            && l.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
    };
    (labels.len() >= 2 && labels.iter().all(ldh)).then_some(suffix)
}

// --- Python: the str methods, int() and codecs the package relies on ----------------------

/// `str.isspace()`: Unicode white space, plus the ASCII separators U+001C..U+001F.
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(py_space)
}

fn py_lstrip(s: &str) -> &str {
    s.trim_start_matches(py_space)
}

fn py_rstrip(s: &str) -> &str {
    s.trim_end_matches(py_space)
}

/// The characters `str.splitlines()` breaks at (CR LF counts once).
fn py_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\x0b'
            | '\x0c'
            | '\x1c'
            | '\x1d'
            | '\x1e'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// `str.splitlines()`: no empty last line after a final break.
fn py_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match rest.find(py_line_break) {
            Some(at) => {
                lines.push(&rest[..at]);
                let skip = if rest[at..].starts_with("\r\n") {
                    2
                } else {
                    rest[at..].chars().next().map_or(1, char::len_utf8)
                };
                rest = &rest[at + skip..];
            }
            None => {
                lines.push(rest);
                rest = "";
            }
        }
    }
    lines
}

/// The first code point of each run of ten Unicode decimal digits (category Nd) in Python 3.11's
/// Unicode 14 tables, which `int()` reads as 0..9.
const DIGIT_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

fn py_digit(c: char) -> Option<u32> {
    let c = u32::from(c);
    let at = DIGIT_ZEROS.partition_point(|&z| z <= c).checked_sub(1)?;
    let d = c - DIGIT_ZEROS[at];
    (d < 10).then_some(d)
}

/// Python's `int(s)`: `(negative, magnitude)` (saturating), or `None` where it raises.
fn py_int(s: &str) -> Option<(bool, u128)> {
    let s = py_strip(s);
    let (negative, digits) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mut value, mut count, mut after_underscore) = (0u128, 0usize, true);
    for c in digits.chars() {
        if c == '_' {
            if after_underscore {
                return None;
            }
            after_underscore = true;
            continue;
        }
        value = value
            .saturating_mul(10)
            .saturating_add(u128::from(py_digit(c)?));
        count += 1;
        after_underscore = false;
    }
    // No digit, a trailing `_`, or more digits than Python 3.11 converts (4300).
    (!after_underscore && count <= 4300).then_some((negative, value))
}

/// The `charset` parameter as aiohttp reads it (Python's e-mail header parser), for the usual
/// forms: `charset=token` (cut at a space or special), `charset="quoted"`, `charset` alone (an
/// empty name). A parameter with an empty or `'`-holding token is dropped; the first one wins.
fn charset(content_type: &str) -> Option<String> {
    for param in content_type.split(';').skip(1) {
        let (name, value) = match param.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim())),
            None => (param.trim(), None),
        };
        if !name.eq_ignore_ascii_case("charset") {
            continue;
        }
        let Some(value) = value else {
            return Some(String::new());
        };
        if let Some(quoted) = value.strip_prefix('"') {
            let (mut out, mut chars) = (String::new(), quoted.chars());
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => out.extend(chars.next()),
                    c => out.push(c),
                }
            }
            return Some(out);
        }
        let token = value
            .split(|c: char| c.is_whitespace() || "()<>@,;:\\\"/[]?=".contains(c))
            .next()
            .unwrap_or("");
        if !token.is_empty() && !token.contains('\'') {
            return Some(token.to_owned());
        }
    }
    None
}

/// The codecs this model knows, by family.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Codec {
    Ascii,
    Latin1,
    Utf8,
    Utf8Sig,
    /// UTF-16 or UTF-32 (`units` bytes): `Some(big_endian)`, or `None` for a BOM, else little.
    Wide {
        units: usize,
        big: Option<bool>,
    },
    /// ISO 8859-2..16: ASCII; 0x80..=0xA0 are C1 controls and NBSP as in Latin-1; the rest are
    /// letters and signs (approximated: undefined bytes are not reported as errors).
    Iso8859,
    /// Windows-1250..1258, KOI8: ASCII and NBSP at 0xA0; the rest approximated as printable.
    CodePage,
}

/// Python's `codecs.lookup` for the names this model knows; `None` for any other name (Python
/// raises `LookupError` for unknown names; rarer codecs it does know are not modelled).
fn codec(name: &str) -> Option<Codec> {
    // encodings.normalize_encoding: runs of other characters become one '_', ends dropped.
    let mut norm = String::new();
    let mut gap = false;
    for c in name.chars() {
        if c.is_alphanumeric() || c == '.' {
            if gap && !norm.is_empty() {
                norm.push('_');
            }
            if c.is_ascii() {
                norm.push(c.to_ascii_lowercase());
            }
            gap = false;
        } else {
            gap = true;
        }
    }
    let n = norm.replace('.', "_");
    // A name with a '.' reaches only aliases, never a codec module's own name.
    if norm.contains('.') && is_module_name(&n) {
        return None;
    }
    let codec = match n.as_str() {
        "646" | "ansi_x3_4_1968" | "ansi_x3_4_1986" | "ascii" | "cp367" | "csascii" | "ibm367"
        | "iso646_us" | "iso_646_irv_1991" | "iso_ir_6" | "us" | "us_ascii" => Codec::Ascii,
        "8859" | "cp819" | "csisolatin1" | "ibm819" | "iso8859" | "iso8859_1" | "iso_8859_1"
        | "iso_8859_1_1987" | "iso_ir_100" | "l1" | "latin" | "latin1" | "latin_1" => Codec::Latin1,
        "cp65001" | "u8" | "utf" | "utf8" | "utf8_ucs2" | "utf8_ucs4" | "utf_8" => Codec::Utf8,
        "utf_8_sig" => Codec::Utf8Sig,
        "u16" | "utf16" | "utf_16" => Codec::Wide {
            units: 2,
            big: None,
        },
        "unicodelittleunmarked" | "utf_16_le" | "utf_16le" => Codec::Wide {
            units: 2,
            big: Some(false),
        },
        "unicodebigunmarked" | "utf_16_be" | "utf_16be" => Codec::Wide {
            units: 2,
            big: Some(true),
        },
        "u32" | "utf32" | "utf_32" => Codec::Wide {
            units: 4,
            big: None,
        },
        "utf_32_le" | "utf_32le" => Codec::Wide {
            units: 4,
            big: Some(false),
        },
        "utf_32_be" | "utf_32be" => Codec::Wide {
            units: 4,
            big: Some(true),
        },
        "koi8_r" | "cskoi8r" | "koi8_u" => Codec::CodePage,
        _ => return iso_or_windows(&n),
    };
    Some(codec)
}

/// Codec module names that are not also aliases.
fn is_module_name(n: &str) -> bool {
    matches!(
        n,
        "ascii"
            | "latin_1"
            | "utf_8"
            | "utf_8_sig"
            | "utf_16"
            | "utf_16_le"
            | "utf_16_be"
            | "utf_32"
            | "utf_32_le"
            | "utf_32_be"
            | "koi8_r"
            | "koi8_u"
    ) || (n.starts_with("iso8859_") && n != "iso8859_1")
        || n.starts_with("cp")
}

/// `iso8859_N`, `iso_8859_N[_YEAR]`, `latinN`, `lN` (N = 2..10) and `cp125N`, `windows_125N`,
/// `125N`.
fn iso_or_windows(n: &str) -> Option<Codec> {
    let number = |s: &str| s.parse::<u32>().ok();
    let iso = n
        .strip_prefix("iso8859_")
        .or_else(|| {
            n.strip_prefix("iso_8859_")
                .map(|s| s.split('_').next().unwrap_or(s))
        })
        .and_then(number)
        .is_some_and(|p| (2..=16).contains(&p) && p != 12);
    let latin = n
        .strip_prefix("latin")
        .or_else(|| n.strip_prefix('l'))
        .and_then(number)
        .is_some_and(|p| (2..=10).contains(&p));
    let windows = n
        .strip_prefix("windows_")
        .or_else(|| n.strip_prefix("cp"))
        .unwrap_or(n);
    if iso || latin {
        Some(Codec::Iso8859)
    } else if windows.len() == 4 && number(windows).is_some_and(|p| (1250..=1258).contains(&p)) {
        Some(Codec::CodePage)
    } else {
        None
    }
}

/// `bytes.decode(charset)`, with ASCII when there is no charset.
fn decode(body: &[u8], charset: Option<&str>) -> Result<String, String> {
    let Some(codec) = charset.map_or(Some(Codec::Ascii), codec) else {
        return Err(format!(
            "charset {:?} is not a codec Python knows",
            charset.unwrap_or("")
        ));
    };
    let bad = |what: &str| Err(format!("the body is not valid {what}"));
    match codec {
        Codec::Ascii if body.is_ascii() => Ok(body.iter().map(|&b| char::from(b)).collect()),
        Codec::Ascii => {
            Err("a non-ASCII byte in the body, and no charset=utf-8 (read as ASCII)".to_owned())
        }
        Codec::Latin1 => Ok(body.iter().map(|&b| char::from(b)).collect()),
        Codec::Utf8 => std::str::from_utf8(body)
            .map(str::to_owned)
            .or_else(|_| bad("UTF-8")),
        Codec::Utf8Sig => {
            let body = body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(body);
            std::str::from_utf8(body)
                .map(str::to_owned)
                .or_else(|_| bad("UTF-8"))
        }
        Codec::Wide { units, big } => wide(body, units, big).map_or_else(|| bad("UTF-16/32"), Ok),
        Codec::Iso8859 | Codec::CodePage => Ok(body
            .iter()
            .map(|&b| match b {
                0..=0x7f | 0xa0 => char::from(b),
                0x80..=0x9f if codec == Codec::Iso8859 => char::from(b),
                _ => '\u{fffd}',
            })
            .collect()),
    }
}

/// UTF-16 / UTF-32 decoding as Python does it (a BOM picks the order for the plain names and is
/// dropped; otherwise little-endian; a BOM under an explicit order is kept as U+FEFF).
fn wide(body: &[u8], units: usize, big: Option<bool>) -> Option<String> {
    if body.len() % units != 0 {
        return None;
    }
    let word = |chunk: &[u8], big: bool| {
        let bytes = chunk.iter().copied();
        if big {
            bytes.fold(0u32, |a, b| a << 8 | u32::from(b))
        } else {
            bytes.rev().fold(0u32, |a, b| a << 8 | u32::from(b))
        }
    };
    let mut words: Vec<u32> = Vec::with_capacity(body.len() / units);
    let order = big.unwrap_or_else(|| body.len() >= units && word(&body[..units], true) == 0xfeff);
    words.extend(body.chunks(units).map(|c| word(c, order)));
    if big.is_none() && words.first() == Some(&0xfeff) {
        words.remove(0);
    }
    if units == 4 {
        return words.into_iter().map(char::from_u32).collect();
    }
    let halves: Vec<u16> = words.into_iter().map(|w| w as u16).collect();
    String::from_utf16(&halves).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compares the model with the adapter's answers: `MTASTS_REQUESTS` (protocol requests,
    /// one a line) and `MTASTS_ANSWERS` (the adapter's answers, in the same order), e.g.
    /// `tests/conformance/adapters/postfix-mta-sts-resolver/run < req > ans`. Ignored unless run
    /// with `--ignored` and both variables set.
    #[test]
    #[ignore = "needs the adapter's answers (MTASTS_REQUESTS, MTASTS_ANSWERS)"]
    fn agrees_with_the_adapter() {
        let (Ok(req), Ok(ans)) = (
            std::env::var("MTASTS_REQUESTS"),
            std::env::var("MTASTS_ANSWERS"),
        ) else {
            return;
        };
        let read = |p: &str| std::fs::read_to_string(p).expect("readable file");
        let (req, ans) = (read(&req), read(&ans));
        let mut differ = Vec::new();
        for (r, a) in req.lines().zip(ans.lines()) {
            let r: serde_json::Value = serde_json::from_str(r).expect("request JSON");
            let a: serde_json::Value = serde_json::from_str(a).expect("answer JSON");
            let got = model_answer(&MODEL, &r);
            if !same(&got, &a) {
                differ.push(format!("{r}\n  model   {got}\n  adapter {a}"));
            }
        }
        assert!(
            differ.is_empty(),
            "{} differ:\n{}",
            differ.len(),
            differ.join("\n")
        );
    }

    /// The model's answer to one protocol request, in the protocol's shape.
    pub(crate) fn model_answer(model: &Model, r: &serde_json::Value) -> serde_json::Value {
        use base64::Engine as _;
        use serde_json::json;
        let s = |k: &str| r[k].as_str().unwrap_or_default();
        match s("kind") {
            "sts-txt" => {
                let records: Vec<&str> = r["records"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                    .unwrap_or_default();
                match (model.txt)(&records) {
                    TxtRead::Policy { id } => json!({"outcome": "policy", "id": id}),
                    TxtRead::NoPolicy(_) => json!({"outcome": "no-policy"}),
                }
            }
            "policy" => {
                let body = base64::engine::general_purpose::STANDARD
                    .decode(s("body_base64"))
                    .expect("base64 body");
                let response = Response {
                    status: r["status"].as_u64().map_or(0, |n| n as u16),
                    content_type: r["content_type"].as_str(),
                    body: &body,
                };
                match (model.policy)(&response) {
                    PolicyRead::Policy(p) => json!({"outcome": "policy", "policy": p}),
                    PolicyRead::NoPolicy(_) => json!({"outcome": "no-policy"}),
                }
            }
            _ => json!({"matches": (model.matches)(s("pattern"), s("host"))}),
        }
    }

    fn txt_id(records: &[&str]) -> Option<String> {
        match txt(records) {
            TxtRead::Policy { id } => Some(id),
            TxtRead::NoPolicy(_) => None,
        }
    }

    /// Each row: TXT records → the id it reads (`None`: no policy). Pinned by the adapter.
    #[test]
    fn txt_table() {
        let rows: &[(&[&str], Option<&str>)] = &[
            (&[], None),
            (&["v=STSv1; id=abc"], Some("abc")),
            (&["v=STSv1;id=abc"], Some("abc")),
            (&["v=STSv1; id=abc;"], Some("abc")),
            (&["v=STSv1 ; id=abc"], Some("abc")),
            (&["v=STSv1;;id=abc"], Some("abc")),
            (&["v=STSv1;\tid=abc\x1c"], Some("abc")),
            (&[" v=STSv1; id=abc"], None),
            (&["V=STSv1; id=abc"], None),
            (&["v=stsv1; id=abc"], None),
            (&["v=STSv10; id=abc"], None),
            (&["v=STSv1 id=abc"], None),
            (&["id=abc; v=STSv1"], None),
            // Several records: unrelated ones are ignored; two v=STSv1 ones, even equal, are none.
            (&["v=STSv1; id=abc", "hello"], Some("abc")),
            (&["v=STSv1; id=abc", "v=spf1 -all"], Some("abc")),
            (&["v=STSv1; id=a", "v=STSv1; id=b"], None),
            (&["v=STSv1; id=a", "v=STSv1; id=a"], None),
            // A record that is not ASCII is dropped before counting.
            (&["v=STSv1; id=abc", "v=STSv1\u{e9}; id=x"], Some("abc")),
            (&["v=STSv1; id=ab\u{e9}"], None),
            // The id: any syntax, any length, even empty; the last one wins.
            (&["v=STSv1"], None),
            (&["v=STSv1; id="], Some("")),
            (&["v=STSv1; id"], Some("")),
            (&["v=STSv1; ID=abc"], None),
            (&["v=STSv1; id =abc"], None),
            (&["v=STSv1; id= abc"], Some(" abc")),
            (&["v=STSv1; id=abc; id=def"], Some("def")),
            (&["v=STSv1; id=a-b_c!"], Some("a-b_c!")),
            (
                &["v=STSv1; id=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
                Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ),
            (&["v=STSv1;id=a=b"], Some("a=b")),
            (&["v=STSv1; id=abc; ext=1"], Some("abc")),
            (&["v=STSv1; =x; id=1"], Some("1")),
            // A later v replaces the first.
            (&["v=STSv1; id=abc; v=STSv2"], None),
            (&["v=STSv1; id=1; v="], None),
            (&["v=STSv1; v=STSv1; id=x"], Some("x")),
        ];
        for (records, want) in rows {
            assert_eq!(txt_id(records).as_deref(), *want, "{records:?}");
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

    /// Status and Content-Type, with a valid body. Pinned by the adapter.
    #[test]
    fn response_table() {
        for status in [201, 204, 301, 302, 304, 307, 308, 404, 500] {
            assert_eq!(
                read(status, Some("text/plain"), OK.as_bytes()),
                None,
                "{status}"
            );
        }
        let rows: &[(Option<&str>, bool)] = &[
            (None, false),
            (Some(""), false),
            (Some("text/plain"), true),
            (Some("TEXT/PLAIN"), true),
            (Some(" text/plain "), true),
            (Some("text/plain;"), true),
            (Some("text/plain ; format=flowed"), true),
            (Some("Text/Plain; Charset=UTF-8"), true),
            (Some("text/html"), false),
            (Some("text/csv"), false),
            (Some("text/plainx"), false),
            (Some("text/plain, text/html"), false),
            (Some("application/octet-stream"), false),
            // An ASCII body under any charset Python knows; an unknown or empty one fails.
            (Some("text/plain; charset=latin1"), true),
            (Some("text/plain; charset=utf8"), true),
            (Some("text/plain; charset=UTF_8"), true),
            (Some("text/plain; charset=utf 8"), true),
            (Some("text/plain; charset=us.ascii"), true),
            (Some("text/plain; charset=windows-1252"), true),
            (Some("text/plain; charset=koi8-r"), true),
            (Some("text/plain; charset=latin-9"), false),
            (Some("text/plain; charset=latin9"), true),
            (Some("text/plain; charset=bogus"), false),
            (Some("text/plain; charset=utf.8"), false),
            (Some("text/plain; charset=\"utf 8\""), true),
            (Some("text/plain; charset"), false),
            (Some("text/plain; charset=\"\""), false),
            (Some("text/plain; charset="), true),
            (Some("text/plain; charset=''"), true),
            (Some("text/plain; charset=utf-8; charset=bogus"), true),
            (Some("text/plain; charset=bogus; charset=utf-8"), false),
            // A UTF-16 or UTF-32 charset turns an ASCII body into other characters.
            (Some("text/plain; charset=utf-16"), false),
            (Some("text/plain; charset=utf-32"), false),
        ];
        for (content_type, policy) in rows {
            assert_eq!(
                read(200, *content_type, OK.as_bytes()).is_some(),
                *policy,
                "{content_type:?}"
            );
        }
    }

    /// Charset and bytes. Pinned by the adapter.
    #[test]
    fn charset_table() {
        let e9 = format!("{OK}note: caf\u{e9}\r\n");
        let latin_e9 = [OK.as_bytes(), b"note: caf\xe9\r\n"].concat();
        let nbsp =
            b"version: STSv1\r\nmode: enforce\xa0\r\nmx: mail.example.com\r\nmax_age: 86400\r\n";
        let nel = b"version: STSv1\x85mode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n";
        let bom = [b"\xef\xbb\xbf", OK.as_bytes()].concat();
        let utf16: Vec<u8> = OK.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let utf16_bom = [&[0xff, 0xfe][..], &utf16].concat();
        let rows: &[(&[u8], &str, bool)] = &[
            (e9.as_bytes(), "text/plain", false),
            (e9.as_bytes(), "text/plain; charset=utf-8", true),
            (e9.as_bytes(), "text/plain; charset=ascii", false),
            (e9.as_bytes(), "text/plain; charset=latin1", true),
            (&latin_e9, "text/plain; charset=utf-8", false),
            (&latin_e9, "text/plain; charset=latin1", true),
            (&latin_e9, "text/plain; charset=windows-1252", true),
            // NBSP is white space to Python and NEL a line break, once decoded as Latin-1.
            (nbsp, "text/plain; charset=latin1", true),
            (nbsp, "text/plain", false),
            (nel, "text/plain; charset=latin1", true),
            (nel, "text/plain; charset=windows-1252", false),
            // A BOM is kept by utf-8 (the first key is then not "version"), dropped by utf-8-sig.
            (&bom, "text/plain; charset=utf-8", false),
            (&bom, "text/plain; charset=utf-8-sig", true),
            (&bom, "text/plain", false),
            (&utf16, "text/plain; charset=utf-16", true),
            (&utf16, "text/plain; charset=utf-16-le", true),
            (&utf16_bom, "text/plain; charset=utf-16", true),
            (&utf16_bom, "text/plain; charset=utf-16-le", false),
            (&utf16, "text/plain", false),
        ];
        for (body, content_type, policy) in rows {
            assert_eq!(
                read(200, Some(content_type), body).is_some(),
                *policy,
                "{content_type} {body:?}"
            );
        }
        // At most 64 KiB.
        let pad = |n: usize| format!("{OK}x: {}\r\n", "a".repeat(n - OK.len() - 5));
        assert!(read(200, Some("text/plain"), pad(65536).as_bytes()).is_some());
        assert!(read(200, Some("text/plain"), pad(65537).as_bytes()).is_none());
    }

    /// The body, as text/plain. Pinned by the adapter.
    #[test]
    fn body_table() {
        let (v, m, x, a) = (
            "version: STSv1",
            "mode: enforce",
            "mx: mail.example.com",
            "max_age: 86400",
        );
        let enforce = |max_age: u64, mx: &[&str]| {
            Some((
                "enforce".to_owned(),
                max_age,
                mx.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
            ))
        };
        let std = enforce(86400, &["mail.example.com"]);
        let rows: Vec<(String, Read)> = vec![
            (OK.to_owned(), std.clone()),
            (format!("{v}\n{m}\n{x}\n{a}\n"), std.clone()),
            (format!("{v}\r{m}\r{x}\r{a}\r"), std.clone()),
            (format!("{v}\r\n{m}\n{x}\r{a}"), std.clone()),
            (format!("{OK}\r\n"), std.clone()),
            (format!("{v}\n{m}\n{x}\n{a}\n\n"), std.clone()),
            (format!("\r\n{OK}"), std.clone()),
            (format!("{v}\r\n\r\n{m}\r\n{x}\r\n{a}\r\n"), std.clone()),
            (format!("  \r\n{OK}\t\r\n"), std.clone()),
            // Vertical tab, form feed, U+001C split lines too.
            (format!("{v}\x0b{m}\r\n{x}\r\n{a}\r\n"), std.clone()),
            (format!("{v}\x1c{m}\r\n{x}\r\n{a}\r\n"), std.clone()),
            (format!("{v}  \r\n{m}\t\r\n{x} \r\n{a}\r\n"), std.clone()),
            ("version:STSv1\r\nmode:enforce\r\nmx:mail.example.com\r\nmax_age:86400\r\n".to_owned(), std.clone()),
            ("version:    STSv1\r\nmode:\tenforce\r\nmx:  mail.example.com\r\nmax_age:   86400\r\n".to_owned(), std.clone()),
            // The key is not trimmed and is case-sensitive; the value is case-sensitive.
            (format!("  {v}\r\n\t{m}\r\n{x}\r\n{a}\r\n"), None),
            ("version : STSv1\r\nmode : enforce\r\nmx : mail.example.com\r\nmax_age : 86400\r\n".to_owned(), None),
            ("Version: STSv1\r\nMode: enforce\r\nMX: mail.example.com\r\nMax_Age: 86400\r\n".to_owned(), None),
            (format!("{v}\r\nmode: Enforce\r\n{x}\r\n{a}\r\n"), None),
            (format!("{v}\r\nMode: enforce\r\n{m}\r\n{x}\r\n{a}\r\n"), std.clone()),
            ("version: stsv1\r\nmode: enforce\r\nmx: a\r\nmax_age: 1\r\n".to_owned(), None),
            (format!("{m}\r\n{v}\r\n{x}\r\n{a}\r\n"), std.clone()),
            (format!("{m}\r\n{x}\r\n{a}\r\n"), None),
            // Repeated keys: the last wins.
            (format!("{v}\r\nversion: STSv2\r\n{m}\r\n{x}\r\n{a}\r\n"), None),
            (format!("version: STSv2\r\n{v}\r\n{m}\r\n{x}\r\n{a}\r\n"), std.clone()),
            (format!("{v}\r\n{m}\r\nmode: testing\r\n{x}\r\n{a}\r\n"), Some(("testing".to_owned(), 86400, vec!["mail.example.com".to_owned()]))),
            (format!("{v}\r\nmode: testing\r\n{m}\r\n{x}\r\n{a}\r\n"), std.clone()),
            (format!("{v}\r\n{m}\r\nmode: bogus\r\n{x}\r\n{a}\r\n"), None),
            (format!("{OK}max_age: 5\r\n"), enforce(5, &["mail.example.com"])),
            (format!("{v}\r\n{m}\r\n{x}\r\n{x}\r\n{a}\r\n"), enforce(86400, &["mail.example.com", "mail.example.com"])),
            // Unknown keys and lines without a colon are ignored.
            (format!("{v}\r\n{m}\r\nfoo: bar\r\njunk\r\nx: {{a}}\r\n{x}\r\n{a}\r\n"), std.clone()),
            // Missing keys; mode none needs no mx; testing and enforce do.
            (format!("{v}\r\nmode: none\r\n{a}\r\n"), Some(("none".to_owned(), 86400, vec![]))),
            (format!("{v}\r\n{x}\r\n{a}\r\n"), None),
            (format!("{v}\r\nmode:\r\n{x}\r\n{a}\r\n"), None),
            (format!("{v}\r\nmode: testing\r\n{a}\r\n"), None),
            (format!("{v}\r\n{m}\r\n{a}\r\n"), None),
            (format!("{v}\r\n{m}\r\n{x}\r\n"), None),
            // A BOM (UTF-8) or U+2028 (not decodable without a charset) spoils the body.
            (format!("\u{feff}{OK}"), None),
            (String::new(), None),
            ("\r\n\r\n".to_owned(), None),
        ];
        for (body, want) in rows {
            assert_eq!(
                read(200, Some("text/plain"), body.as_bytes()),
                want,
                "{body:?}"
            );
        }
        let u2028 = format!("{v}\u{2028}{m}\r\n{x}\r\n{a}\r\n");
        assert_eq!(
            read(200, Some("text/plain; charset=utf-8"), u2028.as_bytes()),
            std
        );
    }

    /// `max_age` as Python's `int()` reads it, and its bounds. Pinned by the adapter.
    #[test]
    fn max_age_table() {
        let rows: &[(&str, Option<u64>)] = &[
            ("0", Some(0)),
            ("31557600", Some(31_557_600)),
            ("31557601", None),
            ("1234567890", None),
            ("99999999999999999999999", None),
            ("00086400", Some(86400)),
            ("-1", None),
            ("-0", Some(0)),
            ("-86400", None),
            ("+86400", Some(86400)),
            ("86_400", Some(86400)),
            ("8_6_4", Some(864)),
            ("86__400", None),
            ("_86400", None),
            ("86400_", None),
            ("abc", None),
            ("86400s", None),
            ("86 400", None),
            ("", None),
            ("1e5", None),
            ("0x10", None),
            ("86400.0", None),
            ("\u{b2}", None),
            ("\u{668}\u{666}\u{664}\u{660}\u{660}", Some(86400)),
            ("\u{ff18}\u{ff16}\u{ff14}\u{ff10}\u{ff10}", Some(86400)),
        ];
        for (value, want) in rows {
            let body = format!("version: STSv1\r\nmode: enforce\r\nmx: m\r\nmax_age: {value}\r\n");
            let got = read(200, Some("text/plain; charset=utf-8"), body.as_bytes()).map(|p| p.1);
            assert_eq!(got, *want, "{value:?}");
        }
        let zeros = format!(
            "version: STSv1\r\nmode: none\r\nmax_age: {}\r\n",
            "0".repeat(5000)
        );
        assert_eq!(read(200, Some("text/plain"), zeros.as_bytes()), None);
    }

    /// `mx` values are kept as written, with no syntax check.
    #[test]
    fn mx_table() {
        for mx in [
            "mail.example.com.",
            "MAIL.Example.Com",
            "*.example.com",
            "*",
            "*.",
            "**.example.com",
            "192.0.2.1",
            "[192.0.2.1]",
            "",
            "mail.example.com extra",
            "a,b",
            "a:b",
            "mail_example.com",
            "-bad-.example.com",
            "*.*.example.com",
            "mail.example.com:25",
        ] {
            let body = format!("version: STSv1\r\nmode: enforce\r\nmx: {mx}\r\nmax_age: 86400\r\n");
            let got = read(200, Some("text/plain"), body.as_bytes()).map(|p| p.2);
            assert_eq!(got, Some(vec![mx.to_owned()]), "{mx:?}");
        }
    }

    /// Pattern, MX host (the certificate names exactly it) → accepted. Pinned by the adapter,
    /// whose Postfix half is the same model.
    #[test]
    fn match_table() {
        let rows: &[(&str, &str, bool)] = &[
            ("mail.example.com", "mail.example.com", true),
            ("mail.example.com", "MAIL.example.com", true),
            ("MAIL.EXAMPLE.COM", "mail.example.com", true),
            ("mail.example.com", "mail.example.com.", false),
            ("mail.example.com.", "mail.example.com", false),
            ("mail.example.com", "x.mail.example.com", false),
            // `*.` becomes `.`: any depth, never the parent itself.
            ("*.example.com", "mail.example.com", true),
            ("*.example.com", "a.b.example.com", true),
            ("*.EXAMPLE.com", "a.b.example.com", true),
            ("*.example.com", "example.com", false),
            ("*.example.com", "mailexample.com", false),
            ("*.example.com.", "mail.example.com", false),
            ("**.example.com", "a.b.example.com", true),
            ("*example.com", "example.com", true),
            ("*example.com", "mail.example.com", false),
            ("*.com", "example.com", true),
            ("*", "mail.example.com", false),
            ("*.", "mail.example.com", false),
            ("", "mail.example.com", false),
            ("*.*.example.com", "a.b.example.com", false),
            ("example.com", "example.com", true),
            // Postfix keywords: hostname is the MX host itself; nexthop the domain.
            ("hostname", "other.com", true),
            ("HOSTNAME", "example.com", true),
            ("nexthop", "example.com", true),
            ("nexthop", "mail.example.com", false),
            ("dot-nexthop", "a.b.example.com", true),
            // Postfix's own separators split or spoil the answer.
            ("a:mail.example.com", "mail.example.com", true),
            ("mail.example.com:", "mail.example.com", true),
            ("mail.example.com,", "mail.example.com", true),
            (",mail.example.com", "mail.example.com", false),
            ("mail.example.com extra", "mail.example.com", false),
            ("mail.example.com,other", "mail.example.com", false),
            ("mail.example.com servername=x", "mail.example.com", false),
            (
                "mail.example.com match=other.example.com",
                "other.example.com",
                true,
            ),
            ("{mail.example.com}", "mail.example.com", false),
            ("ciphers=high", "mail.example.com", false),
            // As written in an `mx:` line: trimmed, cut at a line break.
            (" mail.example.com ", "mail.example.com", true),
            ("mail.example.com\u{2028}junk", "mail.example.com", true),
            // U-labels are compared as A-labels (the rows below the loop need a UTS #46
            // converter: the `idna` feature, or the one the web app registers); IP literals as text.
            ("\u{3002}example.com", "mail.example.com", true),
            ("192.0.2.1", "192.0.2.1", true),
            ("[192.0.2.1]", "192.0.2.1", false),
            // A wildcard certificate name matches one label of an exact pattern.
            ("mail.example.com", "*.example.com", true),
            ("a.b.example.com", "*.example.com", false),
        ];
        for (pattern, host, want) in rows {
            assert_eq!(matches(pattern, host), *want, "{pattern:?} {host:?}");
        }
        #[cfg(feature = "idna")]
        {
            assert!(matches("\u{e9}.example.com", "xn--9ca.example.com"));
            assert!(!matches("\u{e9}.example.com", "\u{e9}.example.com"));
        }
    }

    fn same(model: &serde_json::Value, adapter: &serde_json::Value) -> bool {
        ["outcome", "policy", "matches"]
            .iter()
            .all(|k| model.get(*k) == adapter.get(*k))
            && (model["outcome"] != "policy"
                || model.get("id") == adapter.get("id")
                || model.get("id").is_none())
    }
}
