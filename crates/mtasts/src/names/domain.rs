//! The one domain-name type and the one `mx` pattern type of the crate.
//!
//! [`HostName`] is a host name as DNS compares it: A-labels (RFC 5890), lower case, no trailing
//! root dot, LDH labels of 1 to 63 octets (RFC 1123 §2.1), at most 253 octets in all. Input
//! normalisation ([`crate::names::input`]), MX matching, the policy's `mx` values, the generator
//! and the web app all hold names as this type. [`MxPattern`] is a policy `mx` value
//! (RFC 8461 §3.2 `sts-policy-mx-value`): an optional `*.` and a host name, matched by §4.1; its
//! grammar ([`PatternError`]) is here with it, so that `mx` (the matching) imports this file and
//! nothing here imports `mx` (no import circle, issue 21).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a text is not a host name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NameError {
    /// Nothing, or only a root dot.
    #[error("the name is empty")]
    Empty,
    /// The IDN conversion (UTS #46) refused it.
    #[error("it is not a valid internationalised name")]
    Idn,
    /// Over 253 octets in all, or a label over 63.
    #[error("the domain name is too long (at most 253 characters, 63 per label)")]
    TooLong,
    /// Two dots in a row, or a leading dot.
    #[error("it has an empty label (two dots in a row)")]
    EmptyLabel,
    /// A character other than a letter, a digit or a hyphen (after IDN conversion).
    #[error("`{0}` is not allowed (letters, digits and hyphens only)")]
    BadChar(char),
    /// A label begins or ends with a hyphen.
    #[error("a label may not begin or end with a hyphen")]
    Hyphen,
}

/// A host name: A-labels, lower case, no trailing dot (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostName(String);

impl HostName {
    /// Reads `name` exactly (no trailing dot, no surrounding space): U-labels become A-labels,
    /// letters lower case; or why it is not a host name.
    pub fn parse(name: &str) -> Result<Self, NameError> {
        if name.is_empty() {
            return Err(NameError::Empty);
        }
        let ascii = if name.is_ascii() {
            name.to_ascii_lowercase()
        } else {
            crate::names::idn::to_ascii(name).ok_or(NameError::Idn)?
        };
        if ascii.len() > 253 {
            return Err(NameError::TooLong);
        }
        for label in ascii.split('.') {
            label_error(label).map_or(Ok(()), Err)?;
        }
        Ok(HostName(ascii))
    }

    /// Normalises `host` as DNS answers and people write it: surrounding whitespace and one
    /// trailing root dot are dropped. `None` when it is not a valid host name.
    pub fn new(host: &str) -> Option<Self> {
        let h = host.trim();
        HostName::parse(h.strip_suffix('.').unwrap_or(h)).ok()
    }

    /// A name exactly as DNS answered it (an MX exchange): only one trailing root dot is dropped.
    /// Nothing is trimmed: `mx.example.com<TAB>` is another name, and no host name.
    pub fn from_dns(name: &str) -> Option<Self> {
        HostName::parse(name.strip_suffix('.').unwrap_or(name)).ok()
    }

    /// The normalised name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The right-most label.
    pub fn tld(&self) -> &str {
        tld(&self.0)
    }

    /// How many labels.
    pub fn labels(&self) -> usize {
        self.0.split('.').count()
    }

    /// True when the right-most label is all digits: RFC 3696 §2 says a top-level label never
    /// is, so such a "name" is an address (or nothing).
    pub fn looks_numeric(&self) -> bool {
        numeric_tld(&self.0)
    }

    /// The name without its left-most label (`mail.example.com` → `example.com`).
    pub fn parent(&self) -> Option<&str> {
        self.0.split_once('.').map(|(_, rest)| rest)
    }
}

/// The right-most label of a name.
fn tld(name: &str) -> &str {
    name.as_bytes()
        .iter()
        .rposition(|&c| c == b'.')
        .map_or(name, |dot| &name[dot + 1..])
}

/// Is the right-most label all digits (a name that is an address, RFC 3696 §2)?
fn numeric_tld(name: &str) -> bool {
    tld(name).bytes().all(|b| b.is_ascii_digit())
}

