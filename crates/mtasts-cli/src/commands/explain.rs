//! `mtasts explain CODE|all`: a finding code's documentation and its two examples.

use mtasts::{CodeInfo, Example};

use crate::commands::Out;
use crate::output::{indent, print_json, Fatal, Status};

pub(crate) fn run(out: &Out, code: &str) -> Result<Status, Fatal> {
    if code == "all" {
        let all: Vec<&CodeInfo> = mtasts::codes::all().map(mtasts::Code::info).collect();
        if out.json {
            print_json(&all.iter().map(|c| code_json(c)).collect::<Vec<_>>())?;
        } else {
            for i in all {
                println!("{:<28} {:<8} {}", i.code, i.severity.as_str(), i.title);
            }
        }
        return Ok(Status::Clean);
    }
    let Some(info) = mtasts::codes::lookup(code) else {
        return Err(Fatal(format!(
            "unknown code `{code}`; `mtasts explain all` lists every code"
        )));
    };
    if out.json {
        print_json(&code_json(info))?;
    } else {
        println!(
            "{} ({}, default {} priority) — {}\n",
            info.code,
            info.severity.as_str(),
            info.priority.as_str(),
            info.title
        );
        println!("{}", info.markdown().trim_end());
        for (label, example) in [("Produces it", &info.bad), ("Does not", &info.good)] {
            let (what, text) = example.describe();
            println!("\n{label} ({what}):\n{}", indent(&text));
        }
    }
    Ok(Status::Clean)
}

fn code_json(c: &CodeInfo) -> serde_json::Value {
    serde_json::json!({
        "code": c.code,
        "title": c.title,
        "severity": c.severity,
        "priority": c.priority,
        "rfc": c.rfc,
        "doc": c.markdown(),
        "what": c.what,
        "why": c.why,
        "example": c.example,
        "fix": c.fix,
        "bad": example_json(&c.bad),
        "good": example_json(&c.good),
    })
}

fn example_json(e: &Example) -> serde_json::Value {
    let (kind, text) = e.describe();
    serde_json::json!({"kind": kind, "text": text})
}
