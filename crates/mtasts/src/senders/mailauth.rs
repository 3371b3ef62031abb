//! mailauth (npm, Postal Systems): the MTA-STS code of ZoneMTA and of Node senders, three readings.
//!
//! * [`ZONEMTA`]: mailauth **5.0.1**, the version `mx-connect@2.0.0` pins (its `package.json`
//!   depends on `"mailauth": "5.0.1"`). mx-connect's `resolvePolicy` calls
//!   `getPolicy(domain, cachedPolicy, { resolver })` with no other option, and `validateMx(mx,
//!   policy)` for each MX; `lib/get-connection.js` then refuses an MX only when the check failed and
//!   the policy is not `testing`. (The newest `zone-mta` on npm, 3.10.3, still depends on
//!   `mx-connect@1.5.6`, which pins mailauth 4.8.3. Its `lib/mta-sts.js` differs from 5.0.1's only
//!   in a bug reading `user@domain` addresses, which ZoneMTA never passes (it gives the domain),
//!   and its `lib/parse-dkim-headers.js` only in guards for tags named `header`, `value` or
//!   `__proto__`, which play no part in reading `v` and `id`; so this model reads 4.8.3 too, by
//!   source, not run.)
//! * [`MAILAUTH`]: mailauth **7.1.0** with its default options (lax).
//! * [`MAILAUTH_STRICT`]: mailauth 7.1.0 with `{ strict: true }`, the package's own option (JSDoc:
//!   "If true, then apply the RFC 8461 rules exactly").
//!
//! Read from the packages as npm serves them (`npm pack mailauth@5.0.1`, `mailauth@7.1.0`,
//! `mx-connect@2.0.0`): `lib/mta-sts.js` (`resolvePolicy`/`discoverPolicyId`, `parsePolicy`,
//! `fetchPolicy`, `validateMx`, `getPolicy`), `lib/parse-dkim-headers.js` (5.0.1 reads the TXT
//! record with its DKIM header parser), `lib/tools.js` (7.1.0 `toALabel`), and mx-connect's
//! `lib/mx-connect.js`, `lib/get-connection.js`, `lib/tools.js`; and in the repository
//! postalsys/mailauth, `lib/mta-sts.js`. The conformance adapter
//! `tests/conformance/adapters/mailauth/` runs the real `getPolicy` and `validateMx` (DNS through
//! the `resolver` option, HTTP through a local server under `node:https`), and the tables below
//! are what it answered.
//!
//! What each reading does, in short:
//!
//! * **TXT, 5.0.1**: records are trimmed, those starting `v=STSv1` (any case, then not a letter,
//!   digit or `_`) kept; two or more is an error (no policy); the one is read by the DKIM header
//!   parser: a `:` anywhere throws away everything up to it (so the `v` tag is gone and there is no
//!   policy), `(...)` is a comment, quotes are kept,
//!   a backslash doubles every later character, tag names are lower-cased, the **last** `id` wins
//!   and any non-empty text is an id.
//! * **TXT, 7.1.0**: records starting `v=STSv1` + spaces + `;` (any case, after trimming; strict:
//!   exactly, untrimmed) are kept, two or more is an error. Lax: the first `id` tag (any case) with
//!   a non-empty value. Strict: the RFC grammar (`id` 1-32 letters and digits, extension names
//!   and values checked, a later `id` is an extension).
//! * **Fetch**: 5.0.1 takes any 2xx, ignores Content-Type, has no size limit. 7.1.0 lax takes any
//!   2xx and any Content-Type; strict only 200 and `text/plain`; both refuse a body over 64 KiB.
//!   Node reads no body for a 204.
//! * **Body**: lines split at LF or CRLF, `key: value` around the first `:`, trimmed (JavaScript
//!   white space; strict: spaces and tabs). 5.0.1: keys any case, the **last** of a repeated key
//!   wins, a missing `mode` is `none`. 7.1.0: the **first** wins, `mode` is required; lax keys any
//!   case, strict keys exactly. `mode` values are lower-cased (not in strict). `max_age` is
//!   JavaScript's `Number()` (so empty is 0, `0x10` is 16, `1e3` is 1000; strict: 1 to 10 digits)
//!   and must be 0..=31557600. `mx` values are lower-cased and de-duplicated; strict also checks
//!   them against `["*."] Domain` (labels of letters, digits and inner hyphens: an IP address
//!   passes, a trailing dot does not). A BOM is JavaScript white space, so 5.0.1 and lax read the
//!   first line through it; strict skips that line (its key is not a field name). Bytes that are
//!   not UTF-8 become U+FFFD.
//! * **Matching, 5.0.1**: exact, or `*.` as a suffix of any depth; no trailing dot is removed.
//!   **7.1.0**: one trailing dot removed on both sides, `*.` stands for exactly one label.

use super::model::{Basis, Model, PolicyRead, ReadPolicy, Response, TxtRead};

/// The largest `max_age` every reading accepts.
const MAX_AGE_LIMIT: f64 = 31_557_600.0;
/// mailauth 7.1.0's body limit (`MAX_POLICY_SIZE`).
const MAX_POLICY_SIZE: usize = 64 * 1024;