/// What is wrong with one label of a host name (RFC 1123 §2.1 LDH, 1 to 63 octets), if anything.
pub(crate) fn label_error(l: &str) -> Option<NameError> {
    if l.is_ascii() {
        return ascii_label_error(l.as_bytes());
    }
    if l.len() > 63 {
        return Some(NameError::TooLong);
    }
    l.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
        .map(NameError::BadChar)
}

/// [`label_error`] of an ASCII label, byte by byte (the policy linter's hot loop).
pub(crate) fn ascii_label_error(l: &[u8]) -> Option<NameError> {
    match (l.first(), l.last()) {
        (None, _) | (_, None) => return Some(NameError::EmptyLabel),
        _ if l.len() > 63 => return Some(NameError::TooLong),
        _ => {}
    }
    if let Some(&c) = l
        .iter()
        .find(|c| !(c.is_ascii_alphanumeric() || **c == b'-'))
    {
        return Some(NameError::BadChar(char::from(c)));
    }
    if l[0] == b'-' || l[l.len() - 1] == b'-' {
        return Some(NameError::Hyphen);
    }
    None
}

impl fmt::Display for HostName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for HostName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Why a policy `mx` value is not a valid pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PatternError {
    /// The value is empty.
    #[error("the pattern is empty")]
    Empty,
    /// The value holds non-ASCII characters; patterns must be A-labels.
    #[error("internationalised names must be written as A-labels (`{a_label}`)")]
    UnicodeLabel {
        /// The A-label form, or the input when it has none.
        a_label: String,
    },
    /// The value ends with a root dot, which the `Domain` grammar does not allow.
    #[error("remove the trailing dot")]
    TrailingDot,
    /// Several hosts on one line.
    #[error("one pattern per `mx` line; a list is not allowed")]
    List,
    /// `*` somewhere other than as the whole left-most label.
    #[error("`*` is allowed only as the whole left-most label (`*.example.com`)")]
    Wildcard,
    /// A label is empty (two dots in a row, or a leading dot).
    #[error("empty label (two dots in a row, or a leading dot)")]
    EmptyLabel,
    /// A label is longer than 63 characters or the name longer than 253.
    #[error("a label is longer than 63 characters, or the name longer than 253")]
    TooLong,
    /// A label holds a character other than letters, digits and inner hyphens.
    #[error("`{0}` is not a host-name label (letters, digits and inner hyphens only)")]
    BadLabel(String),
    /// A port, a URL or an address was given.
    #[error("give the host name only: no scheme, port, path or address")]
    NotAHost,
}

const LIST: u8 = 1;
const NOT_HOST: u8 = 2;
const NON_ASCII: u8 = 4;
const STAR: u8 = 8;

/// The class of each byte for [`check_grammar`]'s one pass.
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0x80;
    while i < 256 {
        t[i] = NON_ASCII;
        i += 1;
    }
    t[b',' as usize] = LIST;
    t[b' ' as usize] = LIST;
    t[b'\t' as usize] = LIST;
    t[b'/' as usize] = NOT_HOST;
    t[b':' as usize] = NOT_HOST;
    t[b'@' as usize] = NOT_HOST;
    t[b'[' as usize] = NOT_HOST;
    t[b']' as usize] = NOT_HOST;
    t[b'*' as usize] = STAR;
    t
};

