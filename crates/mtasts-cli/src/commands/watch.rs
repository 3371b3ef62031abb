//! `mtasts diff OLD NEW` and `mtasts watch --state DIR DOMAIN...`: what changed between two
//! observations of a domain (`mtasts::compare`), for cron jobs and CI schedules.
//!
//! `watch` keeps the last Evidence of each domain as `DIR/DOMAIN.json`, written atomically (a
//! temporary file renamed over it). A check that could not be completed (verdict "could not
//! check") never replaces the stored one: the next run compares with the last good observation.
//! Exit status: 0 nothing changed, 1 something changed, 2 a domain could not be checked (or bad
//! input). Text output, or `--format json`: one JSON object a line per domain.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use mtasts::api::Checked;
use mtasts::{Changes, Evidence, Finding, InputError, Verdict};

use crate::commands::check::{self, Options};
use crate::commands::Out;
use crate::output::{print_json, read_evidence, Fatal, Status};
use crate::render::safe;

pub(crate) fn diff(out: &Out, old: &str, new: &str) -> Result<Status, Fatal> {
    let (a, b) = (read_evidence(old)?, read_evidence(new)?);
    if !a.domain.eq_ignore_ascii_case(&b.domain) {
        return Err(Fatal(format!(
            "{} is about {} and {} about {}: compare two observations of one domain",
            safe(old),
            safe(&a.domain),
            safe(new),
            safe(&b.domain)
        )));
    }
    let changes = mtasts::compare(&a, &b);
    if out.json {
        print_json(&changes)?;
    } else {
        print!("{}", text(out, &changes));
    }
    Ok(Status::of(!changes.changed()))
}

/// The changes for people: a headline, then each change as a finding.
fn text(out: &Out, c: &Changes) -> String {
    let n = c
        .findings
        .iter()
        .filter(|f| f.code.as_str() != "change-not-compared")
        .count();
    let verdict = if c.verdict_before == c.verdict_after {
        format!("verdict {}", c.verdict_after.label().to_lowercase())
    } else {
        format!(
            "verdict {} → {}",
            c.verdict_before.label().to_lowercase(),
            c.verdict_after.label().to_lowercase()
        )
    };
    let head = match n {
        0 => format!(
            "{}: no change since {} ({verdict})",
            safe(&c.domain),
            when(c.before)
        ),
        1 => format!(
            "{}: 1 change since {} ({verdict})",
            safe(&c.domain),
            when(c.before)
        ),
        n => format!(
            "{}: {n} changes since {} ({verdict})",
            safe(&c.domain),
            when(c.before)
        ),
    };
    format!(
        "{head}\n{}",
        out.text.findings(&c.domain, &c.findings, &|_| None)
    )
}

fn when(t: u64) -> String {
    let s = mtasts::civil::rfc3339(i64::try_from(t).unwrap_or(0));
    format!("{} {} UTC", &s[..10], &s[11..16])
}

/// One domain's line of `watch --format json`.
fn line(
    domain: &str,
    changes: &[Finding],
    verdict: Option<Verdict>,
    previous: Option<u64>,
    stored: bool,
    error: Option<String>,
) -> serde_json::Value {
    serde_json::json!({
        "domain": domain,
        "changes": changes.iter().map(|f| serde_json::json!({
            "code": f.code.as_str(),
            "severity": f.severity,
            "priority": f.priority,
            "message": f.message,
            "fix": f.fix,
        })).collect::<Vec<_>>(),
        "verdict": verdict.map(Verdict::as_str),
        "previous": previous.map(|t| mtasts::civil::rfc3339(i64::try_from(t).unwrap_or(0))),
        "stored": stored,
        "error": error,
    })
}

/// `DIR/DOMAIN.json` (the domain is in A-labels: letters, digits, `-` and `.` only).
fn state_file(dir: &Path, domain: &str) -> PathBuf {
    dir.join(format!("{domain}.json"))
}

/// Writes `ev` to `path` atomically: a temporary file in the same directory, then a rename.
fn store(path: &Path, ev: &Evidence) -> Result<(), String> {
    let tmp = path.with_extension(format!("json.tmp-{}", std::process::id()));
    let json = serde_json::to_vec_pretty(ev).map_err(|e| e.to_string())?;
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot store {}: {e}", path.display())
    })
}

