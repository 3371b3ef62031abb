#!/usr/bin/env bash
# Benchmark (prints figures; asserts nothing): the Worker under wrangler dev (workerd) on the
# fixture internet, with upstream delays injected and every cache off, so each request does all
# of its work:
#   1. latency of /api/report against the upstream critical path;
#   2. CPU time per report: the CPU seconds the workerd process spent (utime + stime from
#      /proc) over N sequential reports, divided by N. That is an upper bound on what Cloudflare
#      bills as a Worker's CPU time: it also holds workerd's HTTP parsing and the TLS of the
#      policy fetch, which the platform does outside the isolate;
#   3. the Worker's wasm size.
#   DNS_DELAY_MS=50 HTTPS_DELAY_MS=100 N=20 CPU_N=300 bash scripts/bench-worker.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DNS_DELAY_MS="${DNS_DELAY_MS:-50}" HTTPS_DELAY_MS="${HTTPS_DELAY_MS:-100}" DNS_CACHE=0 EVIDENCE_CACHE_SECONDS=0
N="${N:-20}" CPU_N="${CPU_N:-300}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export OUT="$out" N CPU_N
bash scripts/fixture-stack.sh -- bash -c '
  for d in good.test stale.test good.test; do curl -s -o /dev/null "$MTASTS_BASE/api/report?domain=$d"; done  # warm up
  for i in $(seq 1 "$N"); do
    curl -s -o /dev/null -H "CF-Connecting-IP: 192.0.2.$((i % 200))" -w "%{time_total}\n" "$MTASTS_BASE/api/report?domain=good.test"
  done > "$OUT/times"
  # CPU: the workerd processes (wrangler dev runs one), read before and after CPU_N reports.
  ticks() { python3 -c "
import os
t = 0
for p in filter(str.isdigit, os.listdir(\"/proc\")):
    try:
        stat = open(f\"/proc/{p}/stat\").read()
    except OSError:
        continue
    if stat.split(\" (\", 1)[1].startswith(\"workerd)\"):
        f = stat.rsplit(\")\", 1)[1].split()
        t += int(f[11]) + int(f[12])
print(t)"; }
  before="$(ticks)"; start="$(date +%s.%N)"
  for i in $(seq 1 "$CPU_N"); do
    curl -s -o /dev/null -H "CF-Connecting-IP: 198.18.$((i / 200)).$((i % 200))" "$MTASTS_BASE/api/report?domain=good.test"
  done
  after="$(ticks)"; end="$(date +%s.%N)"
  # The same for the cheapest request (/api/health): what workerd spends on any request.
  for i in $(seq 1 "$CPU_N"); do curl -s -o /dev/null "$MTASTS_BASE/api/health"; done
  base="$(ticks)"
  echo "$before $after $(getconf CLK_TCK) $start $end $base" > "$OUT/cpu"
'
python3 - "$DNS_DELAY_MS" "$HTTPS_DELAY_MS" "$out" "$CPU_N" <<'PY'
import statistics, sys
dns, https, out, cpu_n = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
t = sorted(float(x) * 1000 for x in open(f"{out}/times"))
med, p90 = statistics.median(t), t[int(len(t) * 0.9) - 1]
# The slowest chains: _mta-sts TXT → policy fetch (DNS + HTTPS, the fetch resolves its host:
# one more DNS answer), and MX → TLSA (2 × DNS).
# Everything starts at once (mtasts::gather); the chains are MX → TLSA and TLS-RPT → the `rua`
# domains' MX (2 × DNS), and the policy fetch (one HTTPS response; its host comes from the
# system resolver here).
critical = max(2 * dns, https)
print(f"report latency over {len(t)} requests: median {med:.0f} ms, p90 {p90:.0f} ms, min {t[0]:.0f} ms")
print(f"injected: {dns} ms per DNS answer, {https} ms per HTTPS response")
print(f"upstream critical path (MX then TLSA, or the fetch): {critical} ms")
if critical:
    print(f"latency / critical path (median): {med / critical:.2f}x ({med - critical:.0f} ms over)")
before, after, hz, start, end, base = open(f"{out}/cpu").read().split()
cpu_ms = (int(after) - int(before)) * 1000 / int(hz) / cpu_n
health_ms = (int(base) - int(after)) * 1000 / int(hz) / cpu_n
print(f"workerd CPU per report (utime+stime over {cpu_n} sequential reports, caches off): {cpu_ms:.2f} ms")
print(f"workerd CPU per /api/health (the runtime's cost of any request under wrangler dev): {health_ms:.2f} ms")
PY
for f in worker/build/index_bg.wasm; do
  echo "worker wasm: $(stat -c %s "$f") bytes raw, $(gzip -9c "$f" | wc -c) bytes gzip"
done
