#!/usr/bin/env bash
# Prints lint throughput in one process over the same 215-policy corpus
# (tests/fixtures/policy-corpus.json): mtasts (native release build, full findings with spans)
# beside checkdmarc 6.0.4's MTA-STS policy parser (pip, in a virtualenv under target/), and the
# ratio. Both are measured the same way: the best of ten rounds of 0.3 s (a shared VM's
# neighbours slow some rounds; the best is the least disturbed), the mean printed beside it.
# Usage: scripts/bench-lint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ours="$(cargo run -q --release -p mtasts-cli --example lint_corpus)"
echo "$ours"
venv=target/bench-checkdmarc
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import checkdmarc' 2>/dev/null || "$venv/bin/pip" install -q checkdmarc==6.0.4
theirs="$("$venv/bin/python" - <<'PY'
import json, time
from checkdmarc.mta_sts import parse_mta_sts_policy
corpus = json.load(open("tests/fixtures/policy-corpus.json"))
rates = []
for _ in range(10):
    t = time.perf_counter(); n = 0
    while time.perf_counter() - t < 0.3:
        for p in corpus:
            try:
                parse_mta_sts_policy(p)
            except Exception:
                pass
        n += len(corpus)
    rates.append(n / (time.perf_counter() - t))
print(f"{max(rates):.0f} {sum(rates) / len(rates):.0f}")
PY
)"
echo "checkdmarc 6.0.4 parse_mta_sts_policy: ${theirs% *} policies/s (best of 10 rounds; mean ${theirs#* }) over the same corpus"
python3 -c 'import sys; a=float(sys.argv[1].split(": ")[1].split()[0]); b=float(sys.argv[2].split()[0]); print(f"ratio (best rounds): {a/b:.1f}x")' "$ours" "$theirs"
