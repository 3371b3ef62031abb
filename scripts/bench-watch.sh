#!/usr/bin/env bash
# Prints how long `mtasts watch` takes, and its peak memory, for N checks (default 1000) against
# the fixture internet on loopback: the scenario domains (slow.test left out: its time-out would
# dominate) repeated until there are N, in `user@domain` and URL forms too, so every check
# gathers, compares with the stored observation and stores anew. Run twice: the first run stores,
# the second compares. Usage: scripts/bench-watch.sh [N] [CONCURRENCY]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
conc="${2:-32}"
cargo build -q --release -p mtasts-cli
cargo build -q -p mtasts-fixtures
work="$(mktemp -d)"
target/debug/mtasts-fixtures --out "$work" > "$work/info.json" &
fx=$!
trap 'kill $fx 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/info.json" ] && break; sleep 0.1; done
doh="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["doh_url"])' "$work/info.json")"
https="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["https_addr"])' "$work/info.json")"
target/debug/mtasts-fixtures --print-scenarios | python3 -c '
import json, sys
n = int(sys.argv[1])
ds = [s["domain"] for s in json.load(sys.stdin) if s["domain"] != "slow.test"]
forms = ["{}", "postmaster@{}", "https://{}/", "{}."]
print("\n".join(forms[(i // len(ds)) % len(forms)].format(ds[i % len(ds)]) for i in range(n)))
' "$n" > "$work/list.txt"
for run in store compare; do
  /usr/bin/time -f "%e %M" -o "$work/time" target/release/mtasts watch --state "$work/state" \
    --allow-test-domains --doh "$doh" --allow-http-doh --ca-file "$work/ca.pem" --resolve "*:$https" \
    --timeout 3 --concurrency "$conc" --format json - < "$work/list.txt" > "$work/out.jsonl" 2>/dev/null || true
  read -r secs kb < <(tail -1 "$work/time")
  lines=$(wc -l < "$work/out.jsonl")
  changed=$(python3 -c 'import json,sys; print(sum(any(c["code"] != "change-not-compared" for c in json.loads(l)["changes"]) for l in open(sys.argv[1])))' "$work/out.jsonl")
  echo "mtasts watch ($run): $n checks ($lines results, $changed with changes) in ${secs} s, peak memory $((kb / 1024)) MB, concurrency $conc"
done
