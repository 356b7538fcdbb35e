#!/usr/bin/env bash
# Builds the libFuzzer targets (CMake preset `fuzz`: clang++, ASan + UBSan) and runs each one
# for FUZZ_SECONDS on a scratch copy of its seed corpus (tests/fuzz/corpus/<name>), so the
# repository's corpus never changes. Fails on any crash, leak, timeout, out-of-memory or
# sanitizer report; prints one summary line per fuzzer.
#
#   FUZZ_SECONDS   run time of each fuzzer (default 300; `make test` uses 20)
#   FUZZ_JOBS      fuzzers run at the same time (default: the number of cores, at most 4)
#   FUZZERS        names to run (default: all four)
#   JOBS           build parallelism (default: the number of cores)
#
# Everything a run writes is under build/fuzz/runs/<name>/: log, corpus/ (seeds + what the
# run found), and crash-*/leak-*/timeout-*/oom-* inputs (reproduce one with
# `build/fuzz/tests/fuzz/<name> FILE`). See docs/development.md, "Fuzzing".
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-300}
JOBS=${JOBS:-$(nproc)}
FUZZ_JOBS=${FUZZ_JOBS:-$(( $(nproc) < 4 ? $(nproc) : 4 ))}
FUZZERS=${FUZZERS:-"fuzz_scenario_loader fuzz_proxy_api fuzz_hdr_decode fuzz_http_response"}
# Same ccache settings as the Makefile, for runs outside make.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD}
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-true}

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$JOBS"

bin_dir=build/fuzz/tests/fuzz
runs_dir=build/fuzz/runs
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
  local name=$1 dir=$runs_dir/$1
  rm -rf "$dir"
  mkdir -p "$dir/corpus"
  cp -R "tests/fuzz/corpus/$name/." "$dir/corpus/"
  local dict=()
  [[ -f tests/fuzz/$name.dict ]] && dict=("-dict=tests/fuzz/$name.dict")
  local rc=0
  "$bin_dir/$name" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -timeout=30 -detect_leaks=1 \
    -print_final_stats=1 -artifact_prefix="$dir/" "${dict[@]}" "$dir/corpus" >"$dir/log" 2>&1 || rc=$?
  echo "$rc" >"$dir/rc"
}

summary() {
  local name=$1 dir=$runs_dir/$1 rc
  rc=$(cat "$dir/rc")
  local execs cov ft corpus seeds
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2)
  corpus=$(find "$dir/corpus" -type f | wc -l)
  seeds=$(find "tests/fuzz/corpus/$name" -type f | wc -l)
  local findings
  findings=$(find "$dir" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' -o -name 'slow-unit-*' \) | wc -l)
  # A sanitizer report is a failure even if the process somehow exited 0.
  local reports
  reports=$(grep -cE '^==[0-9]+==ERROR|runtime error:|ERROR: libFuzzer|LeakSanitizer' "$dir/log" || true)
  local verdict=ok
  if [[ $rc != 0 || $findings != 0 || $reports != 0 ]]; then verdict=FAILED; fi
  printf '%-22s %-6s %10s execs in %ss, cov %s, ft %s, corpus %s (%s seeds)\n' \
    "$name" "$verdict" "${execs:-?}" "$FUZZ_SECONDS" "${cov:-?}" "${ft:-?}" "$corpus" "$seeds"
  if [[ $verdict != ok ]]; then
    echo "---- $name: exit $rc, $findings input(s) saved in $dir, log $dir/log (last 60 lines):"
    tail -n 60 "$dir/log"
    echo "----"
    return 1
  fi
}

echo "fuzzing $FUZZERS for ${FUZZ_SECONDS}s each, $FUZZ_JOBS at a time"
start=$SECONDS
running=0
for name in $FUZZERS; do
  run_one "$name" &
  running=$((running + 1))
  if (( running >= FUZZ_JOBS )); then wait -n || true; running=$((running - 1)); fi
done
wait || true

failed=0
for name in $FUZZERS; do summary "$name" || failed=1; done
echo "fuzzing took $((SECONDS - start))s"
exit "$failed"
