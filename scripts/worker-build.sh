#!/usr/bin/env bash
# Builds the Worker with worker-build, pointed at local tools. Run from worker/ (wrangler does).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/worker-env.sh"
cd "$(dirname "${BASH_SOURCE[0]}")/../worker"
worker-build --release
# The release profile keeps symbol names (wasm-bindgen needs the target_features section that a
# full strip removes); drop the names and producers sections now that wasm-bindgen is done.
"$WASM_OPT_BIN" --strip-debug --strip-producers build/index_bg.wasm -o build/index_bg.wasm
