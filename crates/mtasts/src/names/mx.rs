//! MX host patterns and matching (RFC 8461 §3.2 `sts-policy-mx-value`, §4.1).
//!
//! A pattern is `["*."] Domain` (RFC 5321 `Domain`, A-labels only). Matching is case-insensitive,
//! ignores a trailing root dot on the host, and a leading `*.` stands for exactly one whole,
//! non-empty left-most label: `*.example.com` matches `mail.example.com`, but neither
//! `example.com` nor `a.b.example.com`. Hosts given as U-labels are compared as A-labels.

use crate::names::domain::{ascii_label_error, HostName, MxPattern, NameError};

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

/// Checks a policy `mx` value against `["*."] Domain` (A-labels).
pub fn check_pattern(value: &str) -> Result<(), PatternError> {
    MxPattern::parse(value).map(|_| ())
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

/// Does policy pattern `pattern` match MX host `host` (RFC 8461 §4.1)?
///
/// Both are compared case-insensitively as A-labels with any trailing dot ignored. A pattern that
/// is not `["*."] Domain` matches nothing.
pub fn mx_matches(pattern: &str, host: &str) -> bool {
    match (MxPattern::lenient(pattern), HostName::new(host)) {
        (Some(p), Some(h)) => p.matches(&h),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_table() {
        crate::names::idn::for_tests();
        let table: &[(&str, &str, bool)] = &[
            ("mail.example.com", "mail.example.com", true),
            // Case-insensitive, both ways.
            ("MAIL.example.COM", "mail.EXAMPLE.com", true),
            // A trailing root dot on the host (as MX answers have) is ignored.
            ("mail.example.com", "mail.example.com.", true),
            // The wildcard is exactly one left-most label.
            ("*.example.com", "mail.example.com", true),
            ("*.example.com", "example.com", false),
            ("*.example.com", "a.b.example.com", false),
            ("*.example.com", ".example.com", false),
            // Anchored: no suffix or prefix matching.
            ("mail.example.com", "mail.example.com.evil.net", false),
            ("example.com", "mail.example.com", false),
            ("*.example.com", "mail.example.com.evil.net", false),
            ("*.example.com", "mailexample.com", false),
            // IDN hosts are compared as A-labels.
            ("xn--bcher-kva.de", "bücher.de", true),
            ("*.xn--bcher-kva.de", "MX.Bücher.de", true),
            // Patterns that are not patterns match nothing.
            ("*", "mail.example.com", false),
            ("*.*.example.com", "a.b.example.com", false),
            ("mail*.example.com", "mail1.example.com", false),
            ("", "mail.example.com", false),
            ("mail.example.com", "", false),
        ];
        for (p, h, want) in table {
            assert_eq!(mx_matches(p, h), *want, "{p:?} vs {h:?}");
        }
    }

    #[test]
    fn pattern_grammar() {
        crate::names::idn::for_tests();
        for ok in [
            "mail.example.com",
            "*.example.com",
            "MX1.Example.COM",
            "a",
            "xn--bcher-kva.de",
            "a-b.c",
        ] {
            assert_eq!(check_pattern(ok), Ok(()), "{ok:?}");
        }
        let bad: &[(&str, PatternError)] = &[
            ("", PatternError::Empty),
            ("mail.example.com.", PatternError::TrailingDot),
            ("*.*.example.com", PatternError::Wildcard),
            ("mail*.example.com", PatternError::Wildcard),
            ("*", PatternError::Wildcard),
            ("a..b", PatternError::EmptyLabel),
            (".example.com", PatternError::EmptyLabel),
            ("-a.example.com", PatternError::BadLabel("-a".into())),
            ("a_b.example.com", PatternError::BadLabel("a_b".into())),
            ("a.example.com b.example.com", PatternError::List),
            ("mail.example.com:25", PatternError::NotAHost),
            (
                "bücher.de",
                PatternError::UnicodeLabel {
                    a_label: "xn--bcher-kva.de".into(),
                },
            ),
        ];
        for (p, e) in bad {
            assert_eq!(check_pattern(p).as_ref(), Err(e), "{p:?}");
        }
    }
}