/// ZoneMTA: mx-connect 2.0.0 with the mailauth 5.0.1 it pins.
pub static ZONEMTA: Model = Model {
    id: "zonemta",
    name: "ZoneMTA (mx-connect 2.0.0, mailauth 5.0.1)",
    version: "mailauth 5.0.1",
    basis: Basis::Run("npm mailauth@5.0.1"),
    #[cfg(feature = "docs")]
    sources: &[
        "npm mailauth@5.0.1: lib/mta-sts.js, lib/parse-dkim-headers.js, lib/safe-keys.js",
        "npm mx-connect@2.0.0: package.json (mailauth 5.0.1), lib/mx-connect.js, \
         lib/get-connection.js, lib/tools.js",
        "github postalsys/mailauth: lib/mta-sts.js",
    ],
    #[cfg(feature = "docs")]
    notes: "testing: the MX is checked, a failed check is logged and the mail delivered; enforce: \
            a failed check refuses that MX. A failed fetch, an invalid policy or several TXT records \
            with no cached policy: no policy for an hour (mode none, delivers); with a cached \
            policy: keeps applying it. mx-connect applies MTA-STS only when the caller enables it.",
    txt: v5_txt,
    policy: v5_policy,
    matches: v5_matches,
};

/// mailauth 7.1.0, default (lax) options.
pub static MAILAUTH: Model = Model {
    id: "mailauth",
    name: "mailauth",
    version: "7.1.0",
    basis: Basis::Run("npm mailauth@7.1.0"),
    #[cfg(feature = "docs")]
    sources: &[
        "npm mailauth@7.1.0: lib/mta-sts.js, lib/tools.js",
        "github postalsys/mailauth: lib/mta-sts.js",
    ],
    #[cfg(feature = "docs")]
    notes: "testing: validateMx reports a failed check with testing: true and the caller decides \
            (mx-connect delivers). A failed fetch with no cached policy: no policy for an hour \
            (mode none); with a cached policy: keeps applying it, even an expired enforce or \
            testing one.",
    txt: v7_lax_txt,
    policy: v7_lax_policy,
    matches: v7_matches,
};

/// mailauth 7.1.0 with `{ strict: true }`.
pub static MAILAUTH_STRICT: Model = Model {
    id: "mailauth-strict",
    name: "mailauth (strict)",
    version: "7.1.0 strict",
    basis: Basis::Run("npm mailauth@7.1.0"),
    #[cfg(feature = "docs")]
    sources: &[
        "version read: 7.1.0, strict: true",
        "npm mailauth@7.1.0: lib/mta-sts.js, lib/tools.js",
        "github postalsys/mailauth: lib/mta-sts.js",
    ],
    #[cfg(feature = "docs")]
    notes: "testing: validateMx reports a failed check with testing: true and the caller decides. \
            A failed fetch with no unexpired cached policy: no policy for an hour (mode none); with \
            an unexpired cached enforce or testing policy: keeps applying it.",
    txt: v7_strict_txt,
    policy: v7_strict_policy,
    matches: v7_matches,
};

// ---- JavaScript's string and number rules ----------------------------------------------------

/// JavaScript's `WhiteSpace` and `LineTerminator`: what `trim()` removes and `\s` matches.
fn js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// `s.trim()`.
fn js_trim(s: &str) -> &str {
    s.trim_matches(js_space)
}

