#!/usr/bin/env bash
# Compare faultline's load generator with wrk (and hey) against the same nginx, on 127.0.0.1 only.
#
# nginx (one worker) is pinned to CPU 1, each generator in turn to CPU 0, 50 keep-alive
# connections on one generator thread. For each generator it reports requests/s and requests
# per generator CPU-second (user + system time of the generator process), then the ratio
# faultline/wrk of both. See bench/README.md.
#
# Environment:
#   DURATION   seconds per run (default 5)
#   RUNS       interleaved wrk/faultline run rounds; medians are reported (default 5: on a
#              shared VM single runs of either tool vary by +-10%)
#   FAULTLINE  faultline binary (default build/release/cli/faultline)
#   WRK_ONLY   1: run only the nginx + wrk half (no faultline needed)
#   HEY        0: leave hey out (default 1: hey -c CONNECTIONS -z DURATION, keep-alive)
#   KEEP_TMP   1: keep the temporary directory (nginx config, outputs) for inspection
set -euo pipefail

DURATION=${DURATION:-5}
RUNS=${RUNS:-5}
WRK_ONLY=${WRK_ONLY:-0}
HEY=${HEY:-1}
CONNECTIONS=${CONNECTIONS:-50}
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FAULTLINE=${FAULTLINE:-$repo_root/build/release/cli/faultline}

die() { echo "driver-vs-wrk: $*" >&2; exit 1; }
# shellcheck source=bench/lib/nginx.sh
source "$repo_root/bench/lib/nginx.sh"

install_missing() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    [ "$HEY" != 1 ] || command -v hey >/dev/null || missing+=(hey)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    [ -x /usr/bin/time ] || missing+=(time)
    command -v taskset >/dev/null || missing+=(util-linux)
    apt_install ${missing[@]+"${missing[@]}"}
}

# Value of a top-level numeric key in a JSON file.
json_number() {
    local file=$1 key=$2
    if command -v python3 >/dev/null; then
        python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$file" "$key"
    elif command -v jq >/dev/null; then
        jq -r ".$key" "$file"
    else
        grep -o "\"$key\"[[:space:]]*:[[:space:]]*[-0-9.eE+]*" "$file" | head -n1 | sed 's/.*:[[:space:]]*//'
    fi
}

# CPU seconds (user + system) from a `/usr/bin/time -f "%U %S"` output file.
cpu_seconds() { tail -n1 "$1" | awk '{ printf "%.3f", $1 + $2 }'; }

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

cleanup() {
    stop_nginx
    if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}

# Sets wrk_rps, wrk_per_cpu.
run_wrk() {
    local out="$tmp/wrk-$1.txt" cpu="$tmp/wrk-$1.time"
    taskset -c 0 /usr/bin/time -f "%U %S" -o "$cpu" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" "$url" >"$out"
    local requests
    requests=$(awk '/ requests in / { print $1 }' "$out")
    wrk_rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    [ -n "$requests" ] && [ -n "$wrk_rps" ] || die "cannot read wrk's output: $(cat "$out")"
    local cpu_s
    cpu_s=$(cpu_seconds "$cpu")
    wrk_per_cpu=$(ratio "$requests" "$cpu_s")
    printf '  wrk       run %d: %10.0f req/s  %10.0f req per CPU-s  (%s requests, %s CPU-s)\n' \
        "$1" "$wrk_rps" "$wrk_per_cpu" "$requests" "$cpu_s"
}

# Sets hey_rps, hey_per_cpu. hey is Go: GOMAXPROCS=1 and the pinning keep it on one CPU
# like the other two.
run_hey() {
    local out="$tmp/hey-$1.txt" cpu="$tmp/hey-$1.time"
    GOMAXPROCS=1 taskset -c 0 /usr/bin/time -f "%U %S" -o "$cpu" hey -c "$CONNECTIONS" -z "${DURATION}s" "$url" >"$out"
    local requests
    requests=$(awk '/^  \[[0-9]+\]/ { n += $2 } END { print n + 0 }' "$out")
    hey_rps=$(awk '/Requests\/sec:/ { print $2 }' "$out")
    [ "$requests" -gt 0 ] && [ -n "$hey_rps" ] || die "cannot read hey's output: $(cat "$out")"
    local cpu_s
    cpu_s=$(cpu_seconds "$cpu")
    hey_per_cpu=$(ratio "$requests" "$cpu_s")
    printf '  hey       run %d: %10.0f req/s  %10.0f req per CPU-s  (%s requests, %s CPU-s)\n' \
        "$1" "$hey_rps" "$hey_per_cpu" "$requests" "$cpu_s"
}

