//! `mtasts lint policy|sts-txt|tlsrpt`: the offline linter, for drafts and CI pipelines.

use crate::commands::Out;
use crate::output::{print_json, read_input, Fatal, Status};
use crate::render::{safe, source_lines};

/// `lint policy FILE`.
pub(crate) fn policy(out: &Out, file: &str) -> Result<Status, Fatal> {
    let bytes = read_input(file)?;
    let res = mtasts::lint_policy(&bytes);
    if out.json {
        print_json(&res)?;
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
    }
    Ok(Status::of(res.valid))
}

/// `lint sts-txt RECORD...`.
pub(crate) fn sts_txt(out: &Out, records: &[String]) -> Result<Status, Fatal> {
    let res = mtasts::lint_sts_txt(records);
    let parsed = res.parsed.iter().map(|p| format!("id: {}", p.id)).collect();
    print_record_lint(out, "_mta-sts TXT", records, &res, parsed)?;
    Ok(Status::of(res.valid))
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
