//! `--format github`: one workflow command a finding (`::error file=…,line=…,col=…,title=CODE::…`),
//! which GitHub Actions shows as an annotation on the run and the pull request.
//!
//! Everything in a command came from a file, a record or DNS, so it is hostile: first made inert
//! for a log viewer ([`crate::render::safe`]: controls, CR and LF, bidi characters as `\u{…}`),
//! then escaped as the Actions toolkit does (`%` `\r` `\n` in the message; `:` and `,` too in a
//! property), so no text can end the command or start another one on a line of its own.

use std::fmt::Write as _;

use mtasts::{Finding, Severity};

use super::{Source, Target};
use crate::render::safe;

/// The workflow commands of every finding of `targets`, one a line.
pub(crate) fn commands(targets: &[Target]) -> String {
    let mut out = String::new();
    for t in targets {
        for f in &t.findings {
            let _ = writeln!(out, "{}", command(t, f));
        }
    }
    out
}

/// One finding's command.
fn command(t: &Target, f: &Finding) -> String {
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut props: Vec<(&str, String)> = vec![];
    let mut text = String::new();
    match &t.source {
        Source::File(_) => {
            // Relative to the workspace, as annotations expect (`./a` is `a`).
            let file = t.name.strip_prefix("./").unwrap_or(&t.name);
            props.push(("file", file.to_owned()));
            if let Some(line) = f.line {
                props.push(("line", line.to_string()));
                if let Some(col) = f.column {
                    props.push(("col", col.to_string()));
                }
            }
        }
        Source::Zone { .. } => {
            let file = t.name.strip_prefix("./").unwrap_or(&t.name);
            props.push(("file", file.to_owned()));
            if let Some((line, name)) = t.zone_record(f) {
                if let Some(line) = line {
                    props.push(("line", line.to_string()));
                }
                let _ = write!(text, "{name}: ");
            }
        }
        Source::Records(_) => {
            let at = f.line.map_or(String::new(), |n| format!(" record {n}"));
            let _ = write!(text, "{}{at}: ", t.name);
        }
        Source::Domain { .. } => {
            let _ = write!(text, "{}: ", t.published_at(f.subject));
        }
    }
    props.push(("title", format!("{} ({})", f.code, f.code.info().title)));
    text.push_str(&f.message);
    if let Some(fix) = &f.fix {
        let _ = write!(text, " — fix: {fix}");
    }
    let _ = write!(text, " ({} · mtasts explain {})", f.rfc, f.code);
    let props = props
        .iter()
        .map(|(k, v)| format!("{k}={}", property(v)))
        .collect::<Vec<_>>()
        .join(",");
    format!("::{level} {props}::{}", data(&text))
}

/// A command's message: inert, then `%`, CR and LF escaped.
pub(crate) fn data(s: &str) -> String {
    safe(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as [`data`], and `:` and `,` escaped.
pub(crate) fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_cannot_start_a_command() {
        let m = data("a\n::error::x %0A\r\u{1b}[31m");
        assert!(!m.contains('\n') && !m.contains('\r') && !m.contains('\u{1b}'));
        assert!(m.contains("%250A"), "{m}");
        assert_eq!(property("a,b:c"), "a%2Cb%3Ac");
    }
}