/// The grammar of a policy `mx` value, said as the first thing wrong with it.
pub(crate) fn check_grammar(value: &str) -> Result<(), PatternError> {
    if value.is_empty() {
        return Err(PatternError::Empty);
    }
    // One pass classifies every byte (this is the policy linter's hottest loop: measured, the
    // separate `contains` passes were a third of the linter's time); the errors are then said in
    // their order of precedence.
    let seen = value
        .bytes()
        .fold(0u8, |acc, b| acc | CLASS[usize::from(b)]);
    if seen & LIST != 0 {
        return Err(PatternError::List);
    }
    if seen & NOT_HOST != 0 {
        return Err(PatternError::NotAHost);
    }
    if seen & NON_ASCII != 0 {
        let (wild, rest) = value.strip_prefix("*.").map_or(("", value), |r| ("*.", r));
        let a_label = crate::names::idn::to_ascii(rest.trim_end_matches('.'))
            .map_or_else(|| value.to_owned(), |a| format!("{wild}{a}"));
        return Err(PatternError::UnicodeLabel { a_label });
    }
    if value.ends_with('.') && value.len() > 1 {
        return Err(PatternError::TrailingDot);
    }
    let rest = value.strip_prefix("*.").unwrap_or(value);
    if seen & STAR != 0 && rest.as_bytes().contains(&b'*') {
        return Err(PatternError::Wildcard);
    }
    if rest.len() > 253 {
        return Err(PatternError::TooLong);
    }
    // ASCII from here on: labels split on bytes.
    for label in rest.as_bytes().split(|&b| b == b'.') {
        match ascii_label_error(label) {
            None => {}
            Some(NameError::EmptyLabel) => return Err(PatternError::EmptyLabel),
            Some(NameError::TooLong) => return Err(PatternError::TooLong),
            Some(_) => {
                return Err(PatternError::BadLabel(
                    String::from_utf8_lossy(label).into_owned(),
                ))
            }
        }
    }
    // `192.0.2.1` matches the `Domain` grammar (all-numeric labels are `Let-dig`s), so it is a
    // valid pattern; that it can never name an MX host is a warning of its own
    // (`policy-mx-address`), not a grammar error (RFC-NOTES, "Verdicts").
    Ok(())
}

/// A policy `mx` value: `["*."] Domain`, kept as written and read as a host name for matching.
///
/// One allocation when the value is already lower case (nearly always): the host name after any
/// `*.` is then a part of what was written; `lower` holds it only when it differs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MxPattern {
    written: String,
    wildcard: bool,
    lower: Option<HostName>,
}

impl MxPattern {
    /// Reads a policy `mx` value by the grammar: A-labels only, the wildcard only as the whole
    /// left-most label, no trailing dot, no list, no address.
    pub fn parse(value: &str) -> Result<Self, PatternError> {
        let (wildcard, rest) = match value.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, value),
        };
        // The common case in one pass: LDH labels of the right lengths. Anything else goes
        // through the grammar, which says what is wrong in its order of precedence.
        let upper = match ldh_name(rest.as_bytes()) {
            Some(upper) => upper,
            None => {
                check_grammar(value)?;
                true
            }
        };
        // The grammar admitted only ASCII LDH labels: a host name once lower case.
        Ok(MxPattern {
            written: value.to_owned(),
            wildcard,
            lower: upper.then(|| HostName(rest.to_ascii_lowercase())),
        })
    }

    /// Reads a pattern as people write one outside a policy: case, a trailing dot and U-labels
    /// are forgiven. `None` when it names no host at all.
    pub fn lenient(pattern: &str) -> Option<Self> {
        let p = pattern.trim();
        let p = p.strip_suffix('.').unwrap_or(p);
        let (wildcard, rest) = match p.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, p),
        };
        let name = HostName::new(rest)?;
        Some(MxPattern {
            written: pattern.to_owned(),
            wildcard,
            lower: Some(name),
        })
    }

    /// The host name after any `*.`, lower case.
    fn host(&self) -> &str {
        match &self.lower {
            Some(h) => h.as_str(),
            None => &self.written[if self.wildcard { 2 } else { 0 }..],
        }
    }

    /// Does it match MX host `host` (RFC 8461 §4.1)? A wildcard stands for exactly one whole,
    /// non-empty left-most label.
    pub fn matches(&self, host: &HostName) -> bool {
        if self.wildcard {
            host.parent() == Some(self.host())
        } else {
            host.as_str() == self.host()
        }
    }

    /// The value as written.
    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// True for `*.` patterns.
    pub fn is_wildcard(&self) -> bool {
        self.wildcard
    }

    /// True when it looks like an address (the last label is all digits): the grammar admits it,
    /// but no MX record names a host that way, so it never matches.
    pub fn looks_like_address(&self) -> bool {
        numeric_tld(self.host())
    }

    /// The host name after any `*.`, lower case.
    pub fn name(&self) -> HostName {
        HostName(self.host().to_owned())
    }
}

