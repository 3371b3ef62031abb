//! `mtasts match PATTERN HOST`: does a policy `mx` pattern match an MX host (RFC 8461 §4.1)?

use crate::commands::Out;
use crate::output::{print_json, Fatal, Status};
use crate::render::safe;

pub(crate) fn run(out: &Out, pattern: &str, host: &str, senders: bool) -> Result<Status, Fatal> {
    let matches = mtasts::mx_matches(pattern, host);
    let pattern_error = mtasts::check_pattern(pattern).err().map(|e| e.to_string());
    let each = senders.then(|| mtasts::senders::answer::match_all(pattern, host));
    if out.json {
        let mut v = serde_json::json!({
            "matches": matches,
            "pattern": pattern,
            "host": host,
            "pattern_error": pattern_error,
        });
        if let Some(each) = &each {
            v["senders"] = serde_json::to_value(each).map_err(|e| Fatal(e.to_string()))?;
        }
        print_json(&v)?;
    } else {
        let verb = if matches { "matches" } else { "does not match" };
        let (pattern, host) = (safe(pattern), safe(host));
        println!("`{pattern}` {verb} `{host}`");
        if let Some(e) = pattern_error {
            println!(
                "note: `{pattern}` is not a valid policy pattern: {}",
                safe(&e.to_string())
            );
        }
        for a in each.iter().flatten() {
            let verb = if a.matches {
                "matches"
            } else {
                "does not match"
            };
            println!("  {:<26} {verb}", a.sender);
        }
    }
    Ok(Status::of(matches))
}
