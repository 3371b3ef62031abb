//! MX host patterns and matching (RFC 8461 §3.2 `sts-policy-mx-value`, §4.1).
//!
//! A pattern is `["*."] Domain` (RFC 5321 `Domain`, A-labels only). Matching is case-insensitive,
//! ignores a trailing root dot on the host, and a leading `*.` stands for exactly one whole,
//! non-empty left-most label: `*.example.com` matches `mail.example.com`, but neither
//! `example.com` nor `a.b.example.com`. Hosts given as U-labels are compared as A-labels.

pub use crate::names::domain::PatternError;
use crate::names::domain::{HostName, MxPattern};

/// Checks a policy `mx` value against `["*."] Domain` (A-labels).
pub fn check_pattern(value: &str) -> Result<(), PatternError> {
    MxPattern::parse(value).map(|_| ())
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
