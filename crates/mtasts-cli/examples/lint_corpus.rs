//! Lint throughput over the policy corpus (`tests/fixtures/policy-corpus.json`, 215 policies)
//! in one process, with full findings and spans, and the allocator the `mtasts` binary uses:
//! prints policies per second, the best of ten rounds of 0.3 s (this machine is a shared VM, and
//! the best round is the one least disturbed by neighbours; the mean is printed beside it). Run
//! by `scripts/bench-lint.sh` beside checkdmarc's parser, measured the same way.

use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    // A fixed number of passes instead of timed rounds, for instruction counts under callgrind
    // (`valgrind --tool=callgrind`), which are stable where the VM's clock is not.
    if let Some(passes) = std::env::var("LINT_PASSES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        for _ in 0..passes {
            for p in &corpus {
                std::hint::black_box(mtasts::lint_policy(std::hint::black_box(p.as_bytes())));
            }
        }
        println!("{} policies linted", passes * corpus.len());
        return;
    }
    // `LINT_ROUNDS=1`: one round, so that `scripts/bench-lint.sh` can interleave rounds with
    // checkdmarc's and compare rounds measured under the same conditions.
    let rounds = std::env::var("LINT_ROUNDS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .unwrap_or(10)
        .max(1);
    let mut rates = Vec::new();
    for _ in 0..rounds {
        let start = Instant::now();
        let mut n = 0usize;
        while start.elapsed() < Duration::from_millis(300) {
            for p in &corpus {
                std::hint::black_box(mtasts::lint_policy(std::hint::black_box(p.as_bytes())));
            }
            n += corpus.len();
        }
        #[allow(clippy::cast_precision_loss)]
        rates.push(n as f64 / start.elapsed().as_secs_f64());
    }
    let best = rates.iter().copied().fold(0.0, f64::max);
    #[allow(clippy::cast_precision_loss)]
    let mean = rates.iter().sum::<f64>() / rates.len() as f64;
    println!(
        "mtasts lint_policy: {best:.0} policies/s (best of {rounds} rounds; mean {mean:.0}) over {} policies ({findings} findings with spans)",
        corpus.len()
    );
}
