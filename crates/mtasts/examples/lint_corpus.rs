//! Lint throughput over the policy corpus (`tests/fixtures/policy-corpus.json`, 215 policies)
//! in one process, with full findings and spans: prints policies per second. Run by
//! `scripts/bench-lint.sh` beside checkdmarc's parser over the same corpus.

use std::time::{Duration, Instant};

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/policy-corpus.json"
    );
    let corpus: Vec<String> =
        serde_json::from_str(&std::fs::read_to_string(path).expect("corpus")).expect("json");
    let mut findings = 0usize;
    for p in &corpus {
        findings += mtasts::lint_policy(p.as_bytes()).findings.len();
    }
    let start = Instant::now();
    let mut n = 0usize;
    while start.elapsed() < Duration::from_secs(3) {
        for p in &corpus {
            std::hint::black_box(mtasts::lint_policy(std::hint::black_box(p.as_bytes())));
        }
        n += corpus.len();
    }
    #[allow(clippy::cast_precision_loss)]
    let rate = n as f64 / start.elapsed().as_secs_f64();
    println!(
        "mtasts lint_policy: {rate:.0} policies/s over {} policies ({findings} findings with spans)",
        corpus.len()
    );
}
