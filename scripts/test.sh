#!/usr/bin/env bash
# The README's second command: every check and every test. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

step() { printf '\n== %s\n' "$*"; }

step "format"
cargo fmt --all -- --check
step "clippy (native, all targets)"
cargo clippy --workspace --exclude mtasts-worker --all-targets -- -D warnings
step "clippy (wasm32: validation crate and Worker)"
cargo clippy -p mtasts -p mtasts-worker --target wasm32-unknown-unknown -- -D warnings
step "docs"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --exclude mtasts-worker --no-deps -q
step "wasm32 build of the validation crate"
cargo build -p mtasts --target wasm32-unknown-unknown --release -q
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
step "tests (Rust)"
cargo test --workspace --exclude mtasts-worker
step "tests (Worker under wrangler dev, against the fixture internet)"
bash scripts/fixture-stack.sh -- node --test tests/worker/
