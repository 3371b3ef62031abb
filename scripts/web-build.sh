#!/usr/bin/env bash
# Builds the web app (web/) into dist/ with Trunk, offline: the wasm-bindgen on PATH (its version
# equals Cargo.lock's) and npm's wasm-opt (binaryen 132), put first on PATH — never Debian's,
# which silently breaks the page (TOOLCHAIN.md). Prints the payload figures.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Size, not speed, for the wasm (Cargo.toml's release profile is tuned for the native CLI).
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
# One build per page (scripts/web-bundles.mjs says why), each with only its page's code
# (web/Cargo.toml's features): the documentation pages into dist/ (their index.html and CSS are
# the site's), then the checker's first load (its form only), the checker, the widget, the linter,
# the generator, the report viewer and the bulk checker.
trunk build --release --no-default-features --features page-docs "$@"
for b in checker-shell:shell page-checker:checker page-embed:embed page-lint:lint \
  page-generate:generate page-reports:reports page-bulk:bulk; do
  trunk build --release --no-default-features --features "${b%%:*}" --dist "target/web-${b##*:}" "$@"
done
node scripts/web-bundles.mjs
# dist/_headers: the CSP with the hash of Trunk's (minified) inline loader, and the framing rules.
node scripts/web-headers.mjs
node scripts/payload.mjs
