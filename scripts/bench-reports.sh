#!/usr/bin/env bash
# Prints how fast `mtasts reports` reads TLS reports: files/s and MB/s over N generated files
# (a third each .json, .json.gz and base64 .eml; scripts/bench-reports.py), best of 3 runs,
# output as JSON to /dev/null. Usage: scripts/bench-reports.sh [N ...] (default 1000 5000).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q --release -p mtasts-cli
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
counts=("$@")
[ ${#counts[@]} -eq 0 ] && counts=(1000 5000)
for count in "${counts[@]}"; do
  dir="$work/$count"
  python3 scripts/bench-reports.py "$count" "$dir"
  python3 - "$count" "$dir" <<'PY'
import os, subprocess, sys, time
n, d = int(sys.argv[1]), sys.argv[2]
size = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
best = None
for _ in range(3):
    t = time.perf_counter()
    subprocess.run(["target/release/mtasts", "reports", "--format", "json", d], stdout=subprocess.DEVNULL)
    t = time.perf_counter() - t
    best = t if best is None else min(best, t)
print(f"mtasts reports: {n} files, {size/1e6:.1f} MB in {best*1000:.0f} ms: {n/best:,.0f} files/s, {size/1e6/best:.1f} MB/s")
PY
done
