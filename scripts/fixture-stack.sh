#!/usr/bin/env bash
# Runs the offline stack: the fixture internet (DoH on 127.0.0.1:8053, HTTPS policy hosts on
# 127.0.0.1:8443 with a test CA) and `wrangler dev` pointed at it, on http://127.0.0.1:8787.
#   bash scripts/fixture-stack.sh            # until Ctrl-C (the offline demo)
#   bash scripts/fixture-stack.sh -- CMD...  # run CMD against the stack, then stop it
# START_SECONDS (120): how long wrangler dev may take to answer (its build runs first).
# workerd resolves host names through the system resolver, so the policy hosts of the scenario
# domains are added to /etc/hosts (root only; lines tagged "# mtasts-fixtures").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
source scripts/worker-env.sh
DOH_PORT="${DOH_PORT:-8053}"
HTTPS_PORT="${HTTPS_PORT:-8443}"
PORT="${PORT:-8787}"
out="$(mktemp -d)"
cargo build -q -p mtasts-fixtures
# The app the Worker serves as static assets (dist/); built once if missing.
[ -f dist/index.html ] || bash scripts/web-build.sh
fixtures="${CARGO_TARGET_DIR:-$root/target}/debug/mtasts-fixtures"
if [ "$("$fixtures" --print-hosts)" != "$(grep '# mtasts-fixtures$' /etc/hosts 2>/dev/null)" ]; then
  if [ -w /etc/hosts ]; then
    # Rewritten in place (not replaced: /etc/hosts may be a mount), so new scenarios get entries.
    kept="$(grep -v '# mtasts-fixtures$' /etc/hosts || true)"
    printf '%s\n%s\n' "$kept" "$("$fixtures" --print-hosts)" > /etc/hosts
  else
    echo "fixture-stack: cannot write /etc/hosts; add these lines as root:" >&2
    "$fixtures" --print-hosts >&2
    exit 2
  fi
fi
# The monitoring zone's names (tests/worker/monitor.test.mjs), under their own tag.
if [ "$("$fixtures" --print-mon-hosts)" != "$(grep '# mtasts-fixtures-mon$' /etc/hosts 2>/dev/null)" ]; then
  if [ -w /etc/hosts ]; then
    kept="$(grep -v '# mtasts-fixtures-mon$' /etc/hosts || true)"
    printf '%s\n%s\n' "$kept" "$("$fixtures" --print-mon-hosts)" > /etc/hosts
  else
    echo "fixture-stack: cannot write /etc/hosts; add these lines as root:" >&2
    "$fixtures" --print-mon-hosts >&2
    exit 2
  fi
fi
# MON_DOMAINS=N (scripts/bench-monitor.mjs) makes the monitoring zone m0–m{N-1}: the names past
# the tests' 20 are added under a tag of their own for this run only, and removed when it ends.
MON_DOMAINS="${MON_DOMAINS:-20}"
extra=0
drop_extra() {
  [ "$extra" = 1 ] || return 0
  kept="$(grep -v '# mtasts-fixtures-mon-extra$' /etc/hosts || true)"
  printf '%s\n' "$kept" > /etc/hosts
}
if [ "$MON_DOMAINS" -gt 20 ]; then
  [ -w /etc/hosts ] || { echo "fixture-stack: MON_DOMAINS needs a writable /etc/hosts" >&2; exit 2; }
  extra=1
  kept="$(grep -v '# mtasts-fixtures-mon-extra$' /etc/hosts || true)"
  printf '%s\n%s\n' "$kept" "$("$fixtures" --mon-domains "$MON_DOMAINS" --print-mon-extra-hosts)" > /etc/hosts