/// `s.replace(/\s+/g, ' ').trim()`.
fn js_collapse(s: &str) -> String {
    js_trim(s)
        .split(js_space)
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `(digits)` of a decimal literal as `Number()` takes it: `D+[.D*]` or `.D+`, then `[eE][+-]D+`.
fn decimal_literal(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |d: &str| d.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// What JavaScript's `Number(value)` makes of a string; `None` for `NaN`.
fn js_number(value: &str) -> Option<f64> {
    let s = js_trim(value);
    if s.is_empty() {
        return Some(0.0);
    }
    let radix = match s.get(..2) {
        Some("0x" | "0X") => 16,
        Some("0o" | "0O") => 8,
        Some("0b" | "0B") => 2,
        _ => 10,
    };
    if radix != 10 {
        let digits = &s[2..];
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        return Some(digits.chars().fold(0.0, |n, c| {
            n * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
        }));
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if unsigned == "Infinity" {
        return Some(f64::INFINITY);
    }
    if !decimal_literal(unsigned) {
        return None;
    }
    s.parse::<f64>().ok()
}

/// `max_age` as the readings keep it, when it is a number in 0..=31557600. mailauth keeps a
/// fraction (`86400.5`); the model's `u64` drops it.
fn max_age_in_bounds(n: Option<f64>) -> Option<u64> {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    n.filter(|n| (0.0..=MAX_AGE_LIMIT).contains(n))
        .map(|n| n as u64)
}

// ---- punycode (RFC 3492), as punycode.js's toASCII applies it ---------------------------------

/// Punycode's digits: 0-25 are `a`-`z`, 26-35 are `0`-`9`.
fn punycode_digit(d: u32) -> char {
    let b = u8::try_from(d).unwrap_or(0);
    char::from(if b < 26 { b'a' + b } else { b'0' + (b - 26) })
}

fn punycode_adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / 700 } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > (35 * 26) / 2 {
        delta /= 35;
        k += 36;
    }
    k + (36 * delta) / (delta + 38)
}

/// The RFC 3492 encoding of `label` (without `xn--`); `None` on overflow.
fn punycode(label: &str) -> Option<String> {
    let points: Vec<u32> = label.chars().map(u32::from).collect();
    let mut out: String = label.chars().filter(char::is_ascii).collect();
    let basic = u32::try_from(out.len()).ok()?;
    if basic > 0 {
        out.push('-');
    }
    let (mut n, mut delta, mut bias, mut handled) = (128u32, 0u32, 72u32, basic);
    while (handled as usize) < points.len() {
        let m = points.iter().copied().filter(|&c| c >= n).min()?;
        delta = delta.checked_add((m - n).checked_mul(handled + 1)?)?;
        n = m;
        for &c in &points {
            if c < n {
                delta = delta.checked_add(1)?;
            }
            if c == n {
                let mut q = delta;
                let mut k: u32 = 36;
                loop {
                    let t = k.saturating_sub(bias).clamp(1, 26);
                    if q < t {
                        break;
                    }
                    out.push(punycode_digit(t + (q - t) % (36 - t)));
                    q = (q - t) / (36 - t);
                    k += 36;
                }
                out.push(punycode_digit(q));
                bias = punycode_adapt(delta, handled + 1, handled == basic);
                delta = 0;
                handled += 1;
            }
        }
        delta = delta.checked_add(1)?;
        n += 1;
    }
    Some(out)
}

/// punycode.js `toASCII`: the IDNA dots become `.`, each label with a non-ASCII character becomes
/// `xn--` and its encoding; on overflow the name is left as it was. (Its `@` handling, for e-mail
/// addresses, is left out: no host name has one.)
fn punycode_to_ascii(name: &str) -> String {
    let dotted = name.replace(['\u{3002}', '\u{ff0e}', '\u{ff61}'], ".");
    let labels: Option<Vec<String>> = dotted
        .split('.')
        .map(|l| {
            if l.is_ascii() {
                Some(l.to_owned())
            } else {
                punycode(l).map(|p| format!("xn--{p}"))
            }
        })
        .collect();
    labels.map_or_else(|| name.to_owned(), |l| l.join("."))
}

// ---- mailauth 5.0.1 -------------------------------------------------------------------------

/// `/^v=STSv1\b/i`: the version, any case, then not a word character.
fn v5_version_prefix(record: &str) -> bool {
    record
        .get(..7)
        .is_some_and(|p| p.eq_ignore_ascii_case("v=STSv1"))
        && !record[7..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
}

#[derive(Default)]
struct Tag {
    name: String,
    value: String,
    has_value: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    Name,
    Value,
    Comment,
    Quoted,
}

fn field(tag: &mut Tag, at: At) -> &mut String {
    if at == At::Name {
        &mut tag.name
    } else {
        &mut tag.value
    }
}

/// Splits a record into tags the way mailauth 5.0.1's DKIM header parser does (see the module
/// documentation), before any clean-up.
fn dkim_split(line: &str) -> Vec<Tag> {
    let mut tags = vec![Tag::default()];
    let (mut at, mut back, mut quote, mut escaped) = (At::Name, At::Name, '"', false);
    for c in line.chars() {
        let Some(tag) = tags.last_mut() else { break };
        match at {
            At::Name if c == '=' => {
                at = At::Value;
                tag.has_value = true;
            }
            At::Name | At::Value => {
                // A backslash is never cleared: from then on every character is taken twice.
                if escaped {
                    field(tag, at).push(c);
                }
                match c {
                    ';' => {
                        tags.push(Tag::default());
                        at = At::Name;
                    }
                    '\\' => escaped = true,
                    '(' => (back, at) = (at, At::Comment),
                    '"' | '\'' => {
                        field(tag, at).push(c);
                        (back, at, quote) = (at, At::Quoted, c);
                    }
                    _ => field(tag, at).push(c),
                }
            }
            At::Comment => match c {
                '\\' => escaped = true,
                ')' => at = back,
                _ => {}
            },
            At::Quoted => {
                if c == '\\' {
                    escaped = true;
                } else {
                    if c == quote {
                        at = back;
                    }
                    field(tag, back).push(c);
                }
            }
        }
    }
    tags
}

/// The `(name, value)` tags mailauth 5.0.1 keeps from a record, in order: names lower-cased, white
/// space collapsed, tags without a name dropped, and the first tag without `=` taken as the
/// header's own value.
fn dkim_tags(record: &str) -> Vec<(String, String)> {
    let mut line = js_trim(record);
    if let Some(colon) = line.find(':') {
        // Read as a header: everything up to the first colon is its name.
        line = js_trim(&line[colon + 1..]);
    }
    let mut tags: Vec<Tag> = dkim_split(line)
        .into_iter()
        .map(|t| Tag {
            name: js_collapse(&t.name).to_lowercase(),
            value: js_collapse(&t.value),
            has_value: t.has_value,
        })
        .filter(|t| !t.name.is_empty())
        .collect();
    if let Some(bare) = tags.iter().position(|t| !t.has_value) {
        tags.remove(bare);
    }
    tags.into_iter().map(|t| (t.name, t.value)).collect()
}

fn v5_txt(records: &[&str]) -> TxtRead {
    let found: Vec<&str> = records
        .iter()
        .map(|r| js_trim(r))
        .filter(|r| v5_version_prefix(r))
        .collect();
    let one = match found.as_slice() {
        [] => return TxtRead::NoPolicy("no record starts with v=STSv1".into()),
        [one] => *one,
        _ => return TxtRead::NoPolicy("more than one record starts with v=STSv1".into()),
    };
    let tags = dkim_tags(one);
    let last = |name: &str| tags.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v);
    if !last("v").is_some_and(|v| v.eq_ignore_ascii_case("STSv1")) {
        return TxtRead::NoPolicy("the v tag is not STSv1".into());
    }
    match last("id") {
        Some(id) if !id.is_empty() => TxtRead::Policy { id: id.clone() },
        _ => TxtRead::NoPolicy("the record has no id".into()),
    }
}

/// Node's HTTP client reads no body for a 204.
fn body_of<'a>(r: &Response<'a>) -> &'a [u8] {
    if r.status == 204 {
        &[]
    } else {
        r.body
    }
}

