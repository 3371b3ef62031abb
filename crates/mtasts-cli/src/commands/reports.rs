//! `mtasts reports FILE|DIR...`: TLS-RPT aggregate reports read, counted and explained.
//!
//! Exit status: 0 when every file was read, 1 when some file, message or part held no readable
//! report (the rest is still printed), 2 when a path cannot be opened.

use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;

use mtasts::reports::{
    self, Advice, Collection, Day, Document, DomainSummary, Duplicate, Reporter, TlsReport, Unread,
    MAX_FILE_BYTES, MAX_JSON_BYTES,
};

use crate::commands::Out;
use crate::output::{print_json, Fatal, Status};
use crate::render::safe;

/// Directories are read at most this deep (a guard against loops through bind mounts).
const MAX_DEPTH: usize = 32;

pub(crate) fn run(out: &Out, csv: bool, paths: &[String]) -> Result<Status, Fatal> {
    let mut files = vec![];
    for p in paths {
        if p == "-" {
            files.push(p.clone());
            continue;
        }
        let meta =
            std::fs::metadata(p).map_err(|e| Fatal(format!("cannot open {}: {e}", safe(p))))?;
        if meta.is_dir() {
            walk(Path::new(p), 0, &mut files)
                .map_err(|e| Fatal(format!("cannot read {}: {e}", safe(p))))?;
        } else {
            files.push(p.clone());
        }
    }
    let mut all = Collection::new();
    let people = !csv && !out.json;
    let mut progress = crate::progress::Progress::new(files.len(), "files", people);
    for file in &files {
        let (found, unread) = read(file);
        progress.step(!unread.is_empty());
        found.into_iter().for_each(|r| all.add(r));
        unread.into_iter().for_each(|u| all.add_unread(u));
    }
    drop(progress);
    let doc = all.document();
    if csv {
        print!("{}", reports::csv(doc.reports));
    } else if out.json {
        print_json(&doc)?;
    } else {
        print!("{}", text(&doc, files.len()));
    }
    Ok(Status::of(doc.unread.is_empty()))
}

/// Files under `dir`, sorted, recursively (symbolic links to directories are not followed).
fn walk(dir: &Path, depth: usize, files: &mut Vec<String>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for e in entries {
        let kind = e.file_type()?;
        if kind.is_dir() {
            if depth < MAX_DEPTH {
                walk(&e.path(), depth + 1, files)?;
            }
        } else if kind.is_file() || kind.is_symlink() && e.path().is_file() {
            files.push(e.path().to_string_lossy().into_owned());
        }
    }
    Ok(())
}

/// One file's reports, and what could not be read.
fn read(file: &str) -> (Vec<reports::TlsReport>, Vec<Unread>) {
    let unread = |message: String| {
        (
            vec![],
            vec![Unread {
                origin: file.to_owned(),
                message,
            }],
        )
    };
    let mut bytes = vec![];
    let limit = MAX_FILE_BYTES as u64 + 1;
    let res = if file == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(file).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    if let Err(e) = res {
        return unread(format!("cannot be read: {e}"));
    }
    reports::read_file(file, &bytes, |gz| inflate(file, gz))
}

/// Gzip, stopped at [`MAX_JSON_BYTES`].
fn inflate(file: &str, gz: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = vec![];
    flate2::read::MultiGzDecoder::new(gz)
        .take(MAX_JSON_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("the gzip cannot be decompressed ({e})"))?;
    if out.len() > MAX_JSON_BYTES {
        return Err(reports::too_large(file).message);
    }
    Ok(out)
}

/// One breakdown of failures (by MX, by sender): who, failed sessions, result types.
fn breakdown<'a>(
    o: &mut String,
    heading: &str,
    rows: impl Iterator<Item = (String, u64, &'a std::collections::BTreeMap<String, u64>)>,
) {
    let mut rows = rows.peekable();
    if rows.peek().is_none() {
        return;
    }
    let _ = writeln!(o, "  {heading}:");
    for (who, failed, types) in rows {
        let types: Vec<&str> = types.keys().map(String::as_str).collect();
        let _ = writeln!(
            o,
            "    {:<40} {failed:>8}  {}",
            safe(&who),
            safe(&types.join(", "))
        );
    }
}