fi
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; drop_extra; rm -rf "$out"; }
trap cleanup EXIT INT TERM
# INSPECTOR_PORT: where wrangler dev serves the isolate's V8 inspector (the benchmark's CPU
# profile); unset, wrangler's default.
inspector=()
[ -z "${INSPECTOR_PORT:-}" ] || inspector=(--inspector-port "$INSPECTOR_PORT")
"$fixtures" --doh-port "$DOH_PORT" --https-port "$HTTPS_PORT" --out "$out" --mon-domains "$MON_DOMAINS" \
  --dns-delay-ms "${DNS_DELAY_MS:-0}" --https-delay-ms "${HTTPS_DELAY_MS:-0}" > "$out/fixtures.json" &
pids+=($!)
# The monitor's D1 database, migrated into the same fresh state directory.
wrangler d1 migrations apply DB --local --persist-to "$out/state" > "$out/migrations.log" 2>&1 || { cat "$out/migrations.log" >&2; exit 1; }
# A fresh edge each time (--persist-to a temporary directory): no cache survives from a
# previous run, so tests see first observations where they expect them.
NODE_EXTRA_CA_CERTS="$out/ca-bundle.pem" wrangler dev --ip 127.0.0.1 --port "$PORT" --test-scheduled "${inspector[@]}" \
  --var "MONITOR_SECRET:fixture-monitor-secret-0123456789" --var "PUBLIC_ORIGIN:http://127.0.0.1:$PORT" --var "MONITOR_RETRY_SECONDS:${MONITOR_RETRY_SECONDS:-1}" --var MONITOR_TEST_ROUTES:1 --var "MONITOR_PRUNE_BATCH:${MONITOR_PRUNE_BATCH:-2}" \
  --var "DOH_URL:http://127.0.0.1:$DOH_PORT/dns-query" \
  --var "POLICY_URL_TEMPLATE:https://mta-sts.{domain}:$HTTPS_PORT/.well-known/mta-sts.txt" \
  --persist-to "$out/state" --var FIXTURE_MODE:1 --var "FETCH_TIMEOUT_MS:${FETCH_TIMEOUT_MS:-3000}" --var "DNS_TIMEOUT_MS:${DNS_TIMEOUT_MS:-2000}" --var "DNS_CACHE:${DNS_CACHE:-1}" --var "EVIDENCE_CACHE_SECONDS:${EVIDENCE_CACHE_SECONDS:-60}" \
  --var "BENCH_ROUTE:${BENCH_ROUTE:-0}" > "$out/wrangler.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 "${START_SECONDS:-120}"); do
  curl -sf -m 2 "http://127.0.0.1:$PORT/api/health" >/dev/null && break
  if ! kill -0 "${pids[1]}" 2>/dev/null; then cat "$out/wrangler.log" >&2; exit 1; fi
  sleep 1
done
curl -sf -m 2 "http://127.0.0.1:$PORT/api/health" >/dev/null || { echo "fixture-stack: wrangler dev did not start" >&2; tail -40 "$out/wrangler.log" >&2; exit 1; }
export MTASTS_BASE="http://127.0.0.1:$PORT" MTASTS_FIXTURE_STATS="http://127.0.0.1:$DOH_PORT/__stats" MTASTS_FIXTURES_BIN="$fixtures" MTASTS_FIXTURE_HTTPS_PORT="$HTTPS_PORT" MTASTS_WRANGLER_PID="${pids[1]}" MTASTS_WRANGLER_LOG="$out/wrangler.log" MTASTS_INSPECTOR_PORT="${INSPECTOR_PORT:-}" MTASTS_MON_DOMAINS="$MON_DOMAINS"
if [ "${1:-}" = "--" ]; then
  shift
  # On a failure, what the edge printed is the evidence a flaky run leaves behind.
  status=0
  "$@" || status=$?
  if [ "$status" != 0 ]; then
    echo "fixture-stack: the command failed ($status); the last lines of wrangler dev's log:" >&2
    tail -60 "$out/wrangler.log" >&2
  fi
  exit "$status"
else
  echo "offline stack: app and API on $MTASTS_BASE — try $MTASTS_BASE/api/report?domain=good.test (Ctrl-C to stop)"
  "$fixtures" --print-scenarios
  wait
fi
