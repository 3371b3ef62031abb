//! The MTA-STS policy file at `https://mta-sts.<domain>/.well-known/mta-sts.txt` (RFC 8461 §3.2).
//!
//! ```text
//! sts-policy-record = sts-policy-field *WSP *(sts-policy-term sts-policy-field *WSP) [sts-policy-term]
//! field-delim       = ":" *WSP
//! sts-policy-term   = LF / CRLF                      ; erratum 6253: both are allowed
//! version: STSv1    mode: testing|enforce|none    max_age: 1*10DIGIT    mx: ["*."] Domain
//! sts-policy-ext-value = sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar]
//! ```
//!
//! [`check_policy`] takes the raw bytes (which may be non-UTF-8, carry a BOM, be an HTML page or be
//! huge) and returns every finding with a line, column and byte range, plus the parsed [`Policy`]
//! when it is valid. Decisions where the RFC is vague are in `shared/docs/RFC-NOTES.md` (items 7–11).

//! The work is split as the data flows: the file and its lines ([`lines`]), then the fields
//! ([`fields`]); the codes of both are re-exported here.

use std::str::FromStr;

use crate::code_type::Code;
use crate::finding::Finding;

pub mod fields;
pub mod lines;
mod model;

pub use fields::{
    DUPLICATE_FIELD, MAX_AGE_INVALID, MAX_AGE_MISSING, MAX_AGE_SHORT, MAX_AGE_TOO_LARGE,
    MAX_AGE_ZERO, MODE_INVALID, MODE_MISSING, MX_ADDRESS, MX_DUPLICATE, MX_INVALID, MX_MISSING,
    UNKNOWN_FIELD, VERSION_INVALID, VERSION_MISSING, VERSION_NOT_FIRST,
};
pub use lines::{
    BLANK_LINE, BOM, EMPTY, FIELD_NAME, HTML, INDENTED, LF_LINE_ENDINGS, LINE_SYNTAX,
    MIXED_LINE_ENDINGS, NOT_UTF8, SPACE_BEFORE_COLON, TOO_LARGE, TOO_MANY_PROBLEMS, VALUE_SYNTAX,
};
pub use model::{
    LineEndings, Mode, Policy, PolicyExtension, MAX_AGE_LIMIT, MAX_POLICY_BYTES, ONE_WEEK,
};

pub(crate) const CODES: &[Code] = &[
    EMPTY,
    BOM,
    HTML,
    TOO_LARGE,
    NOT_UTF8,
    BLANK_LINE,
    INDENTED,
    LINE_SYNTAX,
    SPACE_BEFORE_COLON,
    FIELD_NAME,
    VALUE_SYNTAX,
    VERSION_MISSING,
    VERSION_INVALID,
    VERSION_NOT_FIRST,
    MODE_MISSING,
    MODE_INVALID,
    MAX_AGE_MISSING,
    MAX_AGE_INVALID,
    MAX_AGE_TOO_LARGE,
    MAX_AGE_ZERO,
    MAX_AGE_SHORT,
    MX_MISSING,
    MX_INVALID,
    MX_ADDRESS,
    MX_DUPLICATE,
    DUPLICATE_FIELD,
    UNKNOWN_FIELD,
    LF_LINE_ENDINGS,
    MIXED_LINE_ENDINGS,
    TOO_MANY_PROBLEMS,
];

/// Why a text is not a valid policy: the first error finding.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message} [{code}]")]
#[non_exhaustive]
pub struct PolicyError {
    /// Finding code of the first error.
    pub code: Code,
    /// 1-based line of the first error (0 when it concerns the whole file).
    pub line: u32,
    /// Byte offset of the first error.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

impl FromStr for Policy {
    type Err = PolicyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let c = check_policy(s.as_bytes());
        match c.policy {
            Some(p) => Ok(p),
            None => {
                let first = c.findings.iter().find(|f| f.is_error());
                Err(PolicyError {
                    code: first.map_or(LINE_SYNTAX, |f| f.code),
                    line: first.and_then(|f| f.line).unwrap_or(0),
                    offset: first.and_then(|f| f.span).map_or(0, |s| s.start),
                    message: first.map(|f| f.message.to_string()).unwrap_or_default(),
                })
            }
        }
    }
}

/// The result of checking a policy text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyCheck {
    /// The parsed policy, when it is valid (no finding is an error).
    pub policy: Option<Policy>,
    /// Everything found, in order of position.
    pub findings: Vec<Finding>,
    /// The line endings used.
    pub line_endings: LineEndings,
}

impl PolicyCheck {
    /// True when the policy is valid.
    pub fn is_valid(&self) -> bool {
        self.policy.is_some()
    }
}