fn v5_policy(r: &Response<'_>) -> PolicyRead {
    if !(200..300).contains(&r.status) {
        return PolicyRead::NoPolicy(format!("HTTP status {} (not 2xx)", r.status));
    }
    parse_body(&String::from_utf8_lossy(body_of(r)), Reading::V5)
}

fn v5_matches(pattern: &str, host: &str) -> bool {
    let mut host = js_trim(host).to_lowercase();
    if host.chars().any(|c| ('\u{7e}'..='\u{ff}').contains(&c)) {
        host = punycode_to_ascii(&host);
    }
    let pattern = js_trim(pattern).to_lowercase();
    match pattern.strip_prefix('*').filter(|s| s.starts_with('.')) {
        // `*.` is a suffix: any number of labels, even an empty one.
        Some(suffix) => host.ends_with(suffix),
        None => pattern == host,
    }
}

// ---- the policy body (both versions) -------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    V5,
    Lax,
    Strict,
}

#[derive(Default)]
struct Fields {
    version: Option<String>,
    mode: Option<String>,
    /// `Some(None)`: present but `NaN`.
    max_age: Option<Option<f64>>,
    mx: Vec<String>,
    bad_mx: bool,
}

/// RFC 8461 `sts-policy-ext-name`, 7.1.0's `EXT_NAME`.
fn ext_name(name: &str) -> bool {
    let b = name.as_bytes();
    let ok = |c: &u8| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-');
    b.first().is_some_and(u8::is_ascii_alphanumeric) && b.len() <= 32 && b.iter().all(ok)
}

/// 7.1.0's `POLICY_MX_PATTERN`: `["*."]` then dot-separated LDH labels (any case, any length).
fn mx_pattern_ok(value: &str) -> bool {
    let name = value.strip_prefix("*.").unwrap_or(value);
    name.split('.').all(|l| {
        let b = l.as_bytes();
        b.first().is_some_and(u8::is_ascii_alphanumeric)
            && b.last().is_some_and(u8::is_ascii_alphanumeric)
            && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
    })
}

/// The key and value of one line, or `None` when the reading skips the line.
fn key_value(line: &str, reading: Reading) -> Option<(String, String)> {
    let colon = line.find(':')?;
    let (key, value) = (&line[..colon], &line[colon + 1..]);
    if reading == Reading::Strict {
        ext_name(key).then(|| (key.to_owned(), value.trim_matches([' ', '\t']).to_owned()))
    } else {
        Some((
            js_trim(&key.to_lowercase()).to_owned(),
            js_trim(value).to_owned(),
        ))
    }
}

fn read_fields(text: &str, reading: Reading) -> Fields {
    let mut f = Fields::default();
    let mut seen: Vec<String> = Vec::new();
    // Lines end at LF or CRLF: a CR at the very end, with no LF after it, stays in the last line
    // (mutation-080 of the conformance vectors, where strict then refuses the `mx` value).
    let pieces: Vec<&str> = text.split('\n').collect();
    let last = pieces.len() - 1;
    let lines = pieces
        .iter()
        .enumerate()
        .map(|(i, l)| match l.strip_suffix('\r') {
            Some(cut) if i < last => cut,
            _ => l,
        });
    for line in lines {
        let Some((key, value)) = key_value(line, reading) else {
            continue;
        };
        if reading != Reading::V5 && key != "mx" {
            // 7.1.0: the first of a repeated key counts.
            if seen.contains(&key) {
                continue;
            }
            seen.push(key.clone());
        }
        match key.as_str() {
            "version" => f.version = Some(value),
            "mode" if reading == Reading::Strict => f.mode = Some(value),
            "mode" => f.mode = Some(value.to_lowercase()),
            "max_age" if reading == Reading::Strict => {
                let digits =
                    (1..=10).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit());
                f.max_age = Some(if digits { js_number(&value) } else { None });
            }
            "max_age" => f.max_age = Some(js_number(&value)),
            "mx" => {
                f.bad_mx |= reading == Reading::Strict && !mx_pattern_ok(&value);
                let mx = value.to_lowercase();
                if !f.mx.contains(&mx) {
                    f.mx.push(mx);
                }
            }
            _ => {}
        }
    }
    f
}

fn parse_body(text: &str, reading: Reading) -> PolicyRead {
    let f = read_fields(text, reading);
    let no = |why: &str| PolicyRead::NoPolicy(why.to_owned());
    if f.version.as_deref() != Some("STSv1") {
        return no("the version line is missing or not exactly STSv1");
    }
    let mode = match (f.mode, reading) {
        (None, Reading::V5) => "none".to_owned(),
        (None, _) => return no("no mode line"),
        (Some(m), _) if ["testing", "enforce", "none"].contains(&m.as_str()) => m,
        (Some(_), _) => return no("the mode is not testing, enforce or none"),
    };
    let Some(max_age) = f.max_age.and_then(max_age_in_bounds) else {
        return no("max_age is missing, not a number, or over 31557600");
    };
    if f.bad_mx {
        return no("an mx value is not a host name or *. pattern");
    }
    if mode != "none" && f.mx.is_empty() {
        return no("no mx line");
    }
    PolicyRead::Policy(ReadPolicy {
        mode,
        max_age,
        mx: f.mx,
    })
}

// ---- mailauth 7.1.0 -------------------------------------------------------------------------

