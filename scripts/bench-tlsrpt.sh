#!/usr/bin/env bash
# Benchmark of the TLS-RPT destinations inside workerd (prints figures; asserts nothing): see
# scripts/bench-tlsrpt.mjs for what is measured and how.
#   BENCH_N=2000 K=300 C=4 bash scripts/bench-tlsrpt.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_ROUTE=1 bash scripts/fixture-stack.sh -- node scripts/bench-tlsrpt.mjs