/// Checks a policy file from its raw bytes.
pub fn check_policy(bytes: &[u8]) -> PolicyCheck {
    // Room for what most policies get (a few findings) without growing.
    let mut findings = Vec::with_capacity(4);
    let Some(base) = lines::whole_file(bytes, &mut findings) else {
        return PolicyCheck {
            policy: None,
            findings,
            line_endings: LineEndings::None,
        };
    };
    let scanned = lines::scan(bytes, base, &mut findings);
    let policy = fields::judge(&scanned.fields, &mut findings);
    let valid = !findings.iter().any(Finding::is_error);
    PolicyCheck {
        policy: policy.filter(|_| valid),
        findings: lines::cap_per_code(findings),
        line_endings: scanned.line_endings,
    }
}

#[cfg(test)]
mod tests {
    use super::fields::suggest_field;
    use super::lines::MAX_PER_CODE;
    use super::*;
    use crate::finding::Severity;

    const GOOD: &str = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n";

    fn check(s: &str) -> PolicyCheck {
        check_policy(s.as_bytes())
    }

    fn codes(s: &str) -> Vec<String> {
        check(s)
            .findings
            .into_iter()
            .map(|f| f.code.to_string())
            .collect()
    }

    #[test]
    fn good_policy() {
        let c = check(GOOD);
        assert!(c.findings.is_empty(), "{:?}", c.findings);
        let p = c.policy.expect("valid");
        assert_eq!(p.mode, Mode::Enforce);
        assert_eq!(p.max_age, 604_800);
        assert_eq!(p.mx, ["mail.example.com", "*.example.net"]);
        assert_eq!(p.to_string().parse::<Policy>(), Ok(p));
    }

    #[test]
    fn valid_variants() {
        let table: &[(&str, &[&str])] = &[
            // LF only: valid (erratum 6253), with an info note.
            ("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 604800\n", &["policy-lf-line-endings"]),
            // No final line terminator.
            ("version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 604800", &[]),
            // No whitespace after the colon, trailing whitespace after the value.
            ("version:STSv1\r\nmode:testing \r\nmx:a.example\t\r\nmax_age:604800", &[]),
            // Leading zeros within ten digits.
            ("version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 0000604800", &[]),
            // The maximum.
            ("version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 31557600", &[]),
            // mode none needs no mx.
            ("version: STSv1\r\nmode: none\r\nmax_age: 86400", &[]),
            // Unknown fields are ignored, with UTF-8 and inner spaces in their values.
            ("version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 604800\r\nnote: café au lait", &["policy-unknown-field"]),
            // Repeats: the first wins.
            ("version: STSv1\r\nmode: testing\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 604800", &["policy-duplicate-field"]),
            // The version need not come first, but should.
            ("mode: testing\r\nversion: STSv1\r\nmx: a.example\r\nmax_age: 604800", &["policy-version-not-first"]),
            // max_age 0 is valid with a warning.
            ("version: STSv1\r\nmode: testing\r\nmx: a.example\r\nmax_age: 0", &["policy-max-age-zero"]),
            // Mixed endings are valid, with a warning.
            ("version: STSv1\r\nmode: testing\nmx: a.example\r\nmax_age: 604800", &["policy-mixed-line-endings"]),
        ];
        for (text, want) in table {
            let c = check(text);
            assert!(c.is_valid(), "{text:?}: {:?}", c.findings);
            let got: Vec<String> = c.findings.iter().map(|f| f.code.to_string()).collect();
            assert_eq!(got, *want, "{text:?}");
        }
        let p = check(
            "version: STSv1\r\nmode: testing\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 604800",
        )
        .policy;
        assert_eq!(p.map(|p| p.mode), Some(Mode::Testing));
    }

