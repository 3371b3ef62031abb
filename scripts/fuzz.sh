#!/usr/bin/env bash
# Runs every cargo-fuzz target (or the ones named) for a given time each and prints, per target,
# the runs made and the crashes found; exits 1 if any target crashed.
#
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s, all targets)
#   FUZZ_PARALLEL=2 bash scripts/fuzz.sh 600                  (two targets at a time)
#   FUZZ_RUNS=10000000 bash scripts/fuzz.sh 3600              (stop each at 10 M runs, or the time)
#
# Built without a sanitizer (-s none): the crate is safe Rust, so ASan finds nothing a panic
# would not, and runs go several times faster.
# Needs the nightly toolchain and cargo-fuzz (installed here from crates.io when missing). Seeds:
# the Evidence fixtures for `evidence`, the example policies for `policy`, the conformance vectors
# for `policy`, `sts_txt`, `mx_match` and `senders`; corpora stay in
# fuzz/corpus (not committed), crashes in fuzz/artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^mtasts-fuzz$')
fi
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

seed() {
  local dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  case "$1" in
    evidence) cp -n tests/fixtures/evidence/*.json "$dir/" 2>/dev/null || true ;;
    tlsrpt_report) cp -n tests/fixtures/tlsrpt/* "$dir/" 2>/dev/null || true ;;
    policy) for f in examples/*.txt; do [ -f "$f" ] && cp -n "$f" "$dir/" || true; done ;;
  esac
  case "$1" in
    # The conformance vectors, in each target's input format (tests/conformance/fuzzer/README.md).
    policy|sts_txt|mx_match|senders) python3 tests/conformance/fuzzer/harvest.py seed fuzz/corpus >/dev/null ;;
  esac
}

(cd fuzz && cargo +nightly fuzz build -O -s none)
logs="$(mktemp -d)"
run() {
  local t="$1"
  seed "$t"
  (cd fuzz && cargo +nightly fuzz run -O -s none "$t" -- -max_total_time="$seconds" -runs="${FUZZ_RUNS:--1}" -print_final_stats=1 \
      >"$logs/$t.log" 2>&1) && echo 0 >"$logs/$t.rc" || echo $? >"$logs/$t.rc"
}
parallel="${FUZZ_PARALLEL:-1}"
for t in "${targets[@]}"; do
  run "$t" &
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
done
wait || true

failed=0
printf '%-10s %14s %8s %s\n' target runs crashes seconds
for t in "${targets[@]}"; do
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)"
  crashes=0
  if [ "$(cat "$logs/$t.rc")" != 0 ]; then
    crashes=1
    failed=1
    grep -m3 -E 'panicked|ERROR: libFuzzer|Test unit written' "$logs/$t.log" >&2 || tail -20 "$logs/$t.log" >&2
  fi
  took="$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$logs/$t.log" | tail -1)"
  printf '%-10s %14s %8s %s\n' "$t" "${runs:-?}" "$crashes" "${took:-$seconds}"
done
exit "$failed"
