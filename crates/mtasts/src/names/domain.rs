//! The one domain-name type and the one `mx` pattern type of the crate.
//!
//! [`HostName`] is a host name as DNS compares it: A-labels (RFC 5890), lower case, no trailing
//! root dot, LDH labels of 1 to 63 octets (RFC 1123 §2.1), at most 253 octets in all. Input
//! normalisation ([`crate::names::input`]), MX matching, the policy's `mx` values, the generator
//! and the web app all hold names as this type. [`MxPattern`] is a policy `mx` value
//! (RFC 8461 §3.2 `sts-policy-mx-value`): an optional `*.` and a host name, matched by §4.1.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::names::mx::PatternError;

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
        let b = self.0.as_bytes();
        b.iter()
            .rposition(|&c| c == b'.')
            .map_or(self.0.as_str(), |dot| &self.0[dot + 1..])
    }

    /// How many labels.
    pub fn labels(&self) -> usize {
        self.0.split('.').count()
    }

    /// True when the right-most label is all digits: RFC 3696 §2 says a top-level label never
    /// is, so such a "name" is an address (or nothing).
    pub fn looks_numeric(&self) -> bool {
        self.tld().bytes().all(|b| b.is_ascii_digit())
    }

    /// The name without its left-most label (`mail.example.com` → `example.com`).
    pub fn parent(&self) -> Option<&str> {
        self.0.split_once('.').map(|(_, rest)| rest)
    }
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

/// A policy `mx` value: `["*."] Domain`, kept as written and read as a [`HostName`] for matching.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MxPattern {
    written: String,
    wildcard: bool,
    name: HostName,
}

impl MxPattern {
    /// Reads a policy `mx` value by the grammar: A-labels only, the wildcard only as the whole
    /// left-most label, no trailing dot, no list, no address.
    pub fn parse(value: &str) -> Result<Self, PatternError> {
        crate::names::mx::check_grammar(value)?;
        let (wildcard, rest) = match value.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, value),
        };
        // The grammar admitted only ASCII LDH labels of the right lengths: a host name once lower case.
        let name = HostName(rest.to_ascii_lowercase());
        Ok(MxPattern {
            written: value.to_owned(),
            wildcard,
            name,
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
            name,
        })
    }

    /// Does it match MX host `host` (RFC 8461 §4.1)? A wildcard stands for exactly one whole,
    /// non-empty left-most label.
    pub fn matches(&self, host: &HostName) -> bool {
        if self.wildcard {
            host.parent() == Some(self.name.as_str())
        } else {
            *host == self.name
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
        self.name.looks_numeric()
    }

    /// The name after any `*.`.
    pub fn name(&self) -> &HostName {
        &self.name
    }
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
