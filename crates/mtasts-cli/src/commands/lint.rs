//! `mtasts lint policy|sts-txt|tlsrpt`: the offline linter, for drafts and CI pipelines.

use mtasts::senders::{answer, view, Response};

use crate::commands::Out;
use crate::output::{print_json, read_input, Fatal, Status};
use crate::render::{safe, source_lines};

/// `lint policy FILE [--senders --status N --content-type T]`.
pub(crate) fn policy(out: &Out, file: &str, served: Option<(u16, &str)>) -> Result<Status, Fatal> {
    let bytes = read_input(file)?;
    let res = mtasts::lint_policy(&bytes);
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
    Ok(Status::of(res.valid))
}

/// `lint sts-txt RECORD... [--senders]`.
pub(crate) fn sts_txt(out: &Out, records: &[String], senders: bool) -> Result<Status, Fatal> {
    let res = mtasts::lint_sts_txt(records);
    let set: Vec<&str> = records.iter().map(String::as_str).collect();
    if out.json && senders {
        let mut v = to_value(&res)?;
        v["senders"] = to_value(&answer::txt_all(&set))?;
        print_json(&v)?;
        return Ok(Status::of(res.valid));
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
    Ok(Status::of(res.valid))
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
    let parsed = res
        .parsed
        .iter()
        .flat_map(|p| p.rua.iter().map(|u| format!("rua: {u}")))
        .collect();
    print_record_lint(out, "_smtp._tls TXT", records, &res, parsed)?;
    Ok(Status::of(res.valid))
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
