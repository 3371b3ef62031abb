//! `mtasts assess EVIDENCE`: the report for saved Evidence (as `/api/evidence` returns it).

use crate::commands::Out;
use crate::output::{print_json, read_evidence, Fatal, Status};

pub(crate) fn run(out: &Out, path: &str) -> Result<Status, Fatal> {
    let ev = read_evidence(path)?;
    let report = mtasts::assess(&ev);
    if out.pipeline() {
        let status = out.verdict_status(report.verdict);
        out.print_pipeline("check", &[super::check::target(&ev, report)])?;
        return Ok(status);
    }
    if out.json {
        print_json(&report)?;
    } else {
        print!("{}", out.text.report(&report, &ev));
    }
    Ok(out.verdict_status(report.verdict))
}
