#!/usr/bin/env bash
# Scale and memory: faultline holding many keep-alive connections to nginx, on 127.0.0.1.
#
# A closed-model scenario with CONNECTIONS virtual users (one connection each) and a think
# time between requests keeps every connection open and busy at CONNECTIONS/THINK req/s.
# faultline's RSS (VmRSS) is sampled once a second; the script prints the peak, the RSS at
# 10% and at the end of the run (flat memory: the difference stays small whatever the run
# length), the connections established at mid-run (ss), and checks the goals of issue 7:
# 10,000 connections under 200 MiB RSS, no growth over the run.
#
# Environment:
#   CONNECTIONS  virtual users = connections (default 10000)
#   DURATION     seconds (default 60; RSS_FLAT=1 makes it 300, the 5-minute flatness run)
#   THINK        think time per iteration (default 1s)
#   FAULTLINE    faultline binary (default build/release/cli/faultline)
#   KEEP_TMP     1: keep the temporary directory
set -euo pipefail

CONNECTIONS=${CONNECTIONS:-10000}
DURATION=${DURATION:-60}
[ "${RSS_FLAT:-0}" = 1 ] && DURATION=300
THINK=${THINK:-1s}
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FAULTLINE=${FAULTLINE:-$repo_root/build/release/cli/faultline}
RSS_LIMIT_MIB=200
# nginx and faultline each need a descriptor per connection plus a few.
NOFILE=$((CONNECTIONS + 1000))

die() { echo "driver-scale: $*" >&2; exit 1; }
# shellcheck source=bench/lib/nginx.sh
source "$repo_root/bench/lib/nginx.sh"

install_missing() {
    local missing=()
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    command -v ss >/dev/null || missing+=(iproute2)
    command -v python3 >/dev/null || missing+=(python3)
    apt_install ${missing[@]+"${missing[@]}"}
}


json_number() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true; }

cleanup() {
    [ -n "${fl_pid:-}" ] && kill "$fl_pid" 2>/dev/null || true
    stop_nginx
    if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}

main() {
    install_missing
    [ -x "$FAULTLINE" ] || die "no faultline binary at $FAULTLINE"
    [ "$(ulimit -Hn)" -ge "$NOFILE" ] || die "the hard descriptor limit ($(ulimit -Hn)) is below $NOFILE"
    ulimit -n "$NOFILE"
    tmp=$(mktemp -d -t faultline-scale.XXXXXX)
    trap cleanup EXIT
    trap 'exit 130' INT TERM
    port=$(free_port)
    NGINX_CONNECTIONS=$NOFILE start_nginx
    cat >"$tmp/scale.yaml" <<YAML
name: scale
target: http://127.0.0.1:$port
http: { connections: $CONNECTIONS, timeout: 30s }
load: { model: closed, vus: $CONNECTIONS, duration: ${DURATION}s }
flow:
  - name: root
    request: { path: / }
  - think: $THINK
YAML
    echo "nginx (1 worker, CPU 1) at 127.0.0.1:$port; faultline on CPU 0: $CONNECTIONS VUs/connections, think $THINK, ${DURATION}s"
    taskset -c 0 "$FAULTLINE" run "$tmp/scale.yaml" --threads 1 --quiet --json "$tmp/result.json" >"$tmp/faultline.txt" 2>&1 &
    fl_pid=$!
    local samples=() t=0 established=0 mid=$((DURATION / 2))
    while kill -0 "$fl_pid" 2>/dev/null; do
        local r
        r=$(rss_kib "$fl_pid")
        [ -n "$r" ] && samples+=("$r")
        if [ "$t" -eq "$mid" ]; then
            established=$(ss -Htn state established "( dport = :$port )" | wc -l)
        fi
        sleep 1
        t=$((t + 1))
    done
    local rc=0
    wait "$fl_pid" || rc=$?
    fl_pid=
    [ -s "$tmp/result.json" ] || die "faultline wrote no result (exit $rc): $(tail -n 20 "$tmp/faultline.txt")"
    [ ${#samples[@]} -ge 3 ] || die "too few RSS samples"
    local n=${#samples[@]}
    local early=${samples[$((n / 10))]} last=${samples[$((n - 2))]} peak=0
    for s in "${samples[@]}"; do [ "$s" -gt "$peak" ] && peak=$s; done
    local requests errors
    requests=$(json_number "$tmp/result.json" requests)
    errors=$(python3 -c 'import json, sys; print(sum(json.load(open(sys.argv[1]))["errors"].values()))' "$tmp/result.json")
    echo
    printf 'requests %s, errors %s, exit %s\n' "$requests" "$errors" "$rc"
    printf 'connections established at %ss: %s (goal %s)\n' "$mid" "$established" "$CONNECTIONS"
    awk -v p="$peak" -v e="$early" -v l="$last" -v lim="$RSS_LIMIT_MIB" -v d="$DURATION" 'BEGIN {
        printf "RSS peak %.1f MiB (goal < %d MiB): %s\n", p / 1024, lim, (p / 1024 < lim) ? "PASS" : "MISS"
        printf "RSS at 10%% of the run %.1f MiB, at the end %.1f MiB: growth %.1f MiB over %d s (%+.1f%%)\n",
            e / 1024, l / 1024, (l - e) / 1024, d * 0.9, 100 * (l - e) / e
    }'
    [ "$established" -ge "$CONNECTIONS" ] && echo "connections: PASS" || echo "connections: MISS"
}

main "$@"
