//! `mtasts check DOMAIN...`: DNS over HTTPS and the HTTPS policy fetch, then the same assessment
//! as the web page, for one domain or many at once.

use mtasts::api::Checked;
use mtasts::{InputError, InputRules, Verdict};

use crate::commands::Out;
use crate::net;
use crate::output::{print_json, Fatal, Status};
use crate::render::safe;

/// The network options of `check`.
pub(crate) struct Options {
    pub(crate) doh: String,
    pub(crate) resolve: Vec<String>,
    pub(crate) ca_file: Option<String>,
    pub(crate) timeout: u64,
    pub(crate) concurrency: usize,
    pub(crate) allow_test_domains: bool,
}

pub(crate) fn run(out: &Out, domains: &[String], o: &Options) -> Result<Status, Fatal> {
    let resolve = o
        .resolve
        .iter()
        .map(|r| net::parse_resolve(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(Fatal)?;
    let transport = net::Native::new(
        &o.doh,
        resolve,
        o.ca_file.as_deref(),
        std::time::Duration::from_secs(o.timeout.max(1)),
    )
    .map_err(Fatal)?;
    let rules = InputRules {
        allow_test: o.allow_test_domains,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Fatal(format!("cannot start: {e}")))?;
    let results = rt.block_on(check_all(&transport, domains, rules, o.concurrency.max(1)));
    let mut all_ok = true;
    let mut bad_input = false;
    let mut json_out = Vec::new();
    for (input, res) in domains.iter().zip(results) {
        match res {
            Ok(checked) => {
                all_ok &= checked.report.verdict != Verdict::Fail;
                if out.json {
                    json_out
                        .push(serde_json::to_value(&checked).map_err(|e| Fatal(e.to_string()))?);
                } else {
                    println!("{}", out.text.report(&checked.report, &checked.evidence));
                }
            }
            Err(e) => {
                bad_input = true;
                if out.json {
                    json_out.push(serde_json::json!({"input": input, "error": {"code": "bad-input", "message": e.to_string()}}));
                } else {
                    eprintln!("mtasts: {}: {e}", safe(input));
                }
            }
        }
    }
    if out.json {
        if json_out.len() == 1 {
            print_json(&json_out[0])?;
        } else {
            print_json(&json_out)?;
        }
    }
    if bad_input {
        return Err(Fatal(
            "some inputs are not domains that can be checked".into(),
        ));
    }
    Ok(Status::of(all_ok))
}

/// Checks every domain, at most `concurrency` at once, in input order.
async fn check_all(
    t: &net::Native,
    domains: &[String],
    rules: InputRules,
    concurrency: usize,
) -> Vec<Result<Checked, InputError>> {
    use futures::StreamExt as _;
    futures::stream::iter(domains.iter().map(|d| async move {
        let domain = mtasts::normalize_domain(d, rules)?;
        Ok(Checked::assess(mtasts::gather(t, &domain).await))
    }))
    .buffered(concurrency)
    .collect()
    .await
}