/// `/^v=STSv1[ \t]*;/`, any case when `any_case`.
fn v7_version_prefix(record: &str, any_case: bool) -> bool {
    let Some(head) = record.get(..7) else {
        return false;
    };
    let version = if any_case {
        head.eq_ignore_ascii_case("v=STSv1")
    } else {
        head == "v=STSv1"
    };
    version && record[7..].trim_start_matches([' ', '\t']).starts_with(';')
}

/// Lax: the first `id` tag, any case, with a non-empty value.
fn lax_txt_id(record: &str) -> Option<String> {
    js_trim(record).split(';').skip(1).find_map(|field| {
        let field = js_trim(field);
        let eq = field.find('=').filter(|&i| i > 0)?;
        let name = js_trim(&field[..eq]).to_lowercase();
        let value = js_trim(&field[eq + 1..]);
        (name == "id" && !value.is_empty()).then(|| value.to_owned())
    })
}

/// Strict: RFC 8461 §3.1's grammar, exactly.
fn strict_txt_id(record: &str) -> Option<String> {
    let parts: Vec<&str> = record.split(';').collect();
    let mut id: Option<String> = None;
    for (i, part) in parts.iter().enumerate().skip(1) {
        let last = i == parts.len() - 1;
        let field = part.trim_start_matches([' ', '\t']);
        let field = if last {
            field
        } else {
            field.trim_end_matches([' ', '\t'])
        };
        if field.is_empty() {
            if last {
                // A trailing `;` is allowed.
                continue;
            }
            return None;
        }
        let eq = field.find('=').filter(|&i| i > 0)?;
        let (name, value) = (&field[..eq], &field[eq + 1..]);
        if name == "id" && id.is_none() {
            let ok =
                (1..=32).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric());
            id = Some(ok.then(|| value.to_owned())?);
        } else {
            let ext_value = |b: u8| (0x21..=0x7e).contains(&b) && b != b';' && b != b'=';
            if !ext_name(name) || value.is_empty() || !value.bytes().all(ext_value) {
                return None;
            }
        }
    }
    id
}

fn v7_txt(records: &[&str], strict: bool) -> TxtRead {
    let found: Vec<&str> = records
        .iter()
        .copied()
        .filter(|r| {
            if strict {
                v7_version_prefix(r, false)
            } else {
                v7_version_prefix(js_trim(r), true)
            }
        })
        .collect();
    let one = match found.as_slice() {
        [] => return TxtRead::NoPolicy("no record starts with v=STSv1;".into()),
        [one] => *one,
        _ => return TxtRead::NoPolicy("more than one record starts with v=STSv1;".into()),
    };
    let id = if strict {
        strict_txt_id(one)
    } else {
        lax_txt_id(one)
    };
    id.map_or_else(
        || TxtRead::NoPolicy("the record has no valid id".into()),
        |id| TxtRead::Policy { id },
    )
}

fn v7_lax_txt(records: &[&str]) -> TxtRead {
    v7_txt(records, false)
}

fn v7_strict_txt(records: &[&str]) -> TxtRead {
    v7_txt(records, true)
}

fn v7_policy(r: &Response<'_>, strict: bool) -> PolicyRead {
    if r.status != 200 && (strict || !(200..300).contains(&r.status)) {
        return PolicyRead::NoPolicy(format!("HTTP status {}", r.status));
    }
    let media = r.content_type.unwrap_or("").split(';').next().unwrap_or("");
    if strict && js_trim(media).to_lowercase() != "text/plain" {
        return PolicyRead::NoPolicy("Content-Type is not text/plain".into());
    }
    let body = body_of(r);
    if body.len() > MAX_POLICY_SIZE {
        return PolicyRead::NoPolicy("the policy is larger than 64 KiB".into());
    }
    let reading = if strict {
        Reading::Strict
    } else {
        Reading::Lax
    };
    parse_body(&String::from_utf8_lossy(body), reading)
}

fn v7_lax_policy(r: &Response<'_>) -> PolicyRead {
    v7_policy(r, false)
}

fn v7_strict_policy(r: &Response<'_>) -> PolicyRead {
    v7_policy(r, true)
}