/// Is `name` a host name by the `Domain` grammar — ASCII LDH labels of 1 to 63 octets, no hyphen
/// at either end of a label, at most 253 octets — and does it hold upper-case letters?
/// `None` when it is not one, and for names longer than 63 bytes: the caller then asks the
/// grammar ([`check_grammar`]), which also says what is wrong. For the
/// linter's hot path: names of at most 63 bytes (every label short enough), eight bytes at a
/// time ([`ldh_short`]).
fn ldh_name(name: &[u8]) -> Option<bool> {
    if name.len() <= 63 {
        ldh_short(name)
    } else {
        None
    }
}

/// [`ldh_name`] of a name of at most 63 bytes, where the label rules come down to pairs: the
/// first and last bytes are letters or digits, and no `..`, `.-` or `-.` occurs. Words of eight
/// bytes overlap by one, so every pair lies inside a word. Exact arithmetic per byte: every byte
/// is first known to be ASCII, so no sum below carries into the next byte.
fn ldh_short(name: &[u8]) -> Option<bool> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let n = name.len();
    let alnum = |b: u8| b.is_ascii_alphanumeric();
    if n == 0 || !alnum(name[0]) || !alnum(name[n - 1]) {
        return None;
    }
    // The high bit of each byte of `v` (ASCII) that lies in `lo..=hi`.
    let within = |v: u64, lo: u8, hi: u8| {
        v.wrapping_add(u64::from(0x80 - lo) * ONES)
            & !v.wrapping_add(u64::from(0x7f - hi) * ONES)
            & HIGH
    };
    // Is the word ASCII LDH with no bad pair, and has it upper-case letters?
    let word = |w: [u8; 8]| -> Option<bool> {
        let v = u64::from_le_bytes(w);
        if v & HIGH != 0 {
            return None;
        }
        let big = within(v, b'A', b'Z');
        let dot = within(v, b'.', b'.');
        let hyphen = within(v, b'-', b'-');
        if within(v, b'a', b'z') | within(v, b'0', b'9') | big | dot | hyphen != HIGH {
            return None;
        }
        // Byte i+1's bit moved onto byte i's: `..`, `.-` and `-.`.
        if dot & ((dot | hyphen) >> 8) | hyphen & (dot >> 8) != 0 {
            return None;
        }
        Some(big != 0)
    };
    if n < 8 {
        // Padded with a letter, which makes no bad pair after the (alphanumeric) last byte.
        let mut w = [b'a'; 8];
        w[..n].copy_from_slice(name);
        return word(w);
    }
    let at = |i: usize| -> [u8; 8] { name[i..i + 8].try_into().expect("eight bytes") };
    let mut upper = false;
    let mut i = 0;
    while i + 8 < n {
        upper |= word(at(i))?;
        i += 7;
    }
    // The last word ends with the name (overlapping the one before more than by one).
    Some(upper | word(at(n - 8))?)
}

impl fmt::Display for MxPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

impl PartialEq<&str> for MxPattern {
    fn eq(&self, other: &&str) -> bool {
        self.written == *other
    }
}

impl Serialize for MxPattern {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.written)
    }
}

