#!/usr/bin/env bash
# ctest -L fuzz: runs one fuzz target for a bounded time over its checked-in
# seeds (fuzz/corpus/NAME) after every regression input (fuzz/regressions/
# NAME, each a crash a campaign found, now fixed). New inputs go to a
# scratch directory, never into the source tree.
#   run-fuzzer.sh BINARY FUZZ_DIR NAME SECONDS [RUNS]
set -euo pipefail
bin=$1 dir=$2 name=$3 secs=$4 runs=${5:-0}
work=$(mktemp -d "${TMPDIR:-/tmp}/vl-fuzz-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
# A target's own scratch files (fuzz-prefilter's directory) go with it.
export TMPDIR=$work
export LSAN_OPTIONS="suppressions=$dir/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
regs=("$dir/regressions/$name"/*)
if [ -e "${regs[0]}" ]; then
  "$bin" -runs=1 "${regs[@]}"
fi
# SECONDS 0 (the default of ctest -L fuzz, so that CI is deterministic):
# every seed run once, then RUNS executions of mutations with a fixed
# seed (-seed=18): the same inputs on every run of the same checkout, so
# CI cannot fail at random, yet each run tries RUNS inputs no test wrote.
# Exploring is for campaigns (docs/fuzzing.md): -DFUZZ_SECONDS=N, or the
# binary itself.
mkdir -p new
if [ "$secs" = 0 ]; then
  seeds=("$dir/corpus/$name"/*)
  "$bin" -runs=1 "${seeds[@]}" 2>&1 | tail -3
  [ "${PIPESTATUS[0]}" = 0 ] || exit 1
  if [ "$runs" -gt 0 ]; then
    "$bin" -seed=18 -runs="$runs" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
      new "$dir/corpus/$name" 2>&1 | grep -E '^(stat::number_of_executed_units|stat::new_units_added|Done|==|SUMMARY|Test unit|property)' | tail -8
    exit "${PIPESTATUS[0]}"
  fi
  exit 0
fi
"$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
  new "$dir/corpus/$name" 2>&1 | grep -E '^(#|stat::|INFO: seed|==|SUMMARY|Test unit)' | tail -12
exit "${PIPESTATUS[0]}"
