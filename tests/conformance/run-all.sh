#!/usr/bin/env bash
# The conformance suite in one command: builds the mtasts CLI, checks the vectors are current,
# runs every real implementation that installs here against its model (any disagreement fails)
# and every model against RFC 8461, and writes docs/senders.md. `--check`: fail instead of
# writing when docs/senders.md is out of date (what scripts/test.sh runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q -p mtasts-cli
python3 tests/conformance/grid.py --mtasts target/debug/mtasts --check
python3 tests/conformance/report.py --mtasts target/debug/mtasts "$@"
