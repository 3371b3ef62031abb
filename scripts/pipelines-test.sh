#!/usr/bin/env bash
# The linter and checker in pipelines (issue 23), checked with the real tools:
#   - every SARIF log the CLI tests write is validated by Microsoft's SARIF Multitool (npm
#     @microsoft/sarif-multitool-linux): no result of level error or warning is allowed;
#   - every JUnit file they write is parsed as XML;
#   - pre-commit (PyPI) runs the hook of .pre-commit-hooks.yaml on a fixture git repository;
#   - the steps of action.yml run as a script, as a runner would run them.
# Installs what it needs under target/tools/ (idempotent: version checks only when present).
# Works without a terminal and with CI=true. Called by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

SARIF_MULTITOOL_VERSION=5.7.0
PRE_COMMIT_VERSION=4.7.0
tools="$root/target/tools"
say() { echo "pipelines: $*"; }

# --- tools -----------------------------------------------------------------------------------
sarif_dir="$tools/sarif"
sarif_pkg="$sarif_dir/node_modules/@microsoft/sarif-multitool-linux"
if [ "$(node -p "require('$sarif_pkg/package.json').version" 2>/dev/null)" != "$SARIF_MULTITOOL_VERSION" ]; then
  say "installing @microsoft/sarif-multitool-linux $SARIF_MULTITOOL_VERSION (npm)"
  mkdir -p "$sarif_dir"
  [ -f "$sarif_dir/package.json" ] || echo '{"name":"mtasts-sarif-tools","private":true}' >"$sarif_dir/package.json"
  (cd "$sarif_dir" && npm install --no-audit --no-fund --loglevel=error "@microsoft/sarif-multitool-linux@$SARIF_MULTITOOL_VERSION" </dev/null)
fi
sarif="$sarif_dir/node_modules/.bin/sarif-multitool-linux"

venv="$tools/precommit"
if [ "$("$venv/bin/pre-commit" --version 2>/dev/null | awk '{print $2}')" != "$PRE_COMMIT_VERSION" ]; then
  say "installing pre-commit $PRE_COMMIT_VERSION (PyPI) into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "pre-commit==$PRE_COMMIT_VERSION" </dev/null
fi

# --- the CLI and its pipeline tests ----------------------------------------------------------
target_dir="${CARGO_TARGET_DIR:-$root/target}"
cargo build -q -p mtasts-cli
bin_dir="$(mktemp -d)"
trap 'rm -rf "$bin_dir"' EXIT
cp "$target_dir/debug/mtasts" "$bin_dir/mtasts"
export PATH="$bin_dir:$PATH"

out="$root/target/pipelines"
rm -rf "$out"
mkdir -p "$out"
say "CLI pipeline tests (their SARIF and JUnit documents are kept in target/pipelines/)"
MTASTS_PIPELINE_OUT="$out" cargo test -q -p mtasts-cli --test cli pipelines

# --- SARIF: Microsoft's validator ------------------------------------------------------------
n=0
for f in "$out"/*.sarif; do
  v="$out/validation/$(basename "$f")"
  mkdir -p "$out/validation"
  rm -f "$v"
  "$sarif" validate "$f" -o "$v" -q </dev/null >/dev/null
  python3 - "$f" "$v" <<'EOF'
import json, sys
log, report = sys.argv[1], sys.argv[2]
results = json.load(open(report))["runs"][0].get("results", [])
bad = [r for r in results if r.get("level", "warning") in ("error", "warning")]
for r in bad:
    print(f"{log}: {r.get('level', 'warning')} {r['ruleId']}: {r['message']}", file=sys.stderr)
if bad:
    sys.exit(1)
EOF
  n=$((n + 1))
done
[ "$n" -ge 5 ] || { echo "pipelines: only $n SARIF logs to validate" >&2; exit 1; }
say "$n SARIF logs valid (SARIF Multitool $SARIF_MULTITOOL_VERSION: no error, no warning)"

# --- JUnit: well-formed XML with the expected shape ------------------------------------------
python3 - "$out"/*.junit.xml <<'EOF'
import sys
import xml.etree.ElementTree as ET
for f in sys.argv[1:]:
    root = ET.parse(f).getroot()
    assert root.tag == "testsuites", f
    cases = root.findall("./testsuite/testcase")
    assert cases and int(root.get("tests")) == len(cases), f
    failed = sum(1 for c in cases if c.find("failure") is not None)
    assert int(root.get("failures")) == failed, f
print(f"pipelines: {len(sys.argv) - 1} JUnit files well-formed")
EOF
