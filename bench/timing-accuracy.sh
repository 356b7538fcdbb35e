#!/usr/bin/env bash
# How exactly faultline measures, on 127.0.0.1 only (issue 7, items 2 and 3).
#
# Part 1, timing accuracy: the demo target answers after exactly LATENCY_MS (no jitter, no
# errors; pinned to CPU 1); faultline sends RATE req/s at a constant rate for DURATION
# (pinned to CPU 0, one thread). It prints P50 and P99 with their error against LATENCY_MS,
# the send lag P99 (achieved vs intended send time), the loop lag P99 and the generator's CPU,
# and PASS/MISS per goal:
#   P50 within 1% of LATENCY_MS, P99 within 2 ms of it, send lag P99 below 1 ms.
# The same shape then runs with a peer fixed-rate tool when Debian has one (vegeta, wrk2 and
# k6 are not packaged in Debian 12; `hey -q` is, and sends at a fixed rate per worker while
# the latency stays below 1/q), for comparison.
#
# Part 2, coordinated omission: a target answering in 1-3 ms stalls EVERY response for
# STALL_FOR seconds, STALL_AT seconds after its first request, during a CO_DURATION run.
# wrk and hey (closed loop, 4 connections) and faultline (open model, CO_RATE req/s on 4
# connections) each get a fresh target. A closed-loop tool sends next to nothing while the
# target is stalled, so its raw P99 hides the stall (hey; faultline's service time, measured
# from the actual send, is the same figure). wrk 4 corrects its histogram after the run
# (stats_correct: synthetic samples at its mean per-connection interval), so its P99 shows
# the stall, approximately. faultline's latency, from the intended send time, shows it exactly.
#
# Environment:
#   DURATION     seconds of the accuracy run (default 30)
#   RATE         requests per second of the accuracy run (default 500)
#   LATENCY_MS   the target's fixed delay (default 50)
#   CO_DURATION  seconds of each coordinated-omission run (default 10)
#   CO_RATE      faultline's rate in part 2 (default 100)
#   STALL_AT, STALL_FOR  the stall, seconds (default 3 and 2)
#   PARTS        "accuracy co" (default), or one of them
#   PEER         auto (default: hey if apt has it) or none
#   FAULTLINE    faultline binary (default build/release/cli/faultline)
#   DEMO_TARGET  demo target binary (default build/release/examples/faultline-demo-target)
#   KEEP_TMP     1: keep the temporary directory (outputs, JSON)
set -euo pipefail

DURATION=${DURATION:-30}
RATE=${RATE:-500}
LATENCY_MS=${LATENCY_MS:-50}
CO_DURATION=${CO_DURATION:-10}
CO_RATE=${CO_RATE:-100}
STALL_AT=${STALL_AT:-3}
STALL_FOR=${STALL_FOR:-2}
PARTS=${PARTS:-accuracy co}
PEER=${PEER:-auto}
CO_CONNECTIONS=4
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FAULTLINE=${FAULTLINE:-$repo_root/build/release/cli/faultline}
DEMO_TARGET=${DEMO_TARGET:-$repo_root/build/release/examples/faultline-demo-target}

die() { echo "timing-accuracy: $*" >&2; exit 1; }

sudo_cmd() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
    sudo_cmd apt-get install -y "$@" >/dev/null 2>&1 ||
        { sudo_cmd apt-get update >/dev/null 2>&1 && sudo_cmd apt-get install -y "$@" >/dev/null 2>&1; }
}

