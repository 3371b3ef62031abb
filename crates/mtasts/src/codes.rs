//! The registry of finding codes and their documentation.
//!
//! Each code is defined with [`code!`](crate::code) next to the logic that emits it (in
//! `sts_txt.rs`, `policy.rs`, `tlsrpt.rs`, `assess.rs`), and listed in that module's `CODES`.
//! `mtasts explain CODE`, the web app's `/codes/CODE` pages and this registry show the same text.

use crate::finding::CodeInfo;

/// Defines a finding code with its documentation, which always has the five headings
/// *What it checks / Why it matters / Example / Fix / References*.
#[macro_export]
#[doc(hidden)]
macro_rules! code {
    ($(#[$m:meta])* $ident:ident = $code:literal, $sev:ident, $prio:ident, $rfc:literal, $title:literal,
     what: $what:expr, why: $why:expr, example: $ex:expr, fix: $fix:expr $(,)?) => {
        $(#[$m])*
        pub(crate) const $ident: $crate::finding::CodeInfo = $crate::finding::CodeInfo {
            code: $code,
            title: $title,
            severity: $crate::finding::Severity::$sev,
            priority: $crate::finding::Priority::$prio,
            rfc: $rfc,
            doc: concat!(
                "## What it checks\n\n", $what,
                "\n\n## Why it matters\n\n", $why,
                "\n\n## Example\n\n", $ex,
                "\n\n## Fix\n\n", $fix,
                "\n\n## References\n\n", $rfc, "\n"
            ),
        };
    };
}

/// Every documented code, grouped by the module that emits it.
pub fn all() -> impl Iterator<Item = &'static CodeInfo> {
    crate::sts_txt::CODES
        .iter()
        .chain(crate::policy::CODES)
        .chain(crate::tlsrpt::CODES)
        .chain(crate::assess::CODES)
        .chain(crate::lint::CODES)
}

/// The documentation of `code`, if it exists (exact, case-insensitive match).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    let code = code.trim();
    all().find(|c| c.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    const HEADINGS: [&str; 5] = [
        "## What it checks",
        "## Why it matters",
        "## Example",
        "## Fix",
        "## References",
    ];

    #[test]
    fn every_code_has_all_five_sections_non_empty() {
        for info in all() {
            let mut rest = info.doc;
            for (i, h) in HEADINGS.iter().enumerate() {
                let at = rest
                    .find(h)
                    .unwrap_or_else(|| panic!("{}: no heading {h}", info.code));
                rest = &rest[at + h.len()..];
                let end = HEADINGS
                    .get(i + 1)
                    .and_then(|n| rest.find(n))
                    .unwrap_or(rest.len());
                assert!(
                    rest[..end].trim().len() >= 8,
                    "{}: section {h} is empty or too short",
                    info.code
                );
            }
            assert!(!info.title.is_empty(), "{}: no title", info.code);
            assert!(
                info.rfc.starts_with("RFC "),
                "{}: no RFC section",
                info.code
            );
        }
    }

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for info in all() {
            assert!(seen.insert(info.code), "duplicate code {}", info.code);
            assert!(
                info.code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "code {} is not kebab-case",
                info.code
            );
        }
    }

    /// A code defined with `code!` but not listed in its module's `CODES` would have no
    /// documentation reachable from `explain` or the web app: scan the sources for definitions.
    #[test]
    fn every_defined_code_is_registered() {
        let sources = [
            include_str!("sts_txt.rs"),
            include_str!("policy.rs"),
            include_str!("tlsrpt.rs"),
            include_str!("assess.rs"),
            include_str!("record.rs"),
            include_str!("mx.rs"),
            include_str!("lint.rs"),
            include_str!("generate.rs"),
        ];
        let registered: HashSet<&str> = all().map(|c| c.code).collect();
        let mut defined = 0;
        for src in sources {
            for line in src.lines() {
                let line = line.trim_start();
                let line = line.strip_prefix("code!(").unwrap_or(line);
                // `NAME = "code",` inside a `code!` invocation.
                if let Some((lhs, rhs)) = line.split_once(" = \"") {
                    if lhs
                        .bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                        && !lhs.is_empty()
                    {
                        let code = rhs.split('"').next().unwrap_or_default();
                        defined += 1;
                        assert!(
                            registered.contains(code),
                            "code {code} is defined but not listed in CODES"
                        );
                    }
                }
            }
        }
        assert!(
            defined >= registered.len(),
            "scanner found {defined} definitions"
        );
    }

    #[test]
    fn lookup_is_case_insensitive() {
        let first = all().next().expect("at least one code");
        assert_eq!(lookup(&first.code.to_uppercase()), Some(first));
        assert_eq!(lookup("no-such-code"), None);
    }
}
