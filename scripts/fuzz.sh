#!/usr/bin/env bash
# Runs every cargo-fuzz target for a number of executions (default 10 million) or, with a
# trailing `s` (`300s`), for a set time, and prints the libFuzzer summary line of each. Needs the nightly toolchain (`rustup toolchain list`) and
# cargo-fuzz (`cargo +nightly install cargo-fuzz`). Committed seeds are in fuzz/seeds/<target>;
# the growing corpus goes to fuzz/corpus/<target> (not committed); crashes to fuzz/artifacts.
#
#   scripts/fuzz.sh [runs per target | seconds per target followed by s] [parallel jobs]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
runs=${1:-10000000}
jobs=${2:-2}
targets=(cookie_header values signature csrf_token consent_record origin sealed)
cargo +nightly fuzz build -O
run_one() {
  local t=$1
  mkdir -p "corpus/$t"
  local log; log=$(mktemp)
  local limit="-runs=$runs"
  [[ $runs == *s ]] && limit="-max_total_time=${runs%s}"
  if cargo +nightly fuzz run -O "$t" "corpus/$t" "seeds/$t" -- "$limit" -max_len=8192 -print_final_stats=1 >"$log" 2>&1; then
    echo "$t: $(grep -E '^Done [0-9]+ runs' "$log") ($(grep -E 'stat::number_of_executed_units' "$log" | awk '{print $2}') executions, $(grep -E 'stat::new_units_added' "$log" | awk '{print $2}') new units)"
  else
    echo "$t: FAILED"; tail -40 "$log"; return 1
  fi
  rm -f "$log"
}
export -f run_one
export runs
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one {}'