# True when apt knows a candidate version of the package.
apt_has() { apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [0-9]'; }

install_missing() {
    local missing=()
    [ -x /usr/bin/time ] || missing+=(time)
    command -v taskset >/dev/null || missing+=(util-linux)
    command -v jq >/dev/null || missing+=(jq)
    case " $PARTS " in *" co "*) command -v wrk >/dev/null || missing+=(wrk) ;; esac
    if [ ${#missing[@]} -gt 0 ]; then
        echo "installing: ${missing[*]}"
        apt_install "${missing[@]}" || die "cannot install ${missing[*]}"
    fi
}

# The peer fixed-rate tool to compare with: sets peer (empty: none).
pick_peer() {
    peer=""
    [ "$PEER" = none ] && return
    local p
    for p in vegeta wrk2 k6; do
        apt_has "$p" && echo "note: $p is packaged here but this script only drives hey"
    done
    if command -v hey >/dev/null || { apt_has hey && apt_install hey; }; then peer=hey; fi
    [ -n "$peer" ] || echo "no fixed-rate peer tool in this system's packages (vegeta, wrk2, k6, hey): faultline only"
}

# Starts the demo target on CPU 1 with the given flags; sets target_pid and url.
start_target() {
    local log="$tmp/target-$1.log"
    shift
    : >"$log"
    taskset -c 1 "$DEMO_TARGET" --port 0 --error-rate 0 "$@" >"$log" 2>&1 &
    target_pid=$!
    for _ in $(seq 100); do
        if grep -q '^listening on ' "$log"; then
            url="$(sed -n 's/^listening on //p' "$log" | head -n1)/"
            return
        fi
        kill -0 "$target_pid" 2>/dev/null || die "the demo target did not start: $(cat "$log")"
        sleep 0.05
    done
    die "the demo target printed no 'listening on' line in 5 s"
}

stop_target() {
    if [ -n "${target_pid:-}" ] && kill -0 "$target_pid" 2>/dev/null; then
        kill -TERM "$target_pid" 2>/dev/null || true
        for _ in $(seq 40); do kill -0 "$target_pid" 2>/dev/null || break; sleep 0.05; done
        kill -KILL "$target_pid" 2>/dev/null || true
        wait "$target_pid" 2>/dev/null || true
    fi
    target_pid=""
}

cleanup() {
    stop_target
    if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}

# CPU % (user + system over wall) from a `/usr/bin/time -f "%U %S %e"` output file.
cpu_pct() { tail -n1 "$1" | awk '{ if ($3 > 0) printf "%.1f", 100 * ($1 + $2) / $3; else print "n/a" }'; }

# awk helpers: |a - b|, a relative to b in %, and a verdict.
abs_diff() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; printf "%.3f", d }'; }
pct_of() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", 100 * a / b }'; }
verdict() { awk -v v="$1" -v limit="$2" 'BEGIN { print (v < limit) ? "PASS" : "MISS" }'; }

# "3.21ms", "812.00us", "2.00s" (wrk's units) -> milliseconds.
wrk_ms() {
    awk -v t="$1" 'BEGIN {
        n = t + 0; u = t; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.3f", n }'
}

run_faultline() {  # name, then faultline run flags; writes $tmp/NAME.json
    local name=$1 rc=0
    shift
    taskset -c 0 /usr/bin/time -f "%U %S %e" -o "$tmp/$name.time" \
        "$FAULTLINE" run --url "$url" "$@" --threads 1 --quiet --json "$tmp/$name.json" >"$tmp/$name.txt" 2>&1 || rc=$?
    [ -s "$tmp/$name.json" ] || die "faultline wrote no JSON (exit $rc): $(tail -n 20 "$tmp/$name.txt")"
    [ "$rc" -eq 0 ] || echo "  (faultline exited with $rc; using its JSON anyway)"
}

accuracy() {
    local expected=$LATENCY_MS
    start_target accuracy --latency "${LATENCY_MS}ms" --jitter 0
    echo "== timing accuracy: target answers after exactly ${LATENCY_MS} ms (CPU 1), ${RATE} req/s for ${DURATION}s (generator on CPU 0)"
    run_faultline accuracy --rate "$RATE" --duration "${DURATION}s"
    local j="$tmp/accuracy.json"
    local requests p50 p99 send99 loop99 own_cpu bottleneck errors
    requests=$(jq -r .requests "$j")
    errors=$(jq -r '[.errors[]] | add' "$j")
    p50=$(jq -r .latency_ms.p50 "$j")
    p99=$(jq -r .latency_ms.p99 "$j")
    send99=$(jq -r .send_lag_ms.p99 "$j")
    loop99=$(jq -r .loop_lag_ms.p99 "$j")
    own_cpu=$(jq -r .generator_cpu_pct "$j")
    bottleneck=$(jq -r 'if has("generator_bottleneck") then .generator_bottleneck else "n/a" end' "$j")
    local p50_err p99_err
    p50_err=$(pct_of "$(abs_diff "$p50" "$expected")" "$expected")
    p99_err=$(abs_diff "$p99" "$expected")
    printf '  faultline: %s requests, %s failed, rps %s\n' "$requests" "$errors" "$(jq -r .rps "$j")"
    printf '  %-26s %10s ms   error %6s%%   (goal < 1%%)     %s\n' "P50 (corrected)" "$p50" "$p50_err" "$(verdict "$p50_err" 1)"
    printf '  %-26s %10s ms   error %6s ms  (goal < 2 ms)    %s\n' "P99 (corrected)" "$p99" "$p99_err" "$(verdict "$p99_err" 2)"
    printf '  %-26s %10s ms                  (goal < 1 ms)    %s\n' "send lag P99" "$send99" "$(verdict "$send99" 1)"
    printf '  %-26s %10s ms   service time P50 %s ms, P99 %s ms\n' "loop lag P99" "$loop99" \
        "$(jq -r .service_time_ms.p50 "$j")" "$(jq -r .service_time_ms.p99 "$j")"
    printf '  %-26s %10s %%    (measured outside: %s%%), generator_bottleneck %s\n' "generator CPU" "$own_cpu" \
        "$(cpu_pct "$tmp/accuracy.time")" "$bottleneck"

    if [ "$peer" = hey ]; then
        # 50 workers at RATE/50 each: one request per worker every 50/RATE s (100 ms at 500/s),
        # well above the target's latency, so every worker sends on its own ticks.
        local workers=50
        local per_worker
        per_worker=$(awk -v r="$RATE" -v w="$workers" 'BEGIN { printf "%g", r / w }')
        taskset -c 0 /usr/bin/time -f "%U %S %e" -o "$tmp/hey.time" \
            hey -z "${DURATION}s" -c "$workers" -q "$per_worker" -disable-compression "$url" >"$tmp/hey.txt" 2>&1 ||
            die "hey failed: $(tail -n 5 "$tmp/hey.txt")"
        local h50 h99 hrps
        h50=$(awk '/ 50% in / { printf "%.3f", $3 * 1000 }' "$tmp/hey.txt")
        h99=$(awk '/ 99% in / { printf "%.3f", $3 * 1000 }' "$tmp/hey.txt")
        hrps=$(awk '/Requests\/sec:/ { print $2 }' "$tmp/hey.txt")
        [ -n "$h50" ] && [ -n "$h99" ] || die "cannot read hey's output: $(cat "$tmp/hey.txt")"
        printf '  hey -c %s -q %s (peer, rps %s; latency from its actual send, no send-lag figure):\n' "$workers" "$per_worker" "$hrps"
        printf '  %-26s %10s ms   error %6s%%\n' "P50" "$h50" "$(pct_of "$(abs_diff "$h50" "$expected")" "$expected")"
        printf '  %-26s %10s ms   error %6s ms\n' "P99" "$h99" "$(abs_diff "$h99" "$expected")"
        printf '  %-26s %10s %%\n' "generator CPU" "$(cpu_pct "$tmp/hey.time")"
    fi
    stop_target
}

coordinated_omission() {
    local stall=(--latency 2ms --jitter 1ms --stall-at "${STALL_AT}s" --stall-for "${STALL_FOR}s")
    echo
    echo "== coordinated omission: every response held for ${STALL_FOR}s, ${STALL_AT}s after the first request (1-3 ms otherwise), ${CO_DURATION}s runs, $CO_CONNECTIONS connections each"
    start_target co-wrk "${stall[@]}"
    taskset -c 0 wrk -t1 -c"$CO_CONNECTIONS" -d"${CO_DURATION}s" --timeout 10s --latency "$url" >"$tmp/wrk.txt"
    stop_target
    local w99 wmax wreq
    w99=$(wrk_ms "$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.txt")")
    wmax=$(wrk_ms "$(awk '$1 == "Latency" { print $4 }' "$tmp/wrk.txt")")
    wreq=$(awk '/ requests in / { print $1 }' "$tmp/wrk.txt")

    local h99="" hmax="" hreq=""
    if [ "$peer" = hey ]; then
        start_target co-hey "${stall[@]}"
        taskset -c 0 hey -z "${CO_DURATION}s" -c "$CO_CONNECTIONS" -t 10 -disable-compression "$url" >"$tmp/hey-co.txt" 2>&1 ||
            die "hey failed: $(tail -n 5 "$tmp/hey-co.txt")"
        stop_target
        h99=$(awk '/ 99% in / { printf "%.3f", $3 * 1000 }' "$tmp/hey-co.txt")
        hmax=$(awk '/Slowest:/ { printf "%.3f", $2 * 1000 }' "$tmp/hey-co.txt")
        hreq=$(awk '/\[200\]/ { print $2 }' "$tmp/hey-co.txt")
    fi

    start_target co-faultline "${stall[@]}"
    # Few connections, as the closed-loop tools: the stalled arrivals wait for one, and the
    # pending queue is big enough to hold them all.
    run_faultline co --rate "$CO_RATE" --duration "${CO_DURATION}s" --connections "$CO_CONNECTIONS" \
        --max-pending $((CO_RATE * (STALL_FOR + 1)))
    stop_target
    local j="$tmp/co.json"
    local row='  %-52s P99 %10s ms   max %10s ms   (%s requests)\n'
    # shellcheck disable=SC2059
    {
        printf "$row" "wrk -c$CO_CONNECTIONS (closed loop, corrected after the run)" "$w99" "$wmax" "$wreq"
        [ -z "$h99" ] || printf "$row" "hey -c$CO_CONNECTIONS (closed loop, uncorrected)" "$h99" "$hmax" "$hreq"
        printf "$row" "faultline --rate $CO_RATE, latency (from intended send)" \
            "$(jq -r .latency_ms.p99 "$j")" "$(jq -r .latency_ms.max "$j")" "$(jq -r .requests "$j")"
        printf "$row" "faultline, service time (from actual send)" \
            "$(jq -r .service_time_ms.p99 "$j")" "$(jq -r .service_time_ms.max "$j")" "$(jq -r .requests "$j")"
    }
    echo "  Closed loop, each connection had one request held through the stall and sent nothing else:"
    echo "  a handful of slow samples among thousands, so the raw P99 stays at the normal latency"
    echo "  (hey, faultline's service time). wrk 4 adds synthetic samples after the run at its mean"
    echo "  per-connection interval (stats_correct), which brings the stall back into its P99."
    echo "  faultline's latency times every request from its place in the schedule, as wrk2 does."
}

main() {
    [ "$(nproc)" -ge 2 ] || die "needs 2 CPUs (generator on CPU 0, target on CPU 1)"
    [ -x "$FAULTLINE" ] || die "no faultline binary at $FAULTLINE (build it, or set FAULTLINE=...)"
    [ -x "$DEMO_TARGET" ] || die "no demo target at $DEMO_TARGET (build it, or set DEMO_TARGET=...)"
    install_missing
    pick_peer
    tmp=$(mktemp -d -t faultline-timing.XXXXXX)
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    case " $PARTS " in *" accuracy "*) accuracy ;; esac
    case " $PARTS " in *" co "*) coordinated_omission ;; esac
}

main "$@"
