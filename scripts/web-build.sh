#!/usr/bin/env bash
# Builds the web app (web/) into dist/ with Trunk, offline: the wasm-bindgen on PATH (its version
# equals Cargo.lock's) and npm's wasm-opt (binaryen 132), put first on PATH — never Debian's,
# which silently breaks the page (TOOLCHAIN.md). Prints the payload figures.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Size, not speed, for the wasm (Cargo.toml's release profile is tuned for the native CLI).
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z
# std rebuilt for the page with panics that abort at once and no panic locations: no panic
# message formatting, no file names in the wasm (README, "Payload": 12 % off the linter's wasm).
# Stable rustc with RUSTC_BOOTSTRAP, and the `rust-src` component (rust-toolchain.toml); RUSTFLAGS
# replaces .cargo/config.toml's target flags, hence `--cfg erase_components` again.
export RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
# Trunk runs cargo --offline: std's own dependencies are fetched (once) by a plain build first.
cargo build -q --release -p mtasts-web --target wasm32-unknown-unknown --no-default-features --features page-docs
# One build per page (scripts/web-bundles.mjs says why), each with only its page's code
# (web/Cargo.toml's features): the documentation pages into dist/ (their index.html and CSS are
# the site's), then the checker's first load (its form only), the checker (the Worker's judged
# report), the widget, the linter, the generator, the report viewer, the bulk checker and
# monitoring; and two modules of no page: the linter's engine (`lint-engine`: the policy grammar,
# the record checks and the sender models), which the loader fetches once the linter is on
# screen, and the judge (`judge-engine`), which the checker has an opened Evidence file judged
# by, fetched when a file is opened.
trunk build --release --no-default-features --features page-docs "$@"
for b in checker-shell:shell page-checker:checker page-embed:embed page-lint:lint \
  page-generate:generate page-reports:reports page-bulk:bulk page-monitor:monitor lint-engine:lint-engine \
  judge-engine:judge; do
  trunk build --release --no-default-features --features "${b%%:*}" --dist "target/web-${b##*:}" "$@"
done
node scripts/web-bundles.mjs
# dist/_headers: the CSP with the hash of Trunk's (minified) inline loader, and the framing rules.
node scripts/web-headers.mjs
node scripts/payload.mjs