# Sets fl_rps, fl_per_cpu.
run_faultline() {
    local json="$tmp/faultline-$1.json" cpu="$tmp/faultline-$1.time" rc=0
    taskset -c 0 /usr/bin/time -f "%U %S" -o "$cpu" "$FAULTLINE" run --url "$url" --vus "$CONNECTIONS" \
        --threads 1 --duration "${DURATION}s" --json "$json" >"$tmp/faultline-$1.txt" 2>&1 || rc=$?
    [ -s "$json" ] || die "faultline wrote no JSON (exit $rc): $(tail -n 20 "$tmp/faultline-$1.txt")"
    [ "$rc" -eq 0 ] || echo "  (faultline exited with $rc; using its JSON anyway)"
    local requests cpu_s own_pct
    requests=$(json_number "$json" requests)
    fl_rps=$(json_number "$json" rps)
    own_pct=$(json_number "$json" generator_cpu_pct)
    cpu_s=$(cpu_seconds "$cpu")
    fl_per_cpu=$(ratio "$requests" "$cpu_s")
    printf '  faultline run %d: %10.0f req/s  %10.0f req per CPU-s  (%s requests, %s CPU-s; it reports %s%% CPU)\n' \
        "$1" "$fl_rps" "$fl_per_cpu" "$requests" "$cpu_s" "$own_pct"
}

main() {
    [ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (generator on CPU 0, nginx on CPU 1)"
    install_missing
    if [ "$WRK_ONLY" != 1 ]; then
        [ -x "$FAULTLINE" ] || die "no faultline binary at $FAULTLINE (build it, or set FAULTLINE=...)"
    fi
    tmp=$(mktemp -d -t faultline-bench.XXXXXX)
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    port=$(free_port)
    url="http://127.0.0.1:$port/"
    start_nginx
    echo "nginx (1 worker, CPU 1) at $url; generators on CPU 0, $CONNECTIONS connections, 1 thread, ${DURATION}s x $RUNS"

    local wrk_rps_all=() wrk_cpu_all=() fl_rps_all=() fl_cpu_all=() hey_rps_all=() hey_cpu_all=()
    for run in $(seq "$RUNS"); do
        run_wrk "$run"
        wrk_rps_all+=("$wrk_rps")
        wrk_cpu_all+=("$wrk_per_cpu")
        if [ "$HEY" = 1 ]; then
            run_hey "$run"
            hey_rps_all+=("$hey_rps")
            hey_cpu_all+=("$hey_per_cpu")
        fi
        if [ "$WRK_ONLY" != 1 ]; then
            run_faultline "$run"
            fl_rps_all+=("$fl_rps")
            fl_cpu_all+=("$fl_per_cpu")
        fi
    done

    local w_rps w_cpu
    w_rps=$(median "${wrk_rps_all[@]}")
    w_cpu=$(median "${wrk_cpu_all[@]}")
    echo
    printf '%-10s %12s %22s\n' generator "req/s" "req per CPU-second"
    printf '%-10s %12.0f %22.0f\n' wrk "$w_rps" "$w_cpu"
    local h_rps h_cpu
    if [ "$HEY" = 1 ]; then
        h_rps=$(median "${hey_rps_all[@]}")
        h_cpu=$(median "${hey_cpu_all[@]}")
        printf '%-10s %12.0f %22.0f\n' hey "$h_rps" "$h_cpu"
    fi
    if [ "$WRK_ONLY" != 1 ]; then
        local f_rps f_cpu
        f_rps=$(median "${fl_rps_all[@]}")
        f_cpu=$(median "${fl_cpu_all[@]}")
        printf '%-10s %12.0f %22.0f\n' faultline "$f_rps" "$f_cpu"
        local vs_wrk pair_ratios=() i
        vs_wrk=$(ratio "$f_cpu" "$w_cpu")
        # Each round's two runs are seconds apart, so their ratio cancels slow drift in the
        # machine's speed; its median is shown beside the ratio of the medians.
        for i in "${!fl_cpu_all[@]}"; do pair_ratios+=("$(ratio "${fl_cpu_all[$i]}" "${wrk_cpu_all[$i]}")"); done
        printf 'faultline/wrk per round (req per CPU-second): %s; median %sx\n' "${pair_ratios[*]}" "$(median "${pair_ratios[@]}")"
        printf 'faultline/wrk: %sx req/s, %sx req per CPU-second (goal >= 1.0x per CPU-second: %s)\n' \
            "$(ratio "$f_rps" "$w_rps")" "$vs_wrk" "$(awk -v r="$vs_wrk" 'BEGIN { print (r >= 1.0) ? "PASS" : "MISS" }')"
        if [ "$HEY" = 1 ]; then
            local vs_hey
            vs_hey=$(ratio "$f_cpu" "$h_cpu")
            printf 'faultline/hey: %sx req/s, %sx req per CPU-second (goal >= 2.0x per CPU-second: %s)\n' \
                "$(ratio "$f_rps" "$h_rps")" "$vs_hey" "$(awk -v r="$vs_hey" 'BEGIN { print (r >= 2.0) ? "PASS" : "MISS" }')"
        fi
    fi
}

main "$@"
