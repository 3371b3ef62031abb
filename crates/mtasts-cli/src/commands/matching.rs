//! `mtasts match PATTERN HOST`: does a policy `mx` pattern match an MX host (RFC 8461 §4.1)?

use crate::commands::Out;
use crate::output::{print_json, Fatal, Status};

pub(crate) fn run(out: &Out, pattern: &str, host: &str) -> Result<Status, Fatal> {
    let matches = mtasts::mx_matches(pattern, host);
    let pattern_error = mtasts::check_pattern(pattern).err().map(|e| e.to_string());
    if out.json {
        print_json(&serde_json::json!({
            "matches": matches,
            "pattern": pattern,
            "host": host,
            "pattern_error": pattern_error,
        }))?;
    } else {
        let verb = if matches { "matches" } else { "does not match" };
        println!("`{pattern}` {verb} `{host}`");
        if let Some(e) = pattern_error {
            println!("note: `{pattern}` is not a valid policy pattern: {e}");
        }
    }
    Ok(Status::of(matches))
}
