//! `mtasts match PATTERN HOST`: does a policy `mx` pattern match an MX host (RFC 8461 §4.1)?

use crate::commands::Out;
use crate::output::{print_json, Fatal, Status};
use crate::render::safe;

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
        let (pattern, host) = (safe(pattern), safe(host));
        println!("`{pattern}` {verb} `{host}`");
        if let Some(e) = pattern_error {
            println!(
                "note: `{pattern}` is not a valid policy pattern: {}",
                safe(&e.to_string())
            );
        }
    }
    Ok(Status::of(matches))
}
