//! `--format junit`: JUnit XML as GitLab (`artifacts:reports:junit`) and Jenkins (`junit`) read
//! it. One test suite a file or domain, one test case per check in it: a policy file has one
//! (`policy`), a record set one, and a domain one per thing checked (`sts-txt`, `policy`,
//! `fetch`, `mx`, `tlsrpt`, `dane`, `domain`). A test case fails when one of its findings fails
//! the run (`--fail-on`); every finding is listed in its `system-out`.
//!
//! Text is hostile: made inert ([`crate::render::safe`]), then XML-escaped; XML 1.0 cannot hold
//! most control characters even as references, and the inert form has none left.

use std::fmt::Write as _;

use mtasts::{Finding, Subject};

use super::{fails, subject_name, Run, Source, Target};
use crate::render::safe;

/// The checks of a domain, in the order they are made.
const DOMAIN_CHECKS: [Subject; 7] = [
    Subject::StsTxt,
    Subject::Policy,
    Subject::Fetch,
    Subject::Mx,
    Subject::Tlsrpt,
    Subject::Dane,
    Subject::Domain,
];

/// The JUnit document of `targets`.
pub(crate) fn xml(run: &Run<'_>, targets: &[Target]) -> String {
    let mut suites = String::new();
    let (mut tests, mut failures) = (0, 0);
    for t in targets {
        let cases = cases(t);
        let failed = cases
            .iter()
            .filter(|(_, fs)| fs.iter().any(|f| fails(run.fail_on, f.severity)))
            .count();
        tests += cases.len();
        failures += failed;
        let _ = writeln!(
            suites,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\">",
            esc(&t.name),
            cases.len()
        );
        for (check, findings) in &cases {
            suites.push_str(&case(run, t, check, findings));
        }
        suites.push_str("  </testsuite>\n");
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"mtasts {}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n{suites}</testsuites>\n",
        esc(run.command)
    )
}

/// The test cases of a target: a check's name and its findings.
fn cases(t: &Target) -> Vec<(String, Vec<&Finding>)> {
    match &t.source {
        Source::Domain { .. } => DOMAIN_CHECKS
            .iter()
            .map(|&s| {
                let fs = t.findings.iter().filter(|f| f.subject == s).collect();
                (subject_name(s), fs)
            })
            .collect(),
        _ => {
            let mut check = match t.findings.first().map(|f| f.subject) {
                Some(s) => subject_name(s),
                None if matches!(t.source, Source::File(_)) => "policy".to_owned(),
                None => "records".to_owned(),
            };
            if let Source::Zone { owner, .. } = &t.source {
                check = format!("{owner} TXT");
            }
            vec![(check, t.findings.iter().collect())]
        }
    }
}

/// One `<testcase>`.
fn case(run: &Run<'_>, t: &Target, check: &str, findings: &[&Finding]) -> String {
    let mut s = format!(
        "    <testcase classname=\"{}\" name=\"{}\"",
        esc(&t.name),
        esc(check)
    );
    if matches!(t.source, Source::File(_) | Source::Zone { .. }) {
        let _ = write!(s, " file=\"{}\"", esc(&t.name));
    }
    s.push_str(">\n");
    let failing: Vec<&&Finding> = findings
        .iter()
        .filter(|f| fails(run.fail_on, f.severity))
        .collect();
    if let Some(first) = failing.first() {
        let _ = writeln!(
            s,
            "      <failure type=\"{}\" message=\"{}\">{}</failure>",
            first.code,
            esc(&format!(
                "{} finding(s) fail the check; first: {}",
                failing.len(),
                first.message
            )),
            esc(&listing(
                t,
                &failing.iter().map(|f| **f).collect::<Vec<_>>()
            ))
        );
    }
    if !findings.is_empty() {
        let _ = writeln!(
            s,
            "      <system-out>{}</system-out>",
            esc(&listing(t, findings))
        );
    }
    s.push_str("    </testcase>\n");
    s
}

/// Findings as compiler-style lines: `NAME:LINE:COL: severity[code]: message (fix: …)`.
fn listing(t: &Target, findings: &[&Finding]) -> String {
    let mut out = String::new();
    for f in findings {
        let at = match (f.line, f.column, &t.source) {
            (_, _, Source::Zone { .. }) => match t.zone_record(f) {
                Some((Some(line), name)) => format!("{}:{line}: {name}", t.name),
                Some((None, name)) => format!("{}: {name}", t.name),
                None => t.name.clone(),
            },
            (Some(l), Some(c), Source::Records(_)) => format!("{} record {l}:{c}", t.name),
            (Some(l), Some(c), _) => format!("{}:{l}:{c}", t.name),
            _ => t.name.clone(),
        };
        let fix = f
            .fix
            .as_deref()
            .map_or(String::new(), |x| format!(" (fix: {x})"));
        let _ = writeln!(
            out,
            "{}: {}[{}]: {}{}",
            safe(&at),
            f.severity.as_str(),
            f.code,
            safe(&f.message),
            safe(&fix)
        );
    }
    out
}

/// `s` inert and escaped for XML text and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            // Not characters XML 1.0 can hold, even as references.
            '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c if mtasts::inert::is_invisible(c) => out.push_str(&safe(&c.to_string())),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn xml_text_is_escaped_and_inert() {
        assert_eq!(esc("<a b=\"c\">&'"), "&lt;a b=&quot;c&quot;&gt;&amp;&apos;");
        let e = esc("x\u{0}\u{1b}\r\u{ffff}");
        assert!(e.chars().all(|c| !c.is_control() && c != '\u{ffff}'), "{e}");
    }
}
