#!/usr/bin/env bash
# Builds the web app (web/) into dist/ with Trunk, offline: the wasm-bindgen on PATH (its version
# equals Cargo.lock's) and npm's wasm-opt (binaryen 132), put first on PATH — never Debian's,
# which silently breaks the page (TOOLCHAIN.md). Prints the payload figures.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Size, not speed, for the wasm (Cargo.toml's release profile is tuned for the native CLI).
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
trunk build --release "$@"
# dist/_headers: the CSP with the hash of Trunk's (minified) inline loader, and the framing rules.
node scripts/web-headers.mjs
node scripts/payload.mjs
