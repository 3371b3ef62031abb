//! Finding codes: their typed identity, their documentation, their examples and the registry.
//!
//! Each code is defined with [`code!`](crate::code) next to the logic that emits it (in
//! `records/`, `judge/` and `lint.rs`), and listed in that module's `CODES`. Its definition holds
//! everything about it in one place, the way ruff and rustc define a rule: the default severity
//! and priority, the RFC section, the documentation as fields (*what it checks / why it matters /
//! example / fix*), and two runnable examples — a [bad](CodeInfo::bad) one that produces the code and
//! a [good](CodeInfo::good) one that does not. One test walks every code and proves both (text
//! examples here; scenario examples against the scenario world in `mtasts-fixtures`).
//!
//! `mtasts explain CODE`, the web app's `/codes/CODE` pages and this registry show the same text.

use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::finding::{Finding, Priority, Severity};
use crate::lint::{lint, Draft};
use crate::records::policy::check_policy;
use crate::records::sts_txt::check_sts_txt;
use crate::records::tlsrpt::check_tlsrpt;

/// Defines a finding code with its documentation and examples.
#[macro_export]
#[doc(hidden)]
macro_rules! code {
    ($(#[$m:meta])* $ident:ident = $code:literal, $sev:ident, $prio:ident, $rfc:literal, $title:literal,
     what: $what:expr, why: $why:expr, example: $ex:expr, fix: $fix:expr,
     bad: $bad:expr, good: $good:expr $(,)?) => {
        #[doc = $title]
        $(#[$m])*
        pub const $ident: $crate::codes::Code = $crate::codes::Code::new(&$crate::codes::CodeInfo {
            code: $code,
            title: $title,
            severity: $crate::finding::Severity::$sev,
            priority: $crate::finding::Priority::$prio,
            rfc: $rfc,
            what: $what,
            why: $why,
            example: $ex,
            fix: $fix,
            bad: $bad,
            good: $good,
        });
    };
}

/// The fixed facts about a finding code: its documentation, defaults and examples.
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
    pub what: &'static str,
    /// *Why it matters*.
    pub why: &'static str,
    /// *Example*: the mistake as people make it, in prose.
    pub example: &'static str,
    /// *Fix*.
    pub fix: &'static str,
    /// An input that produces this code.
    pub bad: Example,
    /// A similar input that does not.
    pub good: Example,
}

/// The documentation's sections, in order, with their headings.
pub const SECTIONS: [&str; 5] = [
    "What it checks",
    "Why it matters",
    "Example",
    "Fix",
    "References",
];

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

    /// The findings this example produces: records and drafts through [`lint`] (a record on its
    /// own is linted without a policy), a policy through [`check_policy`], a scenario through
    /// `world` (the scenario world's assessment, or its two scenarios compared; `None` when it
    /// is not at hand).
    pub fn findings(&self, world: &dyn World) -> Option<Vec<Finding>> {
        let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let findings = match *self {
            Example::Scenario(domain) => return world.findings(domain),
            Example::Change { before, after } => return world.changes(before, after),
            Example::Policy(bytes) => check_policy(bytes).findings,
            Example::StsTxt(records) => check_sts_txt(records).findings,
            Example::Tlsrpt(records) => check_tlsrpt(records).findings,
            Example::Draft { policy, mx_hosts } => {
                lint(&Draft {
                    policy: policy.to_owned(),
                    mx_hosts: strings(mx_hosts),
                    ..Draft::default()
                })
                .findings
            }
        };
        Some(findings)
    }
}

/// `text` with CRLF and LF shown as line breaks and every other invisible character as an
/// escape (`\t`, `\r`, `\u{feff}`; see [`crate::inert`]).
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

    /// The code named `name` (exact, case-insensitive, surrounding whitespace ignored).
    pub fn parse(name: &str) -> Option<Code> {
        let name = name.trim();
        all().find(|c| c.as_str().eq_ignore_ascii_case(name))
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

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Code::parse(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown finding code `{name}`")))
    }
}

/// Every code, grouped by the module that emits it.
pub fn all() -> impl Iterator<Item = Code> {
    crate::records::sts_txt::CODES
        .iter()
        .chain(crate::records::policy::CODES)
        .chain(crate::records::tlsrpt::CODES)
        .chain(crate::judge::CODES)
        .chain(crate::judge::smtp::CODES)
        .chain(crate::lint::CODES)
        .chain(crate::compare::CODES)
        .copied()
}

