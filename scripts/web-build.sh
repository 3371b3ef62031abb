#!/usr/bin/env bash
# Builds the web app (web/) into dist/ with Trunk, offline: the wasm-bindgen on PATH (its version
# equals Cargo.lock's) and npm's wasm-opt (binaryen 132), put first on PATH — never Debian's,
# which silently breaks the page (TOOLCHAIN.md). Prints the payload figures.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Size, not speed, for the wasm (Cargo.toml's release profile is tuned for the native CLI).
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
# Four builds (scripts/web-bundles.mjs says why): the whole app into dist/, then the checker's
# first load (its form only), the checker, and the widget, each with only its pages
# (web/Cargo.toml's features).
trunk build --release "$@"
trunk build --release --no-default-features --features checker-shell --dist target/web-shell "$@"
trunk build --release --no-default-features --features page-checker --dist target/web-checker "$@"
trunk build --release --no-default-features --features page-embed --dist target/web-embed "$@"
node scripts/web-bundles.mjs
# dist/_headers: the CSP with the hash of Trunk's (minified) inline loader, and the framing rules.
node scripts/web-headers.mjs
node scripts/payload.mjs
