#!/usr/bin/env bash
# The README's first command: set everything up, build, and run the main job (the CLI on examples).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release -q -p mtasts-cli
mtasts=target/release/mtasts
echo "== mtasts lint policy examples/policy.txt"
"$mtasts" lint policy examples/policy.txt || true
echo
echo "== mtasts lint policy examples/broken-policy.txt"
"$mtasts" lint policy examples/broken-policy.txt || true
echo
echo "== mtasts assess tests/fixtures/evidence/stale-pattern.json"
"$mtasts" assess tests/fixtures/evidence/stale-pattern.json || true
echo
echo "The CLI is at $mtasts; try: $mtasts --help"
