#!/usr/bin/env bash
# Prints lint throughput in one process over the same 215-policy corpus
# (tests/fixtures/policy-corpus.json): mtasts (native release build, full findings with spans)
# beside checkdmarc 6.0.4's MTA-STS policy parser (pip, in a virtualenv under target/), and the
# ratio. Usage: scripts/bench-lint.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ours="$(cargo run -q --release -p mtasts --example lint_corpus)"
echo "$ours"
venv=target/bench-checkdmarc
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import checkdmarc' 2>/dev/null || "$venv/bin/pip" install -q checkdmarc==6.0.4
theirs="$("$venv/bin/python" - <<'PY'
import json, time
from checkdmarc.mta_sts import parse_mta_sts_policy
corpus = json.load(open("tests/fixtures/policy-corpus.json"))
t = time.perf_counter(); n = 0
while time.perf_counter() - t < 3:
    for p in corpus:
        try:
            parse_mta_sts_policy(p)
        except Exception:
            pass
    n += len(corpus)
print(f"{n / (time.perf_counter() - t):.0f}")
PY
)"
echo "checkdmarc 6.0.4 parse_mta_sts_policy: $theirs policies/s over the same corpus"
python3 -c 'import sys; a=float(sys.argv[1].split(": ")[1].split()[0]); b=float(sys.argv[2]); print(f"ratio: {a/b:.1f}x")' "$ours" "$theirs"
