#!/usr/bin/env bash
# Benchmark (prints figures; asserts nothing): `mtasts check` over many domains at once against
# the fixture internet on loopback, with delays injected like a real network (50 ms per DNS
# answer, 100 ms per HTTPS response). The domains are the fixture's generated bulk zone
# (d0.bulk.test, d1.bulk.test, ...: each a correct MTA-STS domain under its own name, its
# policy host's certificate made on first use). For 1,000 and 10,000 domains it prints
# domains per minute, peak memory (max RSS), and how the checks ended; then the same for
# checkdmarc 6.0.4 in bulk mode where it can be pointed at the same fixture.
#   scripts/bench-bulk.sh [COUNTS...]          (default: 1000 10000)
#   CONCURRENCY=64 scripts/bench-bulk.sh 1000  (a fixed concurrency instead of the adaptive one)
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1000 10000)
DNS_DELAY_MS="${DNS_DELAY_MS:-50}" HTTPS_DELAY_MS="${HTTPS_DELAY_MS:-100}"
cargo build -q --release -p mtasts-cli -p mtasts-fixtures
work="$(mktemp -d)"
target/release/mtasts-fixtures --out "$work" --dns-delay-ms "$DNS_DELAY_MS" --https-delay-ms "$HTTPS_DELAY_MS" > "$work/info.json" &
fx=$!
trap 'kill $fx 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/info.json" ] && break; sleep 0.1; done
doh="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["doh_url"])' "$work/info.json")"
https="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["https_addr"])' "$work/info.json")"
conc=()
[ -z "${CONCURRENCY:-}" ] || conc=(--concurrency "$CONCURRENCY")
echo "fixture: ${DNS_DELAY_MS} ms per DNS answer, ${HTTPS_DELAY_MS} ms per HTTPS response, on loopback; $(nproc) cores"
offset=0
for n in "${counts[@]}"; do
  # Fresh names each run: no certificate or connection of an earlier run is reused.
  seq "$offset" $((offset + n - 1)) | sed 's/^/d/; s/$/.bulk.test/' > "$work/list.txt"
  offset=$((offset + n))
  /usr/bin/time -f "%e %M" -o "$work/time" target/release/mtasts check - --format jsonl \
    --allow-test-domains --doh "$doh" --allow-http-doh --ca-file "$work/ca.pem" --resolve "*:$https" \
    --timeout 10 "${conc[@]}" < "$work/list.txt" > "$work/out.jsonl" 2>"$work/err.txt" || true
  read -r secs kb < <(tail -1 "$work/time")
  python3 - "$n" "$secs" "$kb" "$work/out.jsonl" "${CONCURRENCY:-adaptive}" <<'PY'
import collections, json, sys
n, secs, kb, path, conc = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
verdicts, load = collections.Counter(), 0
for line in open(path):
    r = json.loads(line)
    verdicts[r.get("report", {}).get("verdict", "error")] += 1
    load += "seen under bulk load" in line
print(f"mtasts check, {n} domains, concurrency {conc}: {secs:.1f} s = {n / secs * 60:,.0f} domains/minute, "
      f"peak memory {kb / 1024:.0f} MB; verdicts {dict(verdicts)}; timed out under load twice: {load}")
PY
done

# checkdmarc 6.0.4 (pip) in bulk mode: `checkdmarc DOMAIN... -o out.json` checks MTA-STS among
# everything else, through dnspython. It takes a list of nameservers (`-n`) but speaks plain DNS
# on port 53 to them, not DNS over HTTPS, and fetches the policy from the real host name on port
# 443 with the system's CA store: it cannot be pointed at this fixture (DoH on a loopback port,
# policy hosts on another port, a test CA). Its bulk figures would need a UDP DNS server and
# root; we print why instead of a number that measures something else.
venv=target/bench-checkdmarc
if [ -x "$venv/bin/checkdmarc" ] || { [ -x "$venv/bin/python" ] || python3 -m venv "$venv"; "$venv/bin/pip" install -q checkdmarc==6.0.4 >/dev/null 2>&1; }; then
  echo "checkdmarc 6.0.4: not comparable here — it resolves through plain DNS on port 53 (-n takes addresses only, no port, no DoH) and fetches policies on port 443 with the system CAs, so it cannot reach this fixture"
else
  echo "checkdmarc 6.0.4: could not be installed (pip)"
fi
