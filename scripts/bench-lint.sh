#!/usr/bin/env bash
# Prints lint throughput in one process over the same 215-policy corpus
# (tests/fixtures/policy-corpus.json): mtasts (native release build, full findings with spans)
# beside checkdmarc 6.0.4's MTA-STS policy parser (pip, in a virtualenv under target/), and the
# ratio. This machine is a shared VM whose neighbours change its speed by ±30 % from one second
# to the next, so the two are measured in turns, each in its own warm process: PAIRS (20) pairs
# of 0.3 s rounds, one of each side back to back, and the ratio is given per pair (its median and
# range) beside the ratio of the best rounds.
# Usage: scripts/bench-lint.sh [PAIRS]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs="${1:-20}"
cargo build -q --release -p mtasts-cli --example lint_corpus
venv=target/bench-checkdmarc
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import checkdmarc' 2>/dev/null || "$venv/bin/pip" install -q checkdmarc==6.0.4
PAIRS="$pairs" "$venv/bin/python" - <<'PY'
import json, os, re, statistics, subprocess, time
from checkdmarc.mta_sts import parse_mta_sts_policy

corpus = json.load(open("tests/fixtures/policy-corpus.json"))

def theirs():
    t = time.perf_counter(); n = 0
    while time.perf_counter() - t < 0.3:
        for p in corpus:
            try:
                parse_mta_sts_policy(p)
            except Exception:
                pass
        n += len(corpus)
    return n / (time.perf_counter() - t)

# Our side in its own warm process: one round per line it reads.
server = subprocess.Popen(["target/release/examples/lint_corpus"], env={**os.environ, "LINT_SERVE": "1"},
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

def ours():
    server.stdin.write("round\n"); server.stdin.flush()
    rate, what = server.stdout.readline().split(" ", 1)
    return float(rate), what.strip()

theirs(); ours()  # both warm before the first pair
a, b, what = [], [], ""
for _ in range(int(os.environ["PAIRS"])):
    (x, what), y = ours(), theirs()
    a.append(x); b.append(y)
ratios = sorted(x / y for x, y in zip(a, b))
print(f"mtasts lint_policy: {max(a):.0f} policies/s (best of {len(a)} rounds; median {statistics.median(a):.0f}) over {what}")
print(f"checkdmarc 6.0.4 parse_mta_sts_policy: {max(b):.0f} policies/s (best of {len(b)} rounds; median {statistics.median(b):.0f}) over the same corpus")
print(f"ratio: {statistics.median(ratios):.1f}x (median of {len(ratios)} back-to-back pairs; range {ratios[0]:.1f}x to {ratios[-1]:.1f}x); best rounds {max(a) / max(b):.1f}x")
PY