impl<'de> Deserialize<'de> for MxPattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        MxPattern::parse(&s).map_err(|e| serde::de::Error::custom(format!("`mx: {s}`: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names() {
        crate::names::idn::for_tests();
        let ok = |s: &str| HostName::parse(s).map(|h| h.to_string());
        assert_eq!(ok("Mail.Example.COM"), Ok("mail.example.com".into()));
        assert_eq!(ok("bücher.de"), Ok("xn--bcher-kva.de".into()));
        assert_eq!(ok(""), Err(NameError::Empty));
        assert_eq!(ok("a..b"), Err(NameError::EmptyLabel));
        assert_eq!(ok("a_b.example"), Err(NameError::BadChar('_')));
        assert_eq!(ok("-a.example"), Err(NameError::Hyphen));
        assert_eq!(
            ok(&format!("{}.example", "a".repeat(64))),
            Err(NameError::TooLong)
        );
        assert_eq!(ok(&"a.".repeat(127)), Err(NameError::TooLong));
        assert_eq!(
            HostName::new(" MX.example.com. ").map(|h| h.to_string()),
            Some("mx.example.com".into())
        );
        let h = HostName::new("mail.example.com").expect("host");
        assert_eq!(
            (h.tld(), h.labels(), h.parent()),
            ("com", 3, Some("example.com"))
        );
        assert!(HostName::new("192.0.2.1").expect("name").looks_numeric());
        assert_eq!(
            HostName::from_dns("MX.example.com.").map(|h| h.to_string()),
            Some("mx.example.com".into())
        );
        for hostile in [
            "mx.example.com\t",
            " mx.example.com",
            "mx.example.com#",
            "mx/x.example.com",
        ] {
            assert!(HostName::from_dns(hostile).is_none(), "{hostile:?}");
        }
    }

    proptest::proptest! {
        /// The word-at-a-time reading agrees with the grammar on names of at most 63 bytes made
        /// mostly of the bytes that matter (letters of both cases, digits, `.`, `-`), and says
        /// rightly whether there are upper-case letters.
        #[test]
        fn ldh_words_agree_with_the_grammar(name in "[a-zA-Z0-9.\\-]{0,63}|[a-z0-9.\\-_é]{0,20}") {
            let grammar = super::check_grammar(&name).is_ok() && !name.starts_with("*.");
            let upper = name.bytes().any(|b| b.is_ascii_uppercase());
            proptest::prop_assert_eq!(ldh_name(name.as_bytes()), grammar.then_some(upper), "{:?}", name);
        }
    }

    #[test]
    fn ldh_edges() {
        for (name, want) in [
            ("a", Some(false)),
            ("A", Some(true)),
            ("a.b", Some(false)),
            ("mail.example.com", Some(false)),
            ("Mail.Example.COM", Some(true)),
            ("a-b.c", Some(false)),
            ("abcdefg.h", Some(false)),
            ("abcdefgh.i", Some(false)),
            ("abcdefg..h", None),
            ("abcdefg.-h", None),
            ("abcdefg-.h", None),
            ("abcdef.-h", None),
            ("-a", None),
            ("a-", None),
            (".a", None),
            ("a.", None),
            ("a_b", None),
            ("a b", None),
            ("", None),
        ] {
            assert_eq!(ldh_name(name.as_bytes()), want, "{name:?}");
        }
        // Longer than 63 bytes: left to the grammar, which MxPattern::parse then asks.
        assert_eq!(
            ldh_name(format!("{}.example", "a".repeat(60)).as_bytes()),
            None
        );
        assert_eq!(
            ldh_name(format!("{}.e", "a".repeat(61)).as_bytes()),
            Some(false)
        );
        let long = format!("{}.Example", "a".repeat(63));
        let p = MxPattern::parse(&long).expect("a valid long pattern");
        assert!(p.matches(&HostName::new(&long.to_ascii_lowercase()).expect("host")));
        assert!(MxPattern::parse(&format!("{}.example", "a".repeat(64))).is_err());
    }

    #[test]
    fn patterns_keep_what_was_written_and_match_as_a_labels() {
        crate::names::idn::for_tests();
        let p = MxPattern::parse("*.Example.com").expect("pattern");
        assert_eq!(p.as_str(), "*.Example.com");
        assert!(p.is_wildcard());
        assert!(p.matches(&HostName::new("mx.example.COM.").expect("host")));
        assert!(!p.matches(&HostName::new("a.b.example.com").expect("host")));
        assert!(!p.matches(&HostName::new("example.com").expect("host")));
        assert!(MxPattern::parse("mail.example.com.").is_err());
        let lenient = MxPattern::lenient("MX.Bücher.de.").expect("lenient");
        assert!(lenient.matches(&HostName::new("mx.xn--bcher-kva.de").expect("host")));
        let json = serde_json::to_string(&p).expect("json");
        assert_eq!(json, "\"*.Example.com\"");
        assert_eq!(serde_json::from_str::<MxPattern>(&json).expect("back"), p);
        assert!(serde_json::from_str::<MxPattern>("\"*.*.x\"").is_err());
    }
}
