#!/usr/bin/env bash
# Benchmark (prints figures; asserts nothing): report latency through the Worker under wrangler
# dev with upstream delays injected into the fixture internet, against the critical path, and the
# Worker's wasm size. DNS caching is off so every request pays for its lookups.
#   DNS_DELAY_MS=50 HTTPS_DELAY_MS=100 bash scripts/bench-worker.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DNS_DELAY_MS="${DNS_DELAY_MS:-50}" HTTPS_DELAY_MS="${HTTPS_DELAY_MS:-100}" DNS_CACHE=0
N="${N:-20}"
bash scripts/fixture-stack.sh -- bash -c '
  for d in good.test stale.test; do curl -s -o /dev/null "$MTASTS_BASE/api/report?domain=$d"; done  # warm up
  for i in $(seq 1 '"$N"'); do curl -s -o /dev/null -w "%{time_total}\n" "$MTASTS_BASE/api/report?domain=good.test"; done > /tmp/mtasts-bench-times
'
python3 - "$DNS_DELAY_MS" "$HTTPS_DELAY_MS" <<'PY'
import statistics, sys
dns, https = int(sys.argv[1]), int(sys.argv[2])
t = sorted(float(x) * 1000 for x in open("/tmp/mtasts-bench-times"))
med, p90 = statistics.median(t), t[int(len(t) * 0.9) - 1]
# Lookups: 3 TXT/A/AAAA/CNAME-style queries in parallel, MX then 2 TLSA, and the policy fetch.
critical = max(2 * dns, https)
serial = 8 * dns + 2 * dns + https
print(f"report latency over {len(t)} requests: median {med:.0f} ms, p90 {p90:.0f} ms, min {t[0]:.0f} ms")
print(f"injected: {dns} ms per DNS answer, {https} ms per HTTPS response")
print(f"critical path (slowest chain: MX→TLSA = 2×DNS, or the policy fetch): {critical} ms; all lookups in series: {serial} ms")
print(f"overhead over the critical path (median): {med - critical:.0f} ms")
PY
for f in worker/build/index_bg.wasm; do
  echo "worker wasm: $(stat -c %s "$f") bytes raw, $(gzip -9c "$f" | wc -c) bytes gzip"
done
