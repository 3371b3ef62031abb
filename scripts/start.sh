#!/usr/bin/env bash
# The README's first command: set everything up, build, and start the local stack — the Worker
# under `wrangler dev` (workerd) serving the web app (built by Trunk into dist/) and the API on
# http://127.0.0.1:8787.
#   bash scripts/start.sh            # live: DNS over HTTPS to Cloudflare's resolver
#   bash scripts/start.sh --offline  # the offline demo: the fixture internet's scenario domains
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo build --release -q -p mtasts-cli
bash scripts/web-build.sh
echo "CLI: target/release/mtasts (try: target/release/mtasts lint policy examples/broken-policy.txt)"
if [ "${1:-}" = "--offline" ]; then
  exec bash scripts/fixture-stack.sh
fi
source scripts/worker-env.sh
echo "Starting wrangler dev: app and API on http://127.0.0.1:8787 (Ctrl-C to stop)"
exec wrangler dev --ip 127.0.0.1 --port "${PORT:-8787}"
