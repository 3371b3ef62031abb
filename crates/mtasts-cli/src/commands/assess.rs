//! `mtasts assess EVIDENCE`: the report for saved Evidence (as `/api/evidence` returns it).

use mtasts::{Evidence, Verdict};

use crate::commands::Out;
use crate::output::{print_json, read_input, Fatal, Status};
use crate::render::safe;

pub(crate) fn run(out: &Out, path: &str) -> Result<Status, Fatal> {
    let bytes = read_input(path)?;
    let ev: Evidence = serde_json::from_slice(&bytes)
        .map_err(|e| Fatal(format!("{} is not Evidence JSON: {e}", safe(path))))?;
    let report = mtasts::assess(&ev);
    if out.json {
        print_json(&report)?;
    } else {
        print!("{}", out.text.report(&report, &ev));
    }
    Ok(Status::of(report.verdict != Verdict::Fail))
}
