#!/usr/bin/env bash
# Benchmark (prints figures; asserts nothing): Enter → full report in Chromium, against the one
# round trip to the Worker, with upstream delays injected into the fixture internet (DNS cache off).
#   DNS_DELAY_MS=50 HTTPS_DELAY_MS=100 bash scripts/bench-web.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DNS_DELAY_MS="${DNS_DELAY_MS:-50}" HTTPS_DELAY_MS="${HTTPS_DELAY_MS:-100}" DNS_CACHE=0
echo "injected: ${DNS_DELAY_MS} ms per DNS answer, ${HTTPS_DELAY_MS} ms per HTTPS response"
bash scripts/fixture-stack.sh -- node scripts/bench-web.mjs
