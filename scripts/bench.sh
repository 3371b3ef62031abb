#!/usr/bin/env bash
# Prints benchmark figures: criterion for the validation crate, and the wasm32 size of the crate.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo bench -p mtasts --bench lint -- --noplot "$@"
