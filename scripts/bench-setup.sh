#!/usr/bin/env bash
# Benchmark (prints figures; asserts nothing): how long the set-up's three `cargo install`s take
# when run as scripts/setup.sh runs them — in parallel, from the registry's sources (fetched once,
# cached after) — into a temporary root, so the installed tools are not touched. PROFILE `fast`
# is what setup.sh uses (no LTO, 16 codegen units, opt-level 1); `own` is each crate's own
# release profile (trunk's is fat LTO with one codegen unit); `both` (default) runs one, then the
# other. Then wasm-bindgen's own time on the app's wasm, for each build. About 30 minutes on 2 cores.
# Usage: scripts/bench-setup.sh [fast|own|both]
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(grep -E '^(WASM_BINDGEN|WORKER_BUILD|TRUNK)_VERSION=' scripts/setup.sh | sed 's/ *#.*//')"
which="${1:-both}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
run() { # profile
  local dir="$root/$1" start pids=() names=(wasm-bindgen-cli worker-build trunk) i
  local env=()
  [ "$1" = fast ] && env=(CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_OPT_LEVEL=1)
  start="$(date +%s)"
  env "${env[@]}" cargo install -q --root "$dir" wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force >"$root/$1-0.log" 2>&1 & pids+=($!)
  env "${env[@]}" cargo install -q --root "$dir" --locked worker-build --version "$WORKER_BUILD_VERSION" --force >"$root/$1-1.log" 2>&1 & pids+=($!)
  env "${env[@]}" cargo install -q --root "$dir" --locked trunk --version "$TRUNK_VERSION" --force >"$root/$1-2.log" 2>&1 & pids+=($!)
  for i in 0 1 2; do
    wait "${pids[$i]}" || { tail "$root/$1-$i.log"; exit 1; }
    echo "$1: ${names[$i]} installed after $(( $(date +%s) - start )) s"
  done
  echo "$1: all three in $(( $(date +%s) - start )) s (in parallel, on $(nproc) cores)"
  local wasm
  wasm="$(ls target/wasm32-unknown-unknown/release/mtasts-web.wasm 2>/dev/null || true)"
  if [ -n "$wasm" ]; then
    local t0 t1
    t0="$(date +%s%N)"; "$dir/bin/wasm-bindgen" --target web --out-dir "$root/out" "$wasm"; t1="$(date +%s%N)"
    echo "$1: wasm-bindgen on the app's wasm: $(( (t1 - t0) / 1000000 )) ms"
  fi
}
case "$which" in
  fast|own) run "$which" ;;
  both) run fast; run own ;;
  *) echo "usage: $0 [fast|own|both]" >&2; exit 2 ;;
esac
