//! The registry of finding codes: the list of every code, finding one by name, and running each
//! code's examples to prove them.
//!
//! What a code is — its type, documentation and examples — is [`crate::code_type`], which every
//! check imports to define its codes. The registry is the one place that knows them all, so it
//! imports every module that lists codes, and no module of the crate imports it (`lib.rs` only
//! declares it; `scripts/module-cycles.py` checks both). Its users are the programs: `mtasts
//! explain CODE` and the web app's `/codes` pages show the same text from here, the fixtures'
//! test proves every example through `prove`, and JSON reads a code back through
//! [`Code::parse`].
//!
//! The documentation and examples, and so `prove` and what runs the examples, are there with
//! the `docs` feature (default); the list of codes and finding one by name are always there.
//!
//! One test walks every code and proves both its examples (text examples here; scenario examples
//! against the scenario world in `mtasts-fixtures`).

use serde::{Deserialize, Deserializer};

use crate::code_type::{Code, CodeInfo};
#[cfg(feature = "docs")]
use crate::{
    code_type::Example,
    finding::Finding,
    lint::{lint, Draft},
    records::{policy::check_policy, sts_txt::check_sts_txt, tlsrpt::check_tlsrpt},
};

impl Code {
    /// The code named `name` (exact, case-insensitive, surrounding whitespace ignored).
    pub fn parse(name: &str) -> Option<Code> {
        let name = name.trim();
        all().find(|c| c.as_str().eq_ignore_ascii_case(name))
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Code::parse(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown finding code `{name}`")))
    }
}

#[cfg(feature = "docs")]
impl Example {
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
        .chain(crate::senders::judge::CODES)
        .copied()
}

/// The documentation of `code`, if it exists (exact, case-insensitive match).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    Code::parse(code).map(Code::info)
}

/// The scenario world, as code examples need it (implemented by `mtasts-fixtures`).
#[cfg(feature = "docs")]
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
#[cfg(feature = "docs")]
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
#[cfg(feature = "docs")]
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
    #[cfg(feature = "docs")]
    use crate::code_type::SECTIONS;
    use std::collections::HashSet;

    #[cfg(feature = "docs")]
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
    #[cfg(feature = "docs")]
    struct NoWorld;

    #[cfg(feature = "docs")]
    impl World for NoWorld {
        fn findings(&self, _: &str) -> Option<Vec<Finding>> {
            None
        }
        fn changes(&self, _: &str, _: &str) -> Option<Vec<Finding>> {
            None
        }
    }

    #[cfg(feature = "docs")]
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
