#!/usr/bin/env bash
# The linter and checker in pipelines (issue 23), checked with the real tools:
#   - every SARIF log the CLI tests write is validated by Microsoft's SARIF Multitool (npm
#     @microsoft/sarif-multitool-linux): no result of level error or warning is allowed;
#   - every JUnit file they write is parsed as XML;
#   - pre-commit (PyPI) runs the hook of .pre-commit-hooks.yaml on a fixture git repository;
#   - the steps of action.yml run as a script, as a runner would run them;
#   - progress is drawn on a terminal (a pseudo-terminal) and not with CI set, JSON or a pipe.
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
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
bin_dir="$scratch/bin"
mkdir -p "$bin_dir"
cp "$target_dir/debug/mtasts" "$bin_dir/mtasts"
plain_path="$PATH"
export PATH="$bin_dir:$PATH"

out="$root/target/pipelines"
rm -rf "$out"
mkdir -p "$out"
say "CLI pipeline tests (their SARIF and JUnit documents are kept in target/pipelines/)"
MTASTS_PIPELINE_OUT="$out" cargo test -q -p mtasts-cli --test cli pipelines

# --- the Action's steps, run as a script (before the validation: its SARIF is validated too) --
fixture_repo() { # dir: a git repository with one good and one broken policy, and other files
  local d="$1"
  mkdir -p "$d/site/.well-known" "$d/domains"
  printf 'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n' >"$d/site/.well-known/mta-sts.txt"
  printf 'version: STSv1\nmode: Enforce\nmx: mail.example.org\nmax_age: 604800\n' >"$d/domains/example.org.mta-sts.txt"
  printf 'not a policy: mode: Enforce\n' >"$d/notes.txt"
  printf '$ORIGIN example.org.\n_mta-sts IN TXT "v=STSv1; id=20240101"\n' >"$d/example.org.zone"
  git -C "$d" init -q
  git -C "$d" add -A
}
export GIT_AUTHOR_NAME=mtasts-test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=mtasts-test GIT_COMMITTER_EMAIL=test@example.invalid
action_py="$venv/bin/python3"
repo="$scratch/action-repo"
fixture_repo "$repo"
# The install step finds mtasts in the tool cache (as actions/cache would restore it) and puts
# it on PATH; the run has no other mtasts on PATH.
cache="$scratch/tool-cache"
mkdir -p "$cache/mtasts/test/bin"
cp "$bin_dir/mtasts" "$cache/mtasts/test/bin/mtasts"
set +e
PATH="$plain_path" RUNNER_TOOL_CACHE="$cache" "$action_py" scripts/run-action.py . "$repo" \
  targets="site domains" >"$scratch/action.log" 2>&1
rc=$?
set -e
cat "$scratch/action.log" | sed 's/^/  action: /'
[ "$rc" -eq 1 ] || { echo "pipelines: the Action should fail on the broken policy (exit $rc)" >&2; exit 1; }
grep -q '^::error file=domains/example.org.mta-sts.txt,line=2,col=7,title=policy-mode-invalid' "$scratch/action.log" \
  || { echo "pipelines: no annotation from the Action" >&2; exit 1; }
grep -q "uses github/codeql-action/upload-sarif@v3 with {'sarif_file': 'mtasts.sarif', 'category': 'mtasts-lint'}" "$scratch/action.log" \
  || { echo "pipelines: the upload step does not get the SARIF file" >&2; exit 1; }
cp "$repo/mtasts.sarif" "$out/action-lint.sarif"
PATH="$plain_path" RUNNER_TOOL_CACHE="$cache" "$action_py" scripts/run-action.py . "$repo" \
  targets="site domains" fail-on=never upload-sarif=false >"$scratch/action2.log" 2>&1 \
  || { cat "$scratch/action2.log" >&2; echo "pipelines: fail-on never should pass" >&2; exit 1; }
grep -q "skipped: Upload SARIF" "$scratch/action2.log" || { echo "pipelines: upload not skipped" >&2; exit 1; }
say "the Action's steps: lint fails on the broken policy, annotates it, hands the SARIF to the upload; fail-on never passes"

# --- pre-commit: the hook of .pre-commit-hooks.yaml on a fixture repository -------------------
pc_repo="$scratch/pre-commit-repo"
fixture_repo "$pc_repo"
export PRE_COMMIT_HOME="$scratch/pre-commit-home"
set +e
(cd "$pc_repo" && "$venv/bin/pre-commit" try-repo "$root" mtasts-lint --all-files --color never) >"$scratch/pc.log" 2>&1
rc=$?
set -e
sed 's/^/  pre-commit: /' "$scratch/pc.log"
[ "$rc" -eq 1 ] || { echo "pipelines: the hook should fail on the broken policy (exit $rc)" >&2; exit 1; }
grep -q 'error\[policy-mode-invalid\]' "$scratch/pc.log" || { echo "pipelines: no finding from the hook" >&2; exit 1; }
grep -q 'example.org.zone _mta-sts.example.org TXT record: valid' "$scratch/pc.log" || { echo "pipelines: the hook did not lint the zone file" >&2; exit 1; }
grep -q 'notes.txt' "$scratch/pc.log" && { echo "pipelines: the hook linted a file that is not a policy" >&2; exit 1; }
printf 'version: STSv1\r\nmode: enforce\r\nmx: mail.example.org\r\nmax_age: 604800\r\n' >"$pc_repo/domains/example.org.mta-sts.txt"
git -C "$pc_repo" add -A
(cd "$pc_repo" && "$venv/bin/pre-commit" try-repo "$root" mtasts-lint --all-files --color never) >"$scratch/pc2.log" 2>&1 \
  || { cat "$scratch/pc2.log" >&2; echo "pipelines: the hook should pass once fixed" >&2; exit 1; }
say "pre-commit $PRE_COMMIT_VERSION ran the hook: failed on the broken policy, passed once fixed"

# --- progress on stderr: at a terminal only (a pseudo-terminal here) -------------------------
python3 scripts/progress-pty.py "$bin_dir/mtasts"

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
