#!/usr/bin/env bash
# Benchmark (prints figures; asserts nothing): the Worker under wrangler dev (workerd) on the
# fixture internet, with upstream delays injected and every cache off, so each request does all
# of its work:
#   1. latency of /api/report against the upstream critical path;
#   2. CPU time per report: the CPU seconds the workerd process spent (utime + stime from
#      /proc) over N sequential reports, divided by N. That is an upper bound on what Cloudflare
#      bills as a Worker's CPU time: it also holds workerd's HTTP parsing and the TLS of the
#      policy fetch, which the platform does outside the isolate;
#   3. the Worker's own CPU time per report inside workerd: POST /api/bench/report (served only
#      with BENCH_ROUTE=1) replays a recorded Evidence of good.test BENCH_N times in one request —
#      every DNS answer encoded and decoded in wire format, gathered, judged, the JSON written, no
#      I/O — and the workerd process's CPU over it, less that of a one-report request, divided by
#      BENCH_N - 1: what the isolate spends, without the runtime's cost of requests;
#   4. the Worker's wasm size.
#   DNS_DELAY_MS=50 HTTPS_DELAY_MS=100 N=20 CPU_N=300 bash scripts/bench-worker.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DNS_DELAY_MS="${DNS_DELAY_MS:-50}" HTTPS_DELAY_MS="${HTTPS_DELAY_MS:-100}" DNS_CACHE=0 EVIDENCE_CACHE_SECONDS=0 BENCH_ROUTE=1
N="${N:-20}" CPU_N="${CPU_N:-300}" BENCH_N="${BENCH_N:-2000}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
export OUT="$out" N CPU_N BENCH_N
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
  # The upstream itself, timed as the Worker meets it: one DoH query (GET, wire format) and one
  # policy fetch on a fresh TLS connection: the injected delays plus what the servers take.
  q="$(python3 -c "
import base64, struct
name = b\"\".join(bytes([len(l)]) + l for l in b\"good.test\".split(b\".\")) + b\"\\0\"
m = struct.pack(\">6H\", 0, 0x0100, 1, 0, 0, 0) + name + struct.pack(\">HH\", 15, 1)
print(base64.urlsafe_b64encode(m).decode().rstrip(\"=\"))")"
  for i in $(seq 1 "$N"); do
    curl -s -o /dev/null -w "%{time_total} " "${MTASTS_FIXTURE_STATS%/__stats}/dns-query?dns=$q"
    curl -k -s -o /dev/null -w "%{time_total}\n" "https://mta-sts.good.test:${HTTPS_PORT:-8443}/.well-known/mta-sts.txt"
  done > "$OUT/upstream"
  before="$(ticks)"; start="$(date +%s.%N)"
  for i in $(seq 1 "$CPU_N"); do
    curl -s -o /dev/null -H "CF-Connecting-IP: 198.18.$((i / 200)).$((i % 200))" "$MTASTS_BASE/api/report?domain=good.test"
  done
  after="$(ticks)"; end="$(date +%s.%N)"
  # The same for the cheapest request (/api/health): what workerd spends on any request.
  for i in $(seq 1 "$CPU_N"); do curl -s -o /dev/null "$MTASTS_BASE/api/health"; done
  base="$(ticks)"
  echo "$before $after $(getconf CLK_TCK) $start $end $base" > "$OUT/cpu"
  # The Worker alone: replayed reports, three requests of BENCH_N and three of one.
  curl -sf "$MTASTS_BASE/api/evidence?domain=good.test" > "$OUT/ev.json"
  bench() { curl -sf -X POST --data-binary "@$OUT/ev.json" "$MTASTS_BASE/api/bench/report?n=$1" > /dev/null; }
  for i in 1 2 3; do
    a="$(ticks)"; bench "$BENCH_N"; b="$(ticks)"; bench 1; c="$(ticks)"
    echo "$((b - a)) $((c - b))"
  done > "$OUT/replay"
'
python3 - "$DNS_DELAY_MS" "$HTTPS_DELAY_MS" "$out" "$CPU_N" "$BENCH_N" <<'PY'
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
up = [tuple(float(x) * 1000 for x in l.split()) for l in open(f"{out}/upstream")]
doh_ms, fetch_ms = statistics.median(u[0] for u in up), statistics.median(u[1] for u in up)
measured = max(2 * doh_ms, fetch_ms)
print(f"report latency over {len(t)} requests: median {med:.0f} ms, p90 {p90:.0f} ms, min {t[0]:.0f} ms")
print(f"injected: {dns} ms per DNS answer, {https} ms per HTTPS response")
print(f"upstream critical path (MX then TLSA, or the fetch), injected delays alone: {critical} ms")
if critical:
    print(f"latency / critical path of the injected delays (median): {med / critical:.2f}x ({med - critical:.0f} ms over)")
print(f"upstream as measured by curl (median of {len(up)}): one DoH query {doh_ms:.0f} ms, the policy fetch on a fresh TLS connection {fetch_ms:.0f} ms")
print(f"latency / measured upstream critical path ({measured:.0f} ms): {med / measured:.2f}x ({med - measured:.0f} ms over)")
before, after, hz, start, end, base = open(f"{out}/cpu").read().split()
cpu_ms = (int(after) - int(before)) * 1000 / int(hz) / cpu_n
health_ms = (int(base) - int(after)) * 1000 / int(hz) / cpu_n
print(f"workerd CPU per report (utime+stime over {cpu_n} sequential reports, caches off): {cpu_ms:.2f} ms")
print(f"workerd CPU per /api/health (the runtime's cost of any request under wrangler dev): {health_ms:.2f} ms")
hz, bench_n = int(hz), int(sys.argv[5])
per = sorted((int(many) - int(one)) * 1000 / hz / (bench_n - 1) for many, one in (l.split() for l in open(f"{out}/replay")))
print(f"the Worker's own CPU per report inside workerd (/api/bench/report, {bench_n} replayed reports a request, 3 requests): "
      f"{statistics.median(per) * 1000:.0f} µs median (from {per[0] * 1000:.0f} to {per[-1] * 1000:.0f} µs)")
PY
for f in worker/build/index_bg.wasm; do
  echo "worker wasm: $(stat -c %s "$f") bytes raw, $(gzip -9c "$f" | wc -c) bytes gzip"
done
