//! `mtasts generate`: a policy file, its `_mta-sts` TXT record and a TLS-RPT record.

use mtasts::{GenerateInput, Mode};

use crate::commands::Out;
use crate::output::{print_json, Fatal, Status};
use crate::render::{safe, safe_lines};

pub(crate) fn run(
    out: &Out,
    mx: Vec<String>,
    mode: Mode,
    max_age: u64,
    domain: String,
    rua: String,
) -> Result<Status, Fatal> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let g = mtasts::generate(&GenerateInput {
        mx,
        mode,
        max_age,
        now,
        domain,
        rua,
    })
    .map_err(|e| Fatal(e.to_string()))?;
    if out.json {
        print_json(&g)?;
    } else {
        // The generator only emits names it validated; escaped all the same, line by line.
        println!(
            "# https://mta-sts.{}/.well-known/mta-sts.txt (serve as text/plain)",
            safe(&g.domain)
        );
        print!("{}", safe_lines(&g.policy.replace("\r\n", "\n")));
        println!("\n# DNS records");
        print!("{}", safe_lines(&g.zone));
    }
    Ok(Status::Clean)
}