    #[test]
    fn invalid_policies() {
        let table: &[(&str, &str)] = &[
            // Empty.
            ("", "policy-empty"),
            // BOM before the first field.
            (
                "\u{FEFF}version: STSv1\r\nmode: none\r\nmax_age: 1",
                "policy-bom",
            ),
            // An HTML page served with 200.
            ("<!DOCTYPE html><html><body>hi</body></html>", "policy-html"),
            // Blank lines are outside the grammar: leading, inner and a doubled final newline.
            (
                "\nversion: STSv1\nmode: none\nmax_age: 1\n",
                "policy-blank-line",
            ),
            (
                "version: STSv1\n\nmode: none\nmax_age: 1\n",
                "policy-blank-line",
            ),
            (
                "version: STSv1\nmode: none\nmax_age: 1\n\n",
                "policy-blank-line",
            ),
            // Indentation.
            ("version: STSv1\n mode: none\nmax_age: 1", "policy-indented"),
            // Whitespace before the colon.
            (
                "version: STSv1\nmode : none\nmax_age: 1",
                "policy-space-before-colon",
            ),
            // Not name: value.
            (
                "version: STSv1\nmode none\nmax_age: 1",
                "policy-line-syntax",
            ),
            ("version: STSv1\nmode:\nmax_age: 1", "policy-line-syntax"),
            // Values are case-sensitive.
            (
                "version: stsv1\nmode: none\nmax_age: 1",
                "policy-version-invalid",
            ),
            (
                "version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1",
                "policy-mode-invalid",
            ),
            // Names are case-sensitive: `Mode` is an unknown field, so mode is missing.
            (
                "version: STSv1\nMode: none\nmax_age: 1",
                "policy-mode-missing",
            ),
            // max_age: digits only, at most ten, at most 31557600.
            (
                "version: STSv1\nmode: none\nmax_age: -1",
                "policy-max-age-invalid",
            ),
            (
                "version: STSv1\nmode: none\nmax_age: 1w",
                "policy-max-age-invalid",
            ),
            (
                "version: STSv1\nmode: none\nmax_age: 00000000001",
                "policy-max-age-invalid",
            ),
            (
                "version: STSv1\nmode: none\nmax_age: 31557601",
                "policy-max-age-too-large",
            ),
            // Required fields.
            ("mode: none\nmax_age: 1", "policy-version-missing"),
            ("version: STSv1\nmax_age: 1", "policy-mode-missing"),
            ("version: STSv1\nmode: none", "policy-max-age-missing"),
            (
                "version: STSv1\nmode: enforce\nmax_age: 604800",
                "policy-mx-missing",
            ),
            // mx patterns.
            (
                "version: STSv1\nmode: testing\nmx: *.*.example.com\nmax_age: 1",
                "policy-mx-invalid",
            ),
            (
                "version: STSv1\nmode: testing\nmx: mail.example.com.\nmax_age: 1",
                "policy-mx-invalid",
            ),
            (
                "version: STSv1\nmode: testing\nmx: a.example, b.example\nmax_age: 1",
                "policy-mx-invalid",
            ),
            (
                "version: STSv1\nmode: testing\nmx: bücher.de\nmax_age: 1",
                "policy-mx-invalid",
            ),
            // A tab inside a value.
            (
                "version: STSv1\nmode: none\nmax_age: 1\nx: a\tb",
                "policy-value-syntax",
            ),
            // A lone CR.
            (
                "version: STSv1\rmode: none\nmax_age: 1",
                "policy-line-syntax",
            ),
            // Invalid UTF-8.
            (
                "version: STSv1\nmode: none\nmax_age: 1\nx: \u{0}",
                "policy-line-syntax",
            ),
        ];
        for (text, code) in table {
            let c = check(text);
            assert!(
                !c.is_valid(),
                "{text:?} should be invalid: {:?}",
                c.findings
            );
            assert!(
                codes(text).iter().any(|c| c == code),
                "{text:?}: want {code}, got {:?}",
                c.findings
            );
        }
        let c = check_policy(b"version: STSv1\nmode: none\nmax_age: 1\nx: \xE9t\xE9");
        assert_eq!(c.findings[0].code.as_str(), "policy-not-utf8");
        assert_eq!(
            (c.findings[0].line, c.findings[0].column),
            (Some(4), Some(4))
        );
    }

    #[test]
    fn spans_point_at_the_text() {
        let text =
            "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 99999999999\r\n";
        let c = check(text);
        let f = c
            .findings
            .iter()
            .find(|f| f.code.as_str() == "policy-max-age-invalid")
            .expect("finding");
        assert_eq!((f.line, f.column), (Some(4), Some(10)));
        let s = f.span.expect("span");
        assert_eq!(&text[s.start..s.end], "99999999999");
    }

    #[test]
    fn huge_and_garbage_inputs_do_not_explode() {
        let big = "x".repeat(10 * 1024 * 1024);
        let c = check(&big);
        assert!(!c.is_valid());
        let many = "garbage\n".repeat(100_000);
        let c = check(&many);
        assert!(c.findings.len() < 120, "{}", c.findings.len());
        assert!(c
            .findings
            .iter()
            .any(|f| f.code.as_str() == "policy-too-many-problems"));
    }

    #[test]
    fn many_repeated_fields_stay_fast_and_short() {
        let mut text =
            String::from("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 604800\n");
        text.push_str(&"mode: enforce\nmx: a.example\nx: y\n".repeat(200_000));
        let c = check(&text);
        // Over 64 KiB: the size is the one error; the repeats are warnings and notes.
        let errors: Vec<&str> = c
            .findings
            .iter()
            .filter(|f| f.is_error())
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(errors, ["policy-too-large"]);
        assert!(c.findings.len() <= 4 * MAX_PER_CODE, "{}", c.findings.len());
        assert!(c
            .findings
            .iter()
            .any(|f| f.code.as_str() == "policy-too-many-problems"
                && f.severity == Severity::Warning));
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest_field("max-age"), Some("max_age"));
        assert_eq!(suggest_field("Mode"), Some("mode"));
        assert_eq!(suggest_field("nmx"), None);
        assert_eq!(suggest_field("verison"), None);
        assert_eq!(suggest_field("versio"), Some("version"));
        assert_eq!(suggest_field("xyz"), None);
    }
}
