//! Findings: what a check says about a record, a policy or a domain.
//!
//! Every finding carries a stable code (documented in [`crate::code_type`], every code listed in
//! [`crate::codes`]), a severity, a priority, a plain-words message, where it points (line, column
//! and byte range) when it points at text, the fix, and the RFC section it enforces. Severity and
//! priority are defined beside the code type, since each code sets them by default.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::code_type::Code;

pub mod location;

pub use crate::code_type::{Priority, Severity};
pub use location::{ByteRange, Location, Place};

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Subject {
    /// The `_mta-sts` TXT record set.
    StsTxt,
    /// The policy file text.
    Policy,
    /// The HTTPS fetch of the policy file.
    Fetch,
    /// The MX records and their coverage by the policy.
    Mx,
    /// The `_smtp._tls` TXT record set.
    Tlsrpt,
    /// DNSSEC and DANE context.
    Dane,
    /// The domain as a whole.
    Domain,
}

/// One thing a check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable code; `mtasts explain CODE` documents it.
    pub code: Code,
    /// How bad it is.
    pub severity: Severity,
    /// How urgent it is.
    pub priority: Priority,
    /// What it is about.
    pub subject: Subject,
    /// What is wrong, in plain words.
    pub message: Cow<'static, str>,
    /// 1-based line (for a TXT record: the record's index; see [`Finding::place`]), when the
    /// finding points at text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// 1-based column in characters, when the finding points at text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    /// Byte range pointed at, when the finding points at text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<ByteRange>,
    /// The exact fix, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Cow<'static, str>>,
    /// The RFC section this rule implements.
    pub rfc: Cow<'static, str>,
}

impl Finding {
    /// A finding of `code` with its default severity and priority.
    pub fn new(code: Code, subject: Subject, message: impl Into<Cow<'static, str>>) -> Self {
        let info = code.info();
        Finding {
            code,
            severity: info.severity,
            priority: info.priority,
            subject,
            message: message.into(),
            line: None,
            column: None,
            span: None,
            fix: None,
            rfc: Cow::Borrowed(info.rfc),
        }
    }

    /// Points the finding at a place in the text.
    #[must_use]
    pub fn at(mut self, loc: Location) -> Self {
        self.line = Some(loc.line);
        self.column = Some(loc.column);
        self.span = Some(loc.range);
        self
    }

    /// Adds the exact fix.
    #[must_use]
    pub fn fix(mut self, fix: impl Into<Cow<'static, str>>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// Overrides the default severity (the code's documentation says when this happens).
    #[must_use]
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Overrides the default priority.
    #[must_use]
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = priority;
        self
    }

    /// Where the finding points, when it points at text: a line of the policy, or a record of a
    /// TXT record set (whose `line` holds the record's 1-based index).
    pub fn place(&self) -> Option<Place> {
        let (line, column) = (self.line?, self.column.unwrap_or(1));
        Some(match self.subject {
            Subject::StsTxt | Subject::Tlsrpt => Place::Record {
                index: line,
                column,
            },
            _ => Place::Line { line, column },
        })
    }

    /// True for severity `error`.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// How many findings of each severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Severity `error`.
    pub errors: usize,
    /// Severity `warning`.
    pub warnings: usize,
    /// Severity `info`.
    pub notes: usize,
}

impl Counts {
    /// Counts `findings` by severity.
    pub fn of(findings: &[Finding]) -> Self {
        findings.iter().fold(Counts::default(), |mut c, f| {
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.notes += 1,
            }
            c
        })
    }
}

/// The order in which people read findings: priority first (what to act on now), then
/// severity; otherwise the order of [`sort_findings`] (position in the text) is kept.
pub fn by_priority(findings: &[Finding]) -> Vec<Finding> {
    let mut v = findings.to_vec();
    sort(&mut v, |a, b| {
        (a.priority, a.severity).cmp(&(b.priority, b.severity))
    });
    v
}

/// Sorts findings for people: errors first, then by priority, then by position.
pub fn sort_findings(findings: &mut [Finding]) {
    sort(findings, |a, b| {
        (a.severity, a.priority, a.line.unwrap_or(u32::MAX), a.column).cmp(&(
            b.severity,
            b.priority,
            b.line.unwrap_or(u32::MAX),
            b.column,
        ))
    });
}

/// A stable sort of findings by `order`. Both orders go through one function pointer type, so a
/// program carries one copy of the sort, not one a comparator (measured: 1 KB of gzip'd wasm).
fn sort(findings: &mut [Finding], order: fn(&Finding, &Finding) -> std::cmp::Ordering) {
    findings.sort_by(order);
}
