//! `mtasts lint PATH...` and `mtasts lint policy|sts-txt|tlsrpt`: the offline linter, for drafts
//! and CI pipelines.

use mtasts::senders::{answer, view, Response};

use crate::commands::Out;
use crate::output::{print_json, read_input, Fatal, Status};
use crate::pipeline::{Source, Target};
use crate::render::{safe, source_lines};

/// At most this many policy files are linted in one run (a directory of a repository, not a disk).
const MAX_FILES: usize = 10_000;

/// `lint PATH...`: every policy file given, and those found under the directories given.
pub(crate) fn paths(out: &Out, paths: &[String]) -> Result<Status, Fatal> {
    let mut files = vec![];
    for p in paths {
        let meta =
            std::fs::metadata(p).map_err(|e| Fatal(format!("cannot read {}: {e}", safe(p))))?;
        if meta.is_dir() {
            let before = files.len();
            find_policies(std::path::Path::new(p), &mut files)?;
            if files.len() == before {
                return Err(Fatal(format!(
                    "no policy or zone file (mta-sts.txt, *.mta-sts.txt, *.zone) under {}",
                    safe(p)
                )));
            }
        } else {
            files.push(p.clone());
        }
    }
    let mut targets = Vec::with_capacity(files.len());
    for file in files {
        let bytes = read_input(&file)?;
        if is_zone(&file) {
            targets.extend(zone_targets(&file, &bytes));
            continue;
        }
        let findings = mtasts::lint_policy(&bytes).findings;
        targets.push(Target {
            name: file,
            source: Source::File(bytes),
            findings,
        });
    }
    let all: Vec<mtasts::Finding> = targets.iter().flat_map(|t| t.findings.clone()).collect();
    if out.pipeline() {
        out.print_pipeline("lint", &targets)?;
    } else if out.json {
        let docs = targets
            .iter()
            .map(|t| {
                let mut v = match &t.source {
                    Source::File(b) => to_value(&mtasts::lint_policy(b))?,
                    Source::Zone { owner, records, .. } => {
                        let mut v = match crate::zone::kind(owner) {
                            Some("tlsrpt") => to_value(&mtasts::lint_tlsrpt(records))?,
                            _ => to_value(&mtasts::lint_sts_txt(records))?,
                        };
                        v["owner"] = serde_json::json!(owner);
                        v
                    }
                    _ => serde_json::Value::Null,
                };
                v["file"] = serde_json::json!(t.name);
                Ok(v)
            })
            .collect::<Result<Vec<_>, Fatal>>()?;
        if out.lines {
            for d in docs {
                println!("{d}");
            }
        } else {
            print_json(
                &serde_json::json!({"valid": !all.iter().any(mtasts::Finding::is_error), "files": docs}),
            )?;
        }
    } else {
        for t in &targets {
            let lines = t.lines();
            let name = match &t.source {
                Source::Zone { owner, .. } => format!("{} {owner} TXT record", t.name),
                _ => t.name.clone(),
            };
            print!(
                "{}",
                out.text.findings(&name, &t.findings, &|n| {
                    lines.get(n.wrapping_sub(1)).map(String::as_str)
                })
            );
            let valid = !t.findings.iter().any(mtasts::Finding::is_error);
            print!("{}", out.text.lint_summary(&name, valid, &t.findings));
        }
    }
    Ok(out.status_of(&all))
}

/// Whether `path` names a zone file (`*.zone`).
fn is_zone(path: &str) -> bool {
    path.ends_with(".zone")
}

/// The `_mta-sts` and `_smtp._tls` TXT record sets of a zone file, each linted.
fn zone_targets(file: &str, bytes: &[u8]) -> Vec<Target> {
    let text = String::from_utf8_lossy(bytes);
    crate::zone::record_sets(&text)
        .into_iter()
        .map(|set| {
            let findings = match crate::zone::kind(&set.owner) {
                Some("tlsrpt") => mtasts::lint_tlsrpt(&set.records).findings,
                _ => mtasts::lint_sts_txt(&set.records).findings,
            };
            Target {
                name: file.to_owned(),
                source: Source::Zone {
                    owner: set.owner,
                    records: set.records,
                    lines: set.lines,
                },
                findings,
            }
        })
        .collect()
}