/// 7.1.0 `toALabel`: each label with a non-ASCII character, lower-cased, through punycode.js.
/// (It NFC-normalises the label first; the model assumes the name is already NFC.)
fn to_a_label(name: &str) -> String {
    if name.is_ascii() {
        return name.to_owned();
    }
    name.split('.')
        .map(|l| {
            if l.is_ascii() {
                l.to_owned()
            } else {
                punycode_to_ascii(&l.to_lowercase())
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn v7_matches(pattern: &str, host: &str) -> bool {
    let lower = js_trim(host).to_lowercase();
    let host = to_a_label(lower.strip_suffix('.').unwrap_or(&lower));
    if host.is_empty() || host.contains('*') {
        return false;
    }
    let lower = js_trim(pattern).to_lowercase();
    let pattern = lower.strip_suffix('.').unwrap_or(&lower);
    if pattern.is_empty() {
        return false;
    }
    match pattern.strip_prefix('*').filter(|s| s.starts_with('.')) {
        // Exactly one whole, non-empty left-most label.
        Some(suffix) => host
            .strip_suffix(suffix)
            .is_some_and(|label| !label.is_empty() && !label.contains('.')),
        None => pattern == host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The expected policy: mode, max_age, mx; `None` for no policy.
    type P = Option<(&'static str, u64, &'static [&'static str])>;

    /// A name, the TXT records and the id each model reads (`None`: no policy).
    type TxtCase = (
        &'static str,
        &'static [&'static str],
        [Option<&'static str>; 3],
    );

    /// A name, the response (status, Content-Type, body) and each model's policy.
    type PolicyCase = (
        &'static str,
        u16,
        Option<&'static str>,
        &'static [u8],
        [P; 3],
    );

    /// The columns of every table, in this order.
    const MODELS: [&Model; 3] = [&ZONEMTA, &MAILAUTH, &MAILAUTH_STRICT];

    // The tables are what the real packages answered through the conformance adapter
    // (`tests/conformance/adapters/mailauth/run 5|7|7-strict`), one column per model.

    const TXT: &[TxtCase] = &[
        (
            "plain",
            &["v=STSv1; id=20240101T000000"],
            [
                Some("20240101T000000"),
                Some("20240101T000000"),
                Some("20240101T000000"),
            ],
        ),
        (
            "no space",
            &["v=STSv1;id=abc"],
            [Some("abc"), Some("abc"), Some("abc")],
        ),
        (
            "trailing semicolon",
            &["v=STSv1; id=abc;"],
            [Some("abc"), Some("abc"), Some("abc")],
        ),
        (
            "space before semicolon",
            &["v=STSv1 ; id=abc"],
            [Some("abc"), Some("abc"), Some("abc")],
        ),
        (
            "lower-case version",
            &["v=stsv1; id=abc"],
            [Some("abc"), Some("abc"), None],
        ),
        (
            "upper-case tag names",
            &["V=STSv1; ID=abc"],
            [Some("abc"), Some("abc"), None],
        ),
        (
            "leading space",
            &[" v=STSv1; id=abc"],
            [Some("abc"), Some("abc"), None],
        ),
        (
            "trailing space",
            &["v=STSv1; id=abc "],
            [Some("abc"), Some("abc"), None],
        ),
        ("version only", &["v=STSv1"], [None, None, None]),
        ("version and semicolon", &["v=STSv1;"], [None, None, None]),
        ("empty id", &["v=STSv1; id="], [None, None, None]),
        (
            "hyphen in id",
            &["v=STSv1; id=abc-def"],
            [Some("abc-def"), Some("abc-def"), None],
        ),
        (
            "id of 32",
            &["v=STSv1; id=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
            [
                Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            ],
        ),
        (
            "id of 33",
            &["v=STSv1; id=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
            [
                Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
                None,
            ],
        ),
        (
            "space in id",
            &["v=STSv1; id=a b"],
            [Some("a b"), Some("a b"), None],
        ),
        (
            "quoted id",
            &["v=STSv1; id=\"abc\""],
            [Some("\"abc\""), Some("\"abc\""), None],
        ),
        (
            "two ids",
            &["v=STSv1; id=abc; id=def"],
            [Some("def"), Some("abc"), Some("abc")],
        ),
        (
            "two records",
            &["v=STSv1; id=abc", "v=STSv1; id=def"],
            [None, None, None],
        ),
        (
            "unrelated record",
            &["v=spf1 -all", "v=STSv1; id=abc"],
            [Some("abc"), Some("abc"), Some("abc")],
        ),
        (
            "second record without semicolon",
            &["v=STSv1; id=abc", "v=STSv1"],
            [None, Some("abc"), Some("abc")],
        ),
        (
            "extension",
            &["v=STSv1; id=abc; ext=val"],
            [Some("abc"), Some("abc"), Some("abc")],
        ),
        (
            "empty extension value",
            &["v=STSv1; id=abc; ext="],
            [Some("abc"), Some("abc"), None],
        ),
        (
            "extension first",
            &["v=STSv1; ext=1; id=abc"],
            [Some("abc"), Some("abc"), Some("abc")],
        ),
        (
            "colon in id",
            &["v=STSv1; id=abc:def"],
            [None, Some("abc:def"), None],
        ),
        (
            "comment in id",
            &["v=STSv1; id=ab(x)c"],
            [Some("abc"), Some("ab(x)c"), None],
        ),
        (
            "backslash",
            &["v=STSv1; id=ab\\c"],
            [Some("abcc"), Some("ab\\c"), None],
        ),
        (
            "empty field",
            &["v=STSv1;;id=abc"],
            [Some("abc"), Some("abc"), None],
        ),
        ("version 10", &["v=STSv10; id=abc"], [None, None, None]),
        (
            "version not first",
            &["id=abc; v=STSv1"],
            [None, None, None],
        ),
        ("no record", &[], [None, None, None]),
    ];
    const POLICY: &[PolicyCase] = &[
        ("valid CRLF", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("LF", 200, Some("text/plain"), b"version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("mixed line ends", 200, Some("text/plain"), b"version: STSv1\nmode: enforce\r\nmx: mail.example.com\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("lone CR", 200, Some("text/plain"), b"version: STSv1\rmode: enforce\rmx: mail.example.com\rmax_age: 86400\r", [None, None, None]),
        ("no final line end", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("trailing blank line", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("blank line inside", 200, Some("text/plain"), b"version: STSv1\r\n\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("leading blank line", 200, Some("text/plain"), b"\r\nversion: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("white space around values", 200, Some("text/plain"), b"version: STSv1\r\nmode:  enforce\t\r\nmx: mail.example.com\r\nmax_age: 86400 \r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("indented key", 200, Some("text/plain"), b"version: STSv1\r\n  mode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), None]),
        ("space before colon", 200, Some("text/plain"), b"version: STSv1\r\nmode : enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), None]),
        ("no space after colon", 200, Some("text/plain"), b"version:STSv1\r\nmode:enforce\r\nmx:mail.example.com\r\nmax_age:86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("Mode key", 200, Some("text/plain"), b"version: STSv1\r\nMode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), None]),
        ("MAX_AGE key", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nMAX_AGE: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), None]),
        ("Enforce value", 200, Some("text/plain"), b"version: STSv1\r\nmode: Enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), None]),
        ("two modes", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\nmode: testing\r\n", [Some(("testing", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("two max_ages", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\nmax_age: 600\r\n", [Some(("enforce", 600, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("two versions", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\nversion: STSv2\r\n", [None, Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("duplicate mx", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("unknown key", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\nfoo: bar\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("missing mode", 200, Some("text/plain"), b"version: STSv1\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("none", 86400, &["mail.example.com"])), None, None]),
        ("missing max_age", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n", [None, None, None]),
        ("enforce without mx", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmax_age: 86400\r\n", [None, None, None]),
        ("none without mx", 200, Some("text/plain"), b"version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n", [Some(("none", 86400, &[])), Some(("none", 86400, &[])), Some(("none", 86400, &[]))]),
        ("testing", 200, Some("text/plain"), b"version: STSv1\r\nmode: testing\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("testing", 86400, &["mail.example.com"])), Some(("testing", 86400, &["mail.example.com"])), Some(("testing", 86400, &["mail.example.com"]))]),
        ("missing version", 200, Some("text/plain"), b"mode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [None, None, None]),
        ("version not first", 200, Some("text/plain"), b"mode: enforce\r\nversion: STSv1\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("version stsv1", 200, Some("text/plain"), b"version: stsv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [None, None, None]),
        ("max_age 0", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 0\r\n", [Some(("enforce", 0, &["mail.example.com"])), Some(("enforce", 0, &["mail.example.com"])), Some(("enforce", 0, &["mail.example.com"]))]),
        ("max_age 31557600", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 31557600\r\n", [Some(("enforce", 31557600, &["mail.example.com"])), Some(("enforce", 31557600, &["mail.example.com"])), Some(("enforce", 31557600, &["mail.example.com"]))]),
        ("max_age 31557601", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 31557601\r\n", [None, None, None]),
        ("max_age 11 digits", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 00000086400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), None]),
        ("max_age leading zeros", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 0086400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("max_age -1", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: -1\r\n", [None, None, None]),
        ("max_age abc", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: abc\r\n", [None, None, None]),
        ("max_age empty", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: \r\n", [Some(("enforce", 0, &["mail.example.com"])), Some(("enforce", 0, &["mail.example.com"])), None]),
        ("max_age 1e3", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 1e3\r\n", [Some(("enforce", 1000, &["mail.example.com"])), Some(("enforce", 1000, &["mail.example.com"])), None]),
        ("max_age 0x10", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 0x10\r\n", [Some(("enforce", 16, &["mail.example.com"])), Some(("enforce", 16, &["mail.example.com"])), None]),
        // The real code keeps max_age 1.5; the model's u64 drops the fraction.
        ("max_age 1.5", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 1.5\r\n", [Some(("enforce", 1, &["mail.example.com"])), Some(("enforce", 1, &["mail.example.com"])), None]),
        ("mx trailing dot", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com.\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com."])), Some(("enforce", 86400, &["mail.example.com."])), None]),
        ("mx upper case", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: MAIL.Example.COM\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("mx wildcard", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: *.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["*.example.com"])), Some(("enforce", 86400, &["*.example.com"])), Some(("enforce", 86400, &["*.example.com"]))]),
        ("mx star", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: *\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["*"])), Some(("enforce", 86400, &["*"])), None]),
        ("mx IP", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: 192.0.2.1\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["192.0.2.1"])), Some(("enforce", 86400, &["192.0.2.1"])), Some(("enforce", 86400, &["192.0.2.1"]))]),
        ("mx empty", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: \r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &[""])), Some(("enforce", 86400, &[""])), None]),
        ("mx list", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: a.example.com, b.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["a.example.com, b.example.com"])), Some(("enforce", 86400, &["a.example.com, b.example.com"])), None]),
        ("301 with body", 301, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [None, None, None]),
        ("404 with body", 404, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [None, None, None]),
        ("201", 201, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), None]),
        ("204", 204, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [None, None, None]),
        ("500", 500, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [None, None, None]),
        ("no Content-Type", 200, None, b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), None]),
        ("charset utf-8", 200, Some("text/plain; charset=utf-8"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("text/html", 200, Some("text/html"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), None]),
        ("charset latin-1", 200, Some("text/plain; charset=iso-8859-1"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("TEXT/PLAIN", 200, Some("TEXT/PLAIN"), b"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"]))]),
        ("BOM", 200, Some("text/plain"), b"\xef\xbb\xbfversion: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["mail.example.com"])), Some(("enforce", 86400, &["mail.example.com"])), None]),
        ("non-ASCII mx", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: b\xc3\xbccher.example\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["bücher.example"])), Some(("enforce", 86400, &["bücher.example"])), None]),
        ("non-UTF-8 byte", 200, Some("text/plain"), b"version: STSv1\r\nmode: enforce\r\nmx: m\xffil.example.com\r\nmax_age: 86400\r\n", [Some(("enforce", 86400, &["m\u{fffd}il.example.com"])), Some(("enforce", 86400, &["m\u{fffd}il.example.com"])), None]),
    ];
    const SIZES: &[(usize, [bool; 3])] =
        &[(65536, [true, true, true]), (65537, [true, false, false])];
    const MATCH: &[(&str, &str, [bool; 3])] = &[
        ("mail.example.com", "mail.example.com", [true, true, true]),
        ("MAIL.example.com", "mail.EXAMPLE.com", [true, true, true]),
        ("mail.example.com.", "mail.example.com", [false, true, true]),
        ("mail.example.com", "mail.example.com.", [false, true, true]),
        ("mail.example.com.", "mail.example.com.", [true, true, true]),
        ("*.example.com", "mail.example.com", [true, true, true]),
        ("*.example.com", "a.b.example.com", [true, false, false]),
        ("*.example.com", "example.com", [false, false, false]),
        ("*.example.com", ".example.com", [true, false, false]),
        ("*.example.com.", "mail.example.com", [false, true, true]),
        ("*.example.com", "mail.example.com.", [false, true, true]),
        ("*", "mail.example.com", [false, false, false]),
        ("", "mail.example.com", [false, false, false]),
        ("example.com", "mail.example.com", [false, false, false]),
        (
            "*.example.com",
            "mail.example.com.evil.net",
            [false, false, false],
        ),
        (" mail.example.com ", "mail.example.com", [true, true, true]),
        ("xn--bcher-kva.de", "bücher.de", [true, true, true]),
        ("*.example.com", "*.example.com", [true, false, false]),
    ];

    const VALID: &str =
        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n";

    fn read(m: &Model, status: u16, content_type: Option<&str>, body: &[u8]) -> P2 {
        match (m.policy)(&Response {
            status,
            content_type,
            body,
        }) {
            PolicyRead::Policy(p) => Some((p.mode, p.max_age, p.mx)),
            PolicyRead::NoPolicy(why) => {
                assert!(!why.is_empty());
                None
            }
        }
    }

    type P2 = Option<(String, u64, Vec<String>)>;

    #[test]
    fn txt_table() {
        for (name, records, want) in TXT {
            for (m, want) in MODELS.iter().zip(want) {
                let got = match (m.txt)(records) {
                    TxtRead::Policy { id } => Some(id),
                    TxtRead::NoPolicy(_) => None,
                };
                assert_eq!(got.as_deref(), *want, "{}: {name}", m.id);
            }
        }
    }

    #[test]
    fn policy_table() {
        for (name, status, content_type, body, want) in POLICY {
            for (m, want) in MODELS.iter().zip(want) {
                let want = want.map(|(mode, age, mx)| {
                    let mx = mx.iter().map(|s| (*s).to_owned()).collect();
                    (mode.to_owned(), age, mx)
                });
                assert_eq!(
                    read(m, *status, *content_type, body),
                    want,
                    "{}: {name}",
                    m.id
                );
            }
        }
    }

    #[test]
    fn size_limit() {
        for (size, want) in SIZES {
            let mut body = VALID.as_bytes().to_vec();
            body.resize(*size, b'#');
            for (m, want) in MODELS.iter().zip(want) {
                let got = read(m, 200, Some("text/plain"), &body).is_some();
                assert_eq!(got, *want, "{}: {size} bytes", m.id);
            }
        }
    }

    #[test]
    fn match_table() {
        for (pattern, host, want) in MATCH {
            for (m, want) in MODELS.iter().zip(want) {
                assert_eq!(
                    (m.matches)(pattern, host),
                    *want,
                    "{}: {pattern} / {host}",
                    m.id
                );
            }
        }
    }

    #[test]
    fn javascript_number() {
        let table: &[(&str, Option<f64>)] = &[
            ("", Some(0.0)),
            ("86400", Some(86400.0)),
            ("0086400", Some(86400.0)),
            ("+5", Some(5.0)),
            ("-0", Some(-0.0)),
            ("1.5", Some(1.5)),
            (".5", Some(0.5)),
            ("5.", Some(5.0)),
            ("1.e3", Some(1000.0)),
            ("3.15576e7", Some(31_557_600.0)),
            ("0x1F", Some(31.0)),
            ("0o17", Some(15.0)),
            ("0b11", Some(3.0)),
            ("Infinity", Some(f64::INFINITY)),
            ("+0x10", None),
            ("0x", None),
            ("1_000", None),
            ("1,000", None),
            ("1e", None),
            ("e5", None),
            (".", None),
            ("NaN", None),
            ("inf", None),
            ("86400s", None),
            ("\u{ff18}\u{ff16}", None),
        ];
        for (text, want) in table {
            assert_eq!(js_number(text), *want, "{text:?}");
        }
        assert!(max_age_in_bounds(Some(-0.0)) == Some(0));
        assert!(max_age_in_bounds(Some(f64::INFINITY)).is_none());
    }

    #[test]
    fn punycode_as_punycode_js() {
        // What punycode.js 2.3.1's `encode` answered.
        let table = [
            ("bücher", "bcher-kva"),
            ("例え", "r8jz45g"),
            ("exämple", "exmple-cua"),
            ("ü", "tda"),
            ("aü", "a-eha"),
            ("üa", "a-dha"),
            ("a-b-ü", "a-b--3ra"),
        ];
        for (label, want) in table {
            assert_eq!(punycode(label).as_deref(), Some(want), "{label}");
        }
        assert_eq!(punycode_to_ascii("mx.bücher.de"), "mx.xn--bcher-kva.de");
        assert_eq!(punycode_to_ascii("例え\u{3002}jp"), "xn--r8jz45g.jp");
    }

    #[test]
    fn the_models() {
        let ids: Vec<&str> = MODELS.iter().map(|m| m.id).collect();
        assert_eq!(ids, ["zonemta", "mailauth", "mailauth-strict"]);
        for m in MODELS {
            assert!(matches!(m.basis, Basis::Run(_)));
            #[cfg(feature = "docs")]
            assert!(!m.sources.is_empty() && !m.notes.is_empty());
        }
    }
}