/// `n` and the noun for that many.
fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary for people: the headline, each domain, then the advice, the days, the senders,
/// and how the files were read.
fn text(doc: &Document<'_>, files: usize) -> String {
    let s = &doc.summary;
    let mut o = String::new();
    let span = s
        .span()
        .map(|(a, b)| format!(", {a} to {b}"))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "TLS reports: {} from {}{span} ({} read)",
        plural(s.reports as u64, "report", "reports"),
        plural(s.reporters.len() as u64, "sender", "senders"),
        plural(files as u64, "file", "files"),
    );
    let _ = writeln!(o, "\n{}\n", safe(&s.headline));
    for d in &s.domains {
        domain(&mut o, d);
    }
    advice(&mut o, &s.advice);
    daily(&mut o, &s.daily);
    senders(&mut o, &s.reporters);
    notes(&mut o, doc.reports);
    duplicates(&mut o, doc.duplicates);
    unread(&mut o, doc.unread);
    o
}

/// One policy domain and type: its sessions, failures by result type, by MX and by sender.
fn domain(o: &mut String, d: &DomainSummary) {
    let all = d.totals.successful.saturating_add(d.totals.failed);
    let _ = writeln!(
        o,
        "{} ({}{}): {}, {} successful, {} failed",
        safe(d.policy_domain.as_deref().unwrap_or("(domain not given)")),
        safe(&d.policy_type),
        d.mode
            .as_deref()
            .map(|m| format!(", mode {}", safe(m)))
            .unwrap_or_default(),
        plural(all, "session", "sessions"),
        reports::percent(d.totals.successful, all)
            .map_or_else(|| "-".to_owned(), |r| format!("{r}%")),
        d.totals.failed,
    );
    if d.totals.unreadable > 0 {
        let _ = writeln!(
            o,
            "  {} could not be read (not counted)",
            plural(d.totals.unreadable, "count", "counts")
        );
    }
    if !d.totals.failures.is_empty() {
        let _ = writeln!(o, "  failures by result type:");
        for (rt, n) in &d.totals.failures {
            let title = reports::result_type(rt).map_or("not defined by RFC 8460", |r| r.title);
            let _ = writeln!(o, "    {:<28} {n:>8}  {title}", safe(rt));
        }
    }
    breakdown(
        o,
        "by receiving MX",
        d.by_mx.iter().map(|r| {
            let who = format!(
                "{} {}",
                r.host.as_deref().unwrap_or("(not given)"),
                r.ip.as_deref().unwrap_or("")
            );
            (who, r.failed, &r.result_types)
        }),
    );
    breakdown(
        o,
        "by sender",
        d.by_sender.iter().map(|r| {
            let who = format!(
                "{} {}",
                r.organization.as_deref().unwrap_or("(not given)"),
                r.mta_ip.as_deref().unwrap_or("(no IP)")
            );
            (who, r.failed, &r.result_types)
        }),
    );
}

/// What to do, most urgent first.
fn advice(o: &mut String, advice: &[Advice]) {
    if advice.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nWhat to do:");
    for a in advice {
        let _ = writeln!(o, "  [{}] {}", a.priority.as_str(), safe(&a.text));
    }
}

/// Sessions by day.
fn daily(o: &mut String, days: &[Day]) {
    if days.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nBy day (UTC, the day each report starts):");
    for d in days {
        let _ = writeln!(
            o,
            "  {}  {:>10} successful  {:>8} failed",
            d.date, d.successful, d.failed
        );
    }
}

/// Who sent reports.
fn senders(o: &mut String, reporters: &[Reporter]) {
    if reporters.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nSenders:");
    for r in reporters {
        let _ = writeln!(
            o,
            "  {:<40} {:>5}  {:>10} successful  {:>8} failed",
            safe(r.organization.as_deref().unwrap_or("(not given)")),
            plural(r.reports as u64, "report", "reports"),
            r.successful,
            r.failed
        );
    }
}

/// How each report deviates from RFC 8460, and how it was read.
fn notes(o: &mut String, reports: &[TlsReport]) {
    let noted: Vec<_> = reports.iter().filter(|r| !r.notes.is_empty()).collect();
    if noted.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\nNotes (how reports deviate from RFC 8460, and how they were read):"
    );
    for r in noted {
        let _ = writeln!(o, "  {}:", safe(&r.file));
        for n in &r.notes {
            let _ = writeln!(o, "    - {}", safe(n));
        }
    }
}

/// Reports received again (counted once).
fn duplicates(o: &mut String, duplicates: &[Duplicate]) {
    if duplicates.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nReceived twice (counted once):");
    for d in duplicates {
        let _ = writeln!(
            o,
            "  {}: the same report as {}",
            safe(&d.file),
            safe(&d.same_as)
        );
    }
}

/// Files, messages and parts that held no readable report.
fn unread(o: &mut String, unread: &[Unread]) {
    if unread.is_empty() {
        return;
    }
    let _ = writeln!(o, "\nCould not read:");
    for u in unread {
        let _ = writeln!(o, "  {}: {}", safe(&u.origin), safe(&u.message));
    }
}
