//! Lint throughput over the policy corpus (`tests/fixtures/policy-corpus.json`, 215 policies)
//! in one process, with full findings and spans, and the allocator the `mtasts` binary uses:
//! prints policies per second, the best of ten rounds of 0.3 s (this machine is a shared VM, and
//! the best round is the one least disturbed by neighbours; the mean is printed beside it).
//! `scripts/bench-lint.sh` runs it with `LINT_SERVE=1` (a round per line on stdin) to take turns
//! with checkdmarc's parser; `LINT_PASSES=N` runs N passes for instruction counts (callgrind).

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
    let round = || {
        let start = Instant::now();
        let mut n = 0usize;
        while start.elapsed() < Duration::from_millis(300) {
            for p in &corpus {
                std::hint::black_box(mtasts::lint_policy(std::hint::black_box(p.as_bytes())));
            }
            n += corpus.len();
        }
        #[allow(clippy::cast_precision_loss)]
        let rate = n as f64 / start.elapsed().as_secs_f64();
        rate
    };
    // `LINT_SERVE=1`: one round per line read on stdin, its rate printed, so that
    // `scripts/bench-lint.sh` can take turns with checkdmarc's rounds, both processes warm.
    if std::env::var_os("LINT_SERVE").is_some() {
        let mut line = String::new();
        while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
            println!(
                "{:.0} {} policies ({findings} findings with spans)",
                round(),
                corpus.len()
            );
            line.clear();
        }
        return;
    }
    let rates: Vec<f64> = (0..10).map(|_| round()).collect();
    let best = rates.iter().copied().fold(0.0, f64::max);
    #[allow(clippy::cast_precision_loss)]
    let mean = rates.iter().sum::<f64>() / rates.len() as f64;
    println!(
        "mtasts lint_policy: {best:.0} policies/s (best of 10 rounds; mean {mean:.0}) over {} policies ({findings} findings with spans)",
        corpus.len()
    );
}
