//! `mtasts generate`: a policy file, its `_mta-sts` TXT record and a TLS-RPT record.

use mtasts::{GenerateInput, Mode};

use crate::commands::Out;
use crate::output::{print_json, Fatal, Status};

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
        println!(
            "# https://mta-sts.{}/.well-known/mta-sts.txt (serve as text/plain)",
            g.domain
        );
        print!("{}", g.policy.replace("\r\n", "\n"));
        println!("\n# DNS records");
        print!("{}", g.zone);
    }
    Ok(Status::Clean)
}
