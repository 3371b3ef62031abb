//! Finding codes as a type: what a code is ([`Code`], a handle to its [`CodeInfo`]), its
//! documentation and examples, and the [`Severity`] and [`Priority`] it gives a finding by
//! default.
//!
//! Each code is defined with [`code!`](crate::code) next to the logic that emits it (in
//! `records/`, `judge/`, `lint.rs` and `compare.rs`), and listed in that module's `CODES`. Its
//! definition holds everything about it in one place, the way ruff and rustc define a rule: the
//! default severity and priority, the RFC section, the documentation as fields (*what it checks /
//! why it matters / example / fix*), and two runnable examples — a bad one (`CodeInfo::bad`) that
//! produces the code and a good one (`CodeInfo::good`) that does not. The documentation and
//! examples are there with the `docs` feature (default): [`code!`](crate::code) drops them
//! without it, so a program that does not show them does not ship them.
//!
//! This module imports nothing of the crate but [`crate::inert`], so every check can define its
//! codes here without a circle. What needs every code — the list of them, finding one by name
//! (`Code::parse`, and reading a code back from JSON), running the examples — is the registry,
//! [`crate::codes`], which imports the checks.

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize, Serializer};

/// Defines a finding code with its documentation and examples. Without the `docs` feature the
/// documentation and examples are dropped unexpanded (the program then ships only the code, its
/// title, defaults and RFC section).
#[macro_export]
#[doc(hidden)]
macro_rules! code {
    ($(#[$m:meta])* $ident:ident = $code:literal, $sev:ident, $prio:ident, $rfc:literal, $title:literal,
     what: $what:expr, why: $why:expr, example: $ex:expr, fix: $fix:expr,
     bad: $bad:expr, good: $good:expr $(,)?) => {
        #[doc = $title]
        $(#[$m])*
        pub const $ident: $crate::code_type::Code = $crate::code_type::Code::new(&$crate::code_type::CodeInfo {
            code: $code,
            title: $title,
            severity: $crate::code_type::Severity::$sev,
            priority: $crate::code_type::Priority::$prio,
            rfc: $rfc,
            // The `cfg`s are evaluated where the macro is expanded: only in this crate.
            #[cfg(feature = "docs")]
            what: $what,
            #[cfg(feature = "docs")]
            why: $why,
            #[cfg(feature = "docs")]
            example: $ex,
            #[cfg(feature = "docs")]
            fix: $fix,
            #[cfg(feature = "docs")]
            bad: $bad,
            #[cfg(feature = "docs")]
            good: $good,
        });
    };
}

/// How bad a finding is for the validity of what was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Breaks the RFC: senders will not use the record or policy as intended.
    Error,
    /// Allowed, but risky or likely a mistake.
    Warning,
    /// Worth knowing; nothing to fix.
    Info,
}

impl Severity {
    /// The lower-case name used in JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// How urgently a person should act on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    /// Mail delivery is at risk now (for example an enforced policy that rejects a real MX).
    High,
    /// Fix during the rollout.
    Medium,
    /// A maturity gap or a nicety.
    Low,
}

impl Priority {
    /// The lower-case name used in JSON and text output.
    pub fn as_str(self) -> &'static str {
        match self {
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        }
    }
}

/// The fixed facts about a finding code: its documentation, defaults and examples (the
/// documentation and examples with the `docs` feature only).
#[derive(Debug, PartialEq, Eq)]
pub struct CodeInfo {
    /// The stable code, for example `policy-max-age-too-large`.
    pub code: &'static str,
    /// A one-line title.
    pub title: &'static str,
    /// Default severity (context may lower or raise it; the docs say when).
    pub severity: Severity,
    /// Default priority.
    pub priority: Priority,
    /// The RFC section the rule comes from, for example `RFC 8461 §3.2`.
    pub rfc: &'static str,
    /// *What it checks* (Markdown: inline code in backticks, paragraphs split by blank lines).
    #[cfg(feature = "docs")]
    pub what: &'static str,
    /// *Why it matters*.
    #[cfg(feature = "docs")]
    pub why: &'static str,
    /// *Example*: the mistake as people make it, in prose.
    #[cfg(feature = "docs")]
    pub example: &'static str,
    /// *Fix*.
    #[cfg(feature = "docs")]
    pub fix: &'static str,
    /// An input that produces this code.
    #[cfg(feature = "docs")]
    pub bad: Example,
    /// A similar input that does not.
    #[cfg(feature = "docs")]
    pub good: Example,
}

