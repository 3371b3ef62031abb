//! `mtasts senders list|adapter`: the sender models, and the conformance adapter protocol.

use std::io::{BufRead, Write};

use mtasts::senders::{answer, by_id, SENDERS};

use crate::commands::Out;
use crate::output::{print_json, Fatal, Status};

/// `senders list`.
pub(crate) fn list(out: &Out) -> Result<Status, Fatal> {
    if out.json {
        let all: Vec<_> = SENDERS
            .iter()
            .map(|m| {
                serde_json::json!({
                    "sender": m.id, "name": m.name, "version": m.version,
                    "basis": m.basis, "sources": m.sources, "notes": m.notes,
                })
            })
            .collect();
        print_json(&all)?;
    } else {
        for m in SENDERS {
            println!("{:<26} {} {}", m.id, m.name, m.version);
            for s in m.sources {
                println!("    {s}");
            }
        }
    }
    Ok(Status::Clean)
}

/// `senders adapter ID`: one JSON request a line on stdin, one answer a line on stdout.
pub(crate) fn adapter(sender: &str) -> Result<Status, Fatal> {
    let model = by_id(sender).ok_or_else(|| {
        let ids: Vec<&str> = SENDERS.iter().map(|m| m.id).collect();
        Fatal(format!(
            "unknown sender `{sender}`; known: rfc, {}",
            ids.join(", ")
        ))
    })?;
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| Fatal(format!("cannot read stdin: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let answer = match serde_json::from_str::<serde_json::Value>(&line) {
            Ok(req) => answer::adapter(model, &req),
            Err(e) => serde_json::json!({ "error": format!("not JSON: {e}") }),
        };
        writeln!(w, "{answer}")
            .and_then(|()| w.flush())
            .map_err(|e| Fatal(format!("cannot write stdout: {e}")))?;
    }
    Ok(Status::Clean)
}