pub(crate) fn run(out: &Out, state: &str, args: &[String], o: &Options) -> Result<Status, Fatal> {
    let dir = PathBuf::from(state);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Fatal(format!("cannot create {}: {e}", safe(state))))?;
    let list = check::domains(args)?;
    let (mut changed, mut errors) = (false, 0usize);
    let text = out.format == crate::args::Format::Text;
    check::each(&list, o, check::Order::Input, text, |input, res| {
        let turn = watch(out, &dir, input, res);
        changed |= turn.changed;
        errors += usize::from(turn.failed);
        Ok(())
    })?;
    if errors > 0 {
        return Err(Fatal(format!(
            "{errors} domain{} could not be checked or stored; the last stored observation of each was kept",
            if errors == 1 { "" } else { "s" }
        )));
    }
    Ok(Status::of(!changed))
}

/// What one domain's turn of `watch` came to.
struct Turn {
    /// Something changed since the stored observation.
    changed: bool,
    /// The domain could not be checked, or its observation not stored.
    failed: bool,
}

/// One domain's turn: its check compared with the observation stored in `dir`, stored in its
/// place (unless it could not be completed), and printed.
fn watch(out: &Out, dir: &Path, input: &str, res: Result<Checked, InputError>) -> Turn {
    let checked = match res {
        Ok(c) => c,
        Err(e) => {
            report(
                out,
                &line(input, &[], None, None, false, Some(e.to_string())),
                || format!("{}: not checked: {}\n", safe(input), safe(&e.to_string())),
            );
            return Turn {
                changed: false,
                failed: true,
            };
        }
    };
    let domain = checked.evidence.domain.clone();
    let path = state_file(dir, &domain);
    let previous: Option<Evidence> = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    if checked.report.verdict == Verdict::Inconclusive {
        kept(out, &checked, previous.as_ref());
        return Turn {
            changed: false,
            failed: true,
        };
    }
    let error = store(&path, &checked.evidence).err();
    let changed = match previous {
        None => {
            first(out, &checked, error.as_ref());
            false
        }
        Some(prev) => compared(out, &prev, &checked, error.as_ref()),
    };
    Turn {
        changed,
        failed: error.is_some(),
    }
}

/// Prints a check that could not be completed: the stored observation is kept.
fn kept(out: &Out, checked: &Checked, previous: Option<&Evidence>) {
    let domain = &checked.evidence.domain;
    let why = &checked.report.summary;
    report(
        out,
        &line(
            domain,
            &[],
            Some(checked.report.verdict),
            previous.map(|p| p.observed_at),
            false,
            Some(why.clone()),
        ),
        || {
            format!(
                "{}: could not check ({}); the stored observation is kept\n",
                safe(domain),
                safe(why)
            )
        },
    );
}

/// Prints a domain's first check, stored (or the `error` storing it).
fn first(out: &Out, checked: &Checked, error: Option<&String>) {
    let domain = &checked.evidence.domain;
    let verdict = checked.report.verdict;
    report(
        out,
        &line(
            domain,
            &[],
            Some(verdict),
            None,
            error.is_none(),
            error.cloned(),
        ),
        || match error {
            None => format!(
                "{}: first check, stored ({})\n",
                safe(domain),
                verdict.label().to_lowercase()
            ),
            Some(e) => format!("{}: {}\n", safe(domain), safe(e)),
        },
    );
}

/// Prints what changed since `prev` (and the `error` storing the new observation); true when
/// something did.
fn compared(out: &Out, prev: &Evidence, checked: &Checked, error: Option<&String>) -> bool {
    let domain = &checked.evidence.domain;
    let changes = mtasts::compare(prev, &checked.evidence);
    report(
        out,
        &line(
            domain,
            &changes.findings,
            Some(checked.report.verdict),
            Some(prev.observed_at),
            error.is_none(),
            error.cloned(),
        ),
        || {
            let mut t = text(out, &changes);
            if let Some(e) = error {
                t.push_str(&format!("{}: {}\n", safe(domain), safe(e)));
            }
            t
        },
    );
    changes.changed()
}

/// Prints one domain's result: a JSON line, or text.
fn report(out: &Out, json: &serde_json::Value, text: impl FnOnce() -> String) {
    let mut stdout = std::io::stdout().lock();
    if out.json {
        let _ = writeln!(stdout, "{json}");
    } else {
        let _ = write!(stdout, "{}", text());
    }
    let _ = stdout.flush();
}