/// The documentation's sections, in order, with their headings.
#[cfg(feature = "docs")]
pub const SECTIONS: [&str; 5] = [
    "What it checks",
    "Why it matters",
    "Example",
    "Fix",
    "References",
];

#[cfg(feature = "docs")]
impl CodeInfo {
    /// The five sections as `(heading, text)`, in the order of [`SECTIONS`].
    pub fn sections(&self) -> [(&'static str, &'static str); 5] {
        [
            (SECTIONS[0], self.what),
            (SECTIONS[1], self.why),
            (SECTIONS[2], self.example),
            (SECTIONS[3], self.fix),
            (SECTIONS[4], self.rfc),
        ]
    }

    /// The documentation as one Markdown text with a `##` heading per section.
    pub fn markdown(&self) -> String {
        let mut s = String::new();
        for (heading, text) in self.sections() {
            if !s.is_empty() {
                s.push_str("\n\n");
            }
            s.push_str("## ");
            s.push_str(heading);
            s.push_str("\n\n");
            s.push_str(text);
        }
        s.push('\n');
        s
    }
}

/// An input for a code's examples: text for the record and policy codes, a scenario of the
/// scenario world for the codes judged from Evidence.
#[cfg(feature = "docs")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Example {
    /// The TXT records at `_mta-sts.<domain>`, one string per record.
    StsTxt(&'static [&'static str]),
    /// The TXT records at `_smtp._tls.<domain>`.
    Tlsrpt(&'static [&'static str]),
    /// A policy file's bytes.
    Policy(&'static [u8]),
    /// A policy file with the domain's MX hosts (`[preference] host` per entry).
    Draft {
        /// The policy file's text.
        policy: &'static str,
        /// The MX hosts.
        mx_hosts: &'static [&'static str],
    },
    /// A scenario of the scenario world (`mtasts-fixtures`), by its domain.
    Scenario(&'static str),
    /// Two scenarios of the world as two observations of one domain, `before` then `after`
    /// (change codes, [`mod@crate::compare`]).
    Change {
        /// The earlier observation's scenario.
        before: &'static str,
        /// The later one's.
        after: &'static str,
    },
}

#[cfg(feature = "docs")]
impl Example {
    /// What the example is, in words (`"_mta-sts TXT records"`, `"policy file"`, …), and its text
    /// as people read it: one record or line per line, tabs, stray CRs, control and invisible
    /// characters written as escapes.
    pub fn describe(&self) -> (&'static str, String) {
        let quoted = |v: &[&str]| {
            v.iter()
                .map(|r| format!("\"{}\"", visible(r)))
                .collect::<Vec<_>>()
                .join("\n")
        };
        match *self {
            Example::StsTxt(r) => ("_mta-sts TXT records", quoted(r)),
            Example::Tlsrpt(r) => ("_smtp._tls TXT records", quoted(r)),
            Example::Policy(b) => ("policy file", visible(&String::from_utf8_lossy(b))),
            Example::Draft { policy, mx_hosts } => (
                "policy file and MX hosts",
                format!("{}\nMX hosts: {}", visible(policy), mx_hosts.join(", ")),
            ),
            Example::Scenario(d) => ("scenario of the fixture internet", d.to_owned()),
            Example::Change { before, after } => (
                "two checks of a domain (scenarios of the fixture internet)",
                format!("before: {before}\nafter: {after}"),
            ),
        }
    }
}

/// `text` with CRLF and LF shown as line breaks and every other invisible character as an
/// escape (`\t`, `\r`, `\u{feff}`; see [`crate::inert`]).
#[cfg(feature = "docs")]
fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => out.push('\n'),
            c => crate::inert::push(&mut out, c, chars.peek().copied()),
        }
    }
    out.truncate(out.trim_end_matches('\n').len());
    out
}

/// A finding code: a typed handle to its [`CodeInfo`]. In JSON it is the kebab-case string.
///
/// Finding a code by its name ([`Code::parse`], and so reading one from JSON) needs the list of
/// every code: those are defined in the registry, [`crate::codes`].
#[derive(Clone, Copy)]
pub struct Code(&'static CodeInfo);

impl Code {
    #[doc(hidden)]
    pub const fn new(info: &'static CodeInfo) -> Self {
        Code(info)
    }

    /// The kebab-case code, for example `policy-max-age-too-large`.
    pub fn as_str(self) -> &'static str {
        self.0.code
    }

    /// Its documentation, defaults and examples.
    pub fn info(self) -> &'static CodeInfo {
        self.0
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Code {}

impl Hash for Code {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialOrd for Code {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Code {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