/// The policy files under `dir` (`mta-sts.txt`, `*.mta-sts.txt`) and zone files (`*.zone`), in name order; hidden
/// directories (`.git`) other than `.well-known` are not searched, nor symbolic links followed.
fn find_policies(dir: &std::path::Path, found: &mut Vec<String>) -> Result<(), Fatal> {
    let what =
        |e: std::io::Error| Fatal(format!("cannot read {}: {e}", safe(&dir.to_string_lossy())));
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(what)?
        .collect::<Result<_, _>>()
        .map_err(what)?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let name = name.to_string_lossy();
        let kind = e.file_type().map_err(what)?;
        let path = e.path();
        if kind.is_dir() {
            if !name.starts_with('.') || name == ".well-known" {
                find_policies(&path, found)?;
            }
        } else if kind.is_file()
            && (name == "mta-sts.txt" || name.ends_with(".mta-sts.txt") || is_zone(&name))
        {
            if found.len() >= MAX_FILES {
                return Err(Fatal(format!("more than {MAX_FILES} policy files")));
            }
            found.push(path.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

/// `lint policy FILE [--senders --status N --content-type T]`.
pub(crate) fn policy(out: &Out, file: &str, served: Option<(u16, &str)>) -> Result<Status, Fatal> {
    let bytes = read_input(file)?;
    let res = mtasts::lint_policy(&bytes);
    if out.pipeline() {
        let status = out.status_of(&res.findings);
        let name = if file == "-" { "<stdin>" } else { file };
        let target = Target {
            name: name.to_owned(),
            source: Source::File(bytes),
            findings: res.findings,
        };
        out.print_pipeline("lint", &[target])?;
        return Ok(status);
    }
    let response = served.map(|(status, content_type)| Response {
        status,
        content_type: Some(content_type),
        body: &bytes,
    });
    if out.json {
        let mut v = to_value(&res)?;
        if let Some(r) = &response {
            v["senders"] = to_value(&answer::policy_all(r))?;
        }
        print_json(&v)?;
    } else {
        let name = if file == "-" { "<stdin>" } else { file };
        let lines = source_lines(&bytes);
        print!(
            "{}",
            out.text.findings(name, &res.findings, &|n| {
                lines.get(n.wrapping_sub(1)).map(String::as_str)
            })
        );
        print!("{}", out.text.lint_summary(name, res.valid, &res.findings));
        if let Some(r) = response {
            let v = view::view(&view::Inputs {
                txt: None,
                response: r,
                mx_hosts: &[],
            });
            print!("{}", senders_table(&v));
        }
    }
    Ok(out.status_of(&res.findings))
}

/// `lint sts-txt RECORD... [--senders]`.
pub(crate) fn sts_txt(out: &Out, records: &[String], senders: bool) -> Result<Status, Fatal> {
    let res = mtasts::lint_sts_txt(records);
    if out.pipeline() {
        return pipeline_records(out, "_mta-sts TXT", records, res.findings);
    }
    let set: Vec<&str> = records.iter().map(String::as_str).collect();
    if out.json && senders {
        let mut v = to_value(&res)?;
        v["senders"] = to_value(&answer::txt_all(&set))?;
        print_json(&v)?;
        return Ok(out.status_of(&res.findings));
    }
    let parsed = res.parsed.iter().map(|p| format!("id: {}", p.id)).collect();
    print_record_lint(out, "_mta-sts TXT", records, &res, parsed)?;
    if senders {
        for a in answer::txt_all(&set) {
            let what = match (&a.id, &a.reason) {
                (Some(id), _) => format!("policy, id {id}"),
                (None, why) => format!("no policy: {}", why.as_deref().unwrap_or("")),
            };
            println!("  {:<26} {}", a.sender, safe(&what));
        }
    }
    Ok(out.status_of(&res.findings))
}

/// "How senders read this" as text: the summary, then a row per sender.
pub(crate) fn senders_table(v: &view::View) -> String {
    use std::fmt::Write as _;
    let mut s = format!("\nHow senders read this: {}\n", safe(&v.summary));
    for r in &v.rows {
        let what = match r.outcome {
            view::Outcome::Applies => "applies as published".to_owned(),
            view::Outcome::None => "no policy".to_owned(),
            view::Outcome::Differs => format!(
                "reads it differently: {}",
                r.reason.as_deref().unwrap_or("")
            ),
            view::Outcome::Ignores => format!("ignores it: {}", r.reason.as_deref().unwrap_or("")),
        };
        let _ = writeln!(s, "  {:<26} {:<22} {}", r.sender, r.version, safe(&what));
    }
    s
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, Fatal> {
    serde_json::to_value(v).map_err(|e| Fatal(format!("cannot write JSON: {e}")))
}

/// `lint tlsrpt RECORD...`.
pub(crate) fn tlsrpt(out: &Out, records: &[String]) -> Result<Status, Fatal> {
    let res = mtasts::lint_tlsrpt(records);
    if out.pipeline() {
        return pipeline_records(out, "_smtp._tls TXT", records, res.findings);
    }
    let parsed = res
        .parsed
        .iter()
        .flat_map(|p| p.rua.iter().map(|u| format!("rua: {u}")))
        .collect();
    print_record_lint(out, "_smtp._tls TXT", records, &res, parsed)?;
    Ok(out.status_of(&res.findings))
}

/// A record set's findings in a pipeline format.
fn pipeline_records(
    out: &Out,
    owner: &str,
    records: &[String],
    findings: Vec<mtasts::Finding>,
) -> Result<Status, Fatal> {
    let status = out.status_of(&findings);
    let target = Target {
        name: owner.to_owned(),
        source: Source::Records(records.to_vec()),
        findings,
    };
    out.print_pipeline("lint", &[target])?;
    Ok(status)
}

/// Prints a record-set lint: JSON, or findings with excerpts, a summary and `parsed` lines.
fn print_record_lint<T: serde::Serialize>(
    out: &Out,
    name: &str,
    records: &[String],
    res: &mtasts::LintResult<T>,
    parsed: Vec<String>,
) -> Result<(), Fatal> {
    if out.json {
        return print_json(res);
    }
    print!(
        "{}",
        out.text.findings("record", &res.findings, &|n| records
            .get(n.wrapping_sub(1))
            .map(String::as_str))
    );
    print!("{}", out.text.lint_summary(name, res.valid, &res.findings));
    for line in parsed {
        println!("{}", safe(&line));
    }
    Ok(())
}