/// The documentation of `code`, if it exists (exact, case-insensitive match).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    Code::parse(code).map(Code::info)
}

/// The scenario world, as code examples need it (implemented by `mtasts-fixtures`).
pub trait World {
    /// The findings of the scenario `domain`; `None` when there is no such scenario.
    fn findings(&self, domain: &str) -> Option<Vec<Finding>>;
    /// The change findings from scenario `before` to scenario `after`, observed as one domain.
    fn changes(&self, before: &str, after: &str) -> Option<Vec<Finding>>;
}

/// Proves a code's two examples: the bad one produces the code, the good one does not.
/// `world` runs the scenarios of the scenario world; `None` from it skips that example.
///
/// # Errors
/// What is wrong, in words, when an example does not behave.
pub fn prove(code: Code, world: &dyn World) -> Result<ProofOutcome, String> {
    let info = code.info();
    let mut proven = 0;
    for (which, example, want) in [("bad", &info.bad, true), ("good", &info.good, false)] {
        let Some(findings) = example.findings(world) else {
            continue;
        };
        // Every code a check emits must be in the registry, or its JSON would not read back.
        if let Some(f) = findings
            .iter()
            .find(|f| Code::parse(f.code.as_str()) != Some(f.code))
        {
            return Err(format!(
                "{} is emitted but not listed in its module's CODES",
                f.code
            ));
        }
        let got = findings.iter().any(|f| f.code == code);
        if got != want {
            let codes: Vec<&str> = findings.iter().map(|f| f.code.as_str()).collect();
            return Err(format!(
                "{code}: the {which} example {example:?} {} the code; its findings: {codes:?}",
                if want { "does not produce" } else { "produces" }
            ));
        }
        proven += 1;
    }
    Ok(if proven == 2 {
        ProofOutcome::Proven
    } else {
        ProofOutcome::Skipped
    })
}

/// What [`prove`] could show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofOutcome {
    /// Both examples behave.
    Proven,
    /// An example needs the scenario world, which was not given.
    Skipped,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_has_all_five_sections_non_empty() {
        for code in all() {
            let info = code.info();
            for (heading, text) in info.sections() {
                assert!(
                    text.trim().len() >= 8,
                    "{code}: section {heading} is empty or too short"
                );
            }
            assert!(!info.title.is_empty(), "{code}: no title");
            assert!(info.rfc.starts_with("RFC "), "{code}: no RFC section");
            let md = info.markdown();
            for h in SECTIONS {
                assert!(md.contains(&format!("## {h}\n\n")), "{code}: {h}");
            }
        }
    }

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for code in all() {
            assert!(seen.insert(code), "duplicate code {code}");
            assert!(
                code.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "code {code} is not kebab-case"
            );
        }
    }

    /// Every text example proves its code here; scenario examples are proven by the scenario
    /// world's own test (`mtasts-fixtures`), which walks every code.
    /// No scenario world at hand: scenario examples are skipped.
    struct NoWorld;

    impl World for NoWorld {
        fn findings(&self, _: &str) -> Option<Vec<Finding>> {
            None
        }
        fn changes(&self, _: &str, _: &str) -> Option<Vec<Finding>> {
            None
        }
    }

    #[test]
    fn every_text_example_proves_its_code() {
        crate::names::idn::for_tests();
        let mut proven = 0;
        for code in all() {
            match prove(code, &NoWorld) {
                Ok(ProofOutcome::Proven) => proven += 1,
                Ok(ProofOutcome::Skipped) => {}
                Err(e) => panic!("{e}"),
            }
        }
        assert!(proven >= 45, "only {proven} codes proven by text");
    }

    #[test]
    fn parse_is_case_insensitive_and_json_is_the_string() {
        let first = all().next().expect("at least one code");
        assert_eq!(Code::parse(&first.as_str().to_uppercase()), Some(first));
        assert_eq!(lookup("no-such-code"), None);
        let json = serde_json::to_string(&first).expect("json");
        assert_eq!(json, format!("\"{first}\""));
        let back: Code = serde_json::from_str(&json).expect("back");
        assert_eq!(back, first);
        assert!(serde_json::from_str::<Code>("\"no-such-code\"").is_err());
    }
}
