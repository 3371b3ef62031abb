#!/usr/bin/env bash
# The README's second command: every check and every test. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n== %s\n' "$*"; }

step "format"
cargo fmt --all -- --check
step "shape: no function over 120 lines, no import circle through the finding codes"
python3 scripts/fn-lengths.py --top 5 --max 120
python3 scripts/module-cycles.py
step "clippy (native, all targets)"
cargo clippy --workspace --exclude mtasts-worker --exclude mtasts-web --all-targets -- -D warnings
# The crate as the web app builds it: no `idna`/`url` (IDNs through a registered converter), no
# `docs` (the codes' documentation and examples).
cargo clippy -p mtasts --no-default-features --all-targets -- -D warnings
# The Worker's unit tests (configuration, error classification, cache rule) run natively.
cargo clippy -p mtasts-worker --all-targets -- -D warnings
# The web app's pure helpers (text/) are unit-tested natively too.
cargo clippy -p mtasts-web --lib --tests -- -D warnings
step "clippy (wasm32: validation crate, web app and Worker)"
cargo clippy -p mtasts -p mtasts-worker --target wasm32-unknown-unknown -- -D warnings
# With the web app's component tests (its only dev-dependency, wasm-bindgen-test, is wasm-ready).
cargo clippy -p mtasts-web --target wasm32-unknown-unknown --all-targets -- -D warnings
step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --exclude mtasts-worker --exclude mtasts-web --no-deps -q
step "wasm32 build of the validation crate"
CARGO_PROFILE_RELEASE_OPT_LEVEL=z cargo build -p mtasts --target wasm32-unknown-unknown --release -q
step "benchmarks compile"
cargo bench -p mtasts --no-run -q
step "fuzz targets build"
if rustup run nightly rustc --version >/dev/null 2>&1; then
  (cd fuzz && cargo +nightly build -q)
  echo "fuzz targets built with $(rustup run nightly rustc --version)"
else
  echo "no nightly toolchain on this machine: fuzz build skipped"
fi
step "Worker build (worker-build, local tools)"
bash scripts/worker-build.sh
f=worker/build/index_bg.wasm
echo "worker wasm: $(stat -c %s "$f") bytes raw, $(gzip -9c "$f" | wc -c) bytes gzip"
step "web app build (Trunk, npm wasm-opt) and payload budget"
bash scripts/web-build.sh
step "tests (Rust)"
cargo test --workspace --exclude mtasts-worker --exclude mtasts-web
cargo test -p mtasts --no-default-features --lib
cargo test -p mtasts-worker --lib
cargo test -p mtasts-web --lib
step "conformance: each real sender that installs here against its model, every model against RFC 8461"
# PyPI postfix-mta-sts-resolver, npm mailauth 5 and 7, crates.io mail-auth, Debian chasquid; any
# disagreement prints the input and fails. Also checks vectors.jsonl and docs/senders.md are current.
bash tests/conformance/run-all.sh --check
step "pipelines: SARIF (Microsoft's SARIF Multitool), GitHub commands, JUnit, pre-commit, the Action"
bash scripts/pipelines-test.sh
step "tests (web components, wasm-bindgen-test in headless Chromium)"
CHROMEDRIVER="$(command -v chromedriver)" cargo test -p mtasts-web --target wasm32-unknown-unknown
step "tests (Worker, then the web app end to end, under wrangler dev against the fixture internet)"
bash scripts/fixture-stack.sh -- bash -c 'node --test tests/worker/ && node_modules/.bin/playwright test'
echo "screenshots of every page: target/e2e/screenshots/"
step "monitoring at scale, smoke run: 200 subscribed fixture domains through one cron run (the 10,000 of the README: MON_DOMAINS=10000, outside CI)"
MON_DOMAINS=200 bash scripts/fixture-stack.sh -- node scripts/bench-monitor.mjs
