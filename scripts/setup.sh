#!/usr/bin/env bash
# Installs what a fresh machine lacks for building and testing mtasts, the slow parts at once.
# Idempotent, and quick when everything is present (version checks only). Versions: ../shared/docs/TOOLCHAIN.md.
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen version in Cargo.lock
WORKER_BUILD_VERSION=0.8.7     # matches the worker crate
TRUNK_VERSION=0.21.14          # 0.22 needs a newer rustc

have() { command -v "$1" >/dev/null 2>&1; }
say() { echo "setup: $*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! have cargo; then
  echo "setup: cargo not found; install Rust with rustup first" >&2
  exit 2
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for c in rustfmt clippy rust-src; do
  if ! rustup component list --installed 2>/dev/null | grep -q "^$c"; then
    say "adding $c"
    rustup component add "$c"
  fi
done
# The three Rust tools compile from source, and Chromium and the npm packages download: all of it
# runs at once (one job each, waited for below), not one after another. Each `cargo install`
# builds in its own temporary directory, so they do not contend for a target directory.
jobs=()
names=()
logs="$(mktemp -d)"
# The three tools are built to compile fast, not to run fast (`fast` below, for their installs
# only): they orchestrate builds and spend well under a second of their own per build
# (wasm-bindgen on the app: 0.13 s, 0.11 s fully optimised), while trunk's own profile (fat LTO,
# one codegen unit) made it the longest job. `scripts/bench-setup.sh` prints the figures.
fast=(env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1)
start() { # name, command...
  local name="$1"; shift
  ( "$@" ) >"$logs/$name.log" 2>&1 &
  jobs+=("$!")
  names+=("$name")
}
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (in the background)"
  # Not --locked: a dependency locked by that release is missing from the registry.
  start wasm-bindgen "${fast[@]}" cargo install -q wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if [ "$(worker-build --version 2>/dev/null | awk '{print $NF}')" != "$WORKER_BUILD_VERSION" ]; then
  say "installing worker-build $WORKER_BUILD_VERSION (in the background)"
  start worker-build "${fast[@]}" cargo install -q --locked worker-build --version "$WORKER_BUILD_VERSION" --force
fi
if [ "$(trunk --version 2>/dev/null | awk '{print $NF}')" != "$TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (in the background)"
  start trunk "${fast[@]}" cargo install -q --locked trunk --version "$TRUNK_VERSION" --force
fi
if ! have chromium || ! have chromedriver; then
  # Debian's Chromium for the browser tests (Playwright and wasm-bindgen-test); never a download.
  say "installing chromium and chromium-driver from Debian (in the background)"
  start chromium bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null'
fi
if ! have node || ! have npm; then
  echo "setup: node and npm are needed for wrangler (workerd)" >&2
  exit 2
fi
if [ ! -x node_modules/.bin/wrangler ] || [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/playwright ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing wrangler and binaryen from npm (in the background)"
  start npm env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi
failed=0
for i in "${!jobs[@]}"; do
  if wait "${jobs[$i]}"; then
    say "${names[$i]} installed"
  else
    echo "setup: installing ${names[$i]} failed:" >&2
    tail -20 "$logs/${names[$i]}.log" >&2
    failed=1
  fi
done
rm -rf "$logs"
[ "$failed" = 0 ] || exit 2
if ! have curl; then
  say "installing curl"
  apt-get update -qq && apt-get install -y -qq curl >/dev/null
fi
