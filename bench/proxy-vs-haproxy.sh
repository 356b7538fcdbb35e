#!/usr/bin/env bash
# `faultline proxy` against HAProxy (TCP mode) and the direct path, with the same nginx
# upstream and the same wrk/curl load, all on 127.0.0.1. Goals (issue 7, item 5):
#   1. no toxics, saturated (wrk -c$CONNECTIONS): faultline req/s >= 0.70x HAProxy's
#   2. no toxics, unloaded (wrk -c1, no queueing): faultline adds <= 50 us to the direct P50
#   3. a latency toxic (100 ms, jitter 0, downstream) added through the REST API: the proxy
#      holds each response 100 ms +-1 ms at P99, timed on the wire (tcpdump on lo: from nginx's
#      response packet to the proxy's packet to the client). The end-to-end wrk latency is shown
#      too: it adds the client's and nginx's wake-ups from idle on this path (see bench/README.md)
#   4. bulk: one proxied connection carrying >= 1 Gbit/s uses < 50% of one core
# Usage: bench/proxy-vs-haproxy.sh
#   env: DURATION=10 (saturated runs, s)  UNLOADED_DURATION=5  LATENCY_DURATION=10
#        WIRE_DURATION=20 (part 3 on the wire: one connection, about 10 responses/s)
#        RUNS=1 (parts 1 and 2: interleaved rounds over the three paths, medians printed)
#        CONNECTIONS=50  LATENCY_CONNECTIONS=10  BULK_MB=1024  BULK_RATE=125M (curl --limit-rate)
#        FAULTLINE=build/release/cli/faultline  KEEP_TMP=1 keeps the temporary directory
# nginx, HAProxy and faultline run pinned to CPU 1, wrk and curl to CPU 0.
set -euo pipefail
DURATION=${DURATION:-10}
UNLOADED_DURATION=${UNLOADED_DURATION:-5}
LATENCY_DURATION=${LATENCY_DURATION:-10}
WIRE_DURATION=${WIRE_DURATION:-20}
CONNECTIONS=${CONNECTIONS:-50}
RUNS=${RUNS:-1}
LATENCY_CONNECTIONS=${LATENCY_CONNECTIONS:-10}
BULK_MB=${BULK_MB:-1024}
BULK_RATE=${BULK_RATE:-125M}
FAULTLINE=${FAULTLINE:-build/release/cli/faultline}
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
need() {
  command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ] && return 0
  echo "installing $2"
  $SUDO apt-get install -y "$2" >/dev/null || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y "$2" >/dev/null; }
}
need wrk wrk; need nginx nginx-light; need haproxy haproxy; need curl curl; need taskset util-linux; need tcpdump tcpdump
[ -x "$FAULTLINE" ] || { echo "build faultline first ($FAULTLINE)"; exit 1; }
export PATH="$PATH:/usr/sbin"

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -n "${KEEP_TMP:-}" ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

NGINX_PORT=$(free_port); HAPROXY_PORT=$(free_port); API_PORT=$(free_port); PROXY_PORT=$(free_port)
API="http://127.0.0.1:$API_PORT"
mkdir -p "$tmp/www"; printf 'hello from nginx\n' > "$tmp/www/index.html"
truncate -s "${BULK_MB}M" "$tmp/www/bulk.bin"  # sparse: no disk used, served from the page cache
cat > "$tmp/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $tmp/nginx.pid; error_log $tmp/nginx.err;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 1000000; sendfile on; tcp_nopush on;
  client_body_temp_path $tmp; proxy_temp_path $tmp; fastcgi_temp_path $tmp; uwsgi_temp_path $tmp; scgi_temp_path $tmp;
  server { listen 127.0.0.1:$NGINX_PORT; root $tmp/www; } }
CONF
taskset -c 1 nginx -c "$tmp/nginx.conf" & pids+=($!)
cat > "$tmp/haproxy.cfg" <<CONF
global
  maxconn 4096
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend f
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend b
backend b
  server s 127.0.0.1:$NGINX_PORT
CONF
taskset -c 1 haproxy -f "$tmp/haproxy.cfg" & HAPROXY_PID=$!; pids+=($HAPROXY_PID)
taskset -c 1 "$FAULTLINE" proxy --port "$API_PORT" > "$tmp/proxy.out" & FAULTLINE_PID=$!; pids+=($FAULTLINE_PID)
for _ in $(seq 50); do
  curl -sf "$API/version" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$NGINX_PORT/" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf -XPOST "$API/proxies" \
  -d "{\"name\":\"nginx\",\"listen\":\"127.0.0.1:$PROXY_PORT\",\"upstream\":\"127.0.0.1:$NGINX_PORT\"}" >/dev/null

to_us() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) {sub(/us/,"",v); print v} else if (v ~ /ms$/) {sub(/ms/,"",v); print v*1000} else {sub(/s$/,"",v); print v*1000000} }'; }
run() {  # name port connections seconds -> "name rps p50_us p99_us"
  local out rps p50 p99
  out=$(taskset -c 0 wrk -t1 -c"$3" -d"${4}s" --timeout 5s --latency "http://127.0.0.1:$2/")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  echo "$1 $rps $(to_us "$p50") $(to_us "$p99")"
}
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime of a pid, in clock ticks
bulk() {  # name port pid -> "name gbit_per_s cpu_pct_of_one_core"
  local t0 c0 out t1 c1
  t0=$(date +%s.%N); c0=$(ticks "$3")
  out=$(taskset -c 0 curl -s -o /dev/null --max-time 60 --limit-rate "$BULK_RATE" \
          -w '%{size_download} %{time_total}' "http://127.0.0.1:$2/bulk.bin")
  t1=$(date +%s.%N); c1=$(ticks "$3")
  awk -v name="$1" -v out="$out" -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" -v hz="$(getconf CLK_TCK)" 'BEGIN {
    split(out, o, " "); printf "%s %.2f %.1f\n", name, o[1] * 8 / o[2] / 1e9, (c1 - c0) / hz / (t1 - t0) * 100 }'
}
# How long the proxy held each response, from nginx's packet to the proxy's packet to the
# client, minus 100 ms: "hold error ms: n N p50 X p99 Y max Z". One client connection, so the
# k-th response from nginx is the k-th one to the client.
wire_hold() {  # seconds
  tcpdump -i lo -n -tt -q -B 16384 "tcp and (src port $NGINX_PORT or src port $PROXY_PORT) and greater 100" \
    > "$tmp/wire.txt" 2> "$tmp/tcpdump.err" & local td=$!
  sleep 1  # tcpdump is listening, and the previous run's held responses have gone out
  kill -0 "$td" 2>/dev/null || return 0
  taskset -c 0 wrk -t1 -c1 -d"${1}s" "http://127.0.0.1:$PROXY_PORT/" > /dev/null
  sleep 0.5; kill "$td"; wait "$td" 2>/dev/null || true
  python3 - "$tmp/wire.txt" "$NGINX_PORT" "$PROXY_PORT" <<'PY'
import re, sys
path, upstream, proxy = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
# Packets by (source port, destination port); responses still held for the connections of
# an earlier run are left out by keeping only the busiest connection in each direction.
flows = {}
for line in open(path):
    m = re.match(r'(\d+\.\d+) IP 127\.0\.0\.1\.(\d+) > 127\.0\.0\.1\.(\d+): tcp (\d+)', line)
    if m and int(m.group(4)) > 0:
        flows.setdefault((int(m.group(2)), int(m.group(3))), []).append(float(m.group(1)))
def busiest(src):
    return max((v for (s, _), v in flows.items() if s == src), key=len, default=[])
ups, downs = busiest(upstream), busiest(proxy)
errors = sorted((d - u) * 1000 - 100 for u, d in zip(ups, downs))
if not errors or any(abs(e) > 50 for e in errors):
    print("hold error ms: could not pair responses (%d from nginx, %d to the client)" % (len(ups), len(downs)))
    sys.exit(0)
n = len(errors)
pick = lambda q: errors[min(n - 1, int(n * q))]
print("hold error ms: n %d p50 %+.3f p99 %+.3f max %+.3f" % (n, pick(0.5), pick(0.99), errors[-1]))
PY
}
verdict() { awk -v ok="$1" 'BEGIN { print (ok ? "PASS" : "MISS") }'; }

median_row() {  # file of "name rps p50 p99" rows -> one row of per-column medians
  awk '{ n++; for (i = 2; i <= 4; i++) v[i, n] = $i; name = $1 }
       END { out = name; for (i = 2; i <= 4; i++) { m = 0;
               for (a = 1; a <= n; a++) { c[a] = v[i, a] } for (a = 1; a <= n; a++) for (b = a + 1; b <= n; b++) if (c[b] + 0 < c[a] + 0) { t = c[a]; c[a] = c[b]; c[b] = t }
               out = out " " (n % 2 ? c[(n + 1) / 2] : (c[n / 2] + c[n / 2 + 1]) / 2) } print out }' "$1"
}
paths() {  # connections seconds label: RUNS interleaved rounds over the three paths, medians
  local r
  : > "$tmp/$3.direct"; : > "$tmp/$3.haproxy"; : > "$tmp/$3.faultline"
  for r in $(seq "$RUNS"); do
    run direct "$NGINX_PORT" "$1" "$2" >> "$tmp/$3.direct"
    run haproxy "$HAPROXY_PORT" "$1" "$2" >> "$tmp/$3.haproxy"
    run faultline "$PROXY_PORT" "$1" "$2" >> "$tmp/$3.faultline"
  done
}

echo "== 1. saturated: wrk -t1 -c$CONNECTIONS, ${DURATION}s per path, no toxics (medians of $RUNS)"
paths "$CONNECTIONS" "$DURATION" sat
sat_d=$(median_row "$tmp/sat.direct"); sat_h=$(median_row "$tmp/sat.haproxy"); sat_f=$(median_row "$tmp/sat.faultline")
printf '%-10s %12s %10s %10s\n' path req/s p50_us p99_us
for row in "$sat_d" "$sat_h" "$sat_f"; do printf '%-10s %12s %10s %10s\n' $row; done

echo "== 2. unloaded: wrk -t1 -c1, ${UNLOADED_DURATION}s per path, no toxics, no queueing (medians of $RUNS)"
paths 1 "$UNLOADED_DURATION" un
un_d=$(median_row "$tmp/un.direct"); un_h=$(median_row "$tmp/un.haproxy"); un_f=$(median_row "$tmp/un.faultline")
printf '%-10s %12s %10s %10s\n' path req/s p50_us p99_us
for row in "$un_d" "$un_h" "$un_f"; do printf '%-10s %12s %10s %10s\n' $row; done

echo "== 3. latency toxic: 100 ms downstream via $API, wrk -t1 -c$LATENCY_CONNECTIONS, ${LATENCY_DURATION}s"
curl -sf -XPOST "$API/proxies/nginx/toxics" \
  -d '{"name":"bench_latency","type":"latency","stream":"downstream","attributes":{"latency":100,"jitter":0}}' >/dev/null
lat_f=$(run faultline+100ms "$PROXY_PORT" "$LATENCY_CONNECTIONS" "$LATENCY_DURATION")
printf '%-15s %12s %10s %10s\n' path req/s p50_us p99_us
printf '%-15s %12s %10s %10s\n' $lat_f
echo "   on the wire: wrk -t1 -c1 for ${WIRE_DURATION}s, tcpdump on lo"
wire=$(wire_hold "$WIRE_DURATION")
echo "   ${wire:-no capture (tcpdump needs root or CAP_NET_RAW): $(tail -n 1 "$tmp/tcpdump.err" 2>/dev/null)}"
curl -sf -XDELETE "$API/proxies/nginx/toxics/bench_latency" >/dev/null

echo "== 4. bulk: ${BULK_MB} MiB over one connection, curl --limit-rate $BULK_RATE, no toxics"
bulk_h=$(bulk haproxy "$HAPROXY_PORT" "$HAPROXY_PID")
bulk_f=$(bulk faultline "$PROXY_PORT" "$FAULTLINE_PID")
printf '%-10s %8s %14s\n' path Gbit/s cpu_%_1core
for row in "$bulk_h" "$bulk_f"; do printf '%-10s %8s %14s\n' $row; done

echo "== summary"
read -r _ _ _ _ <<<"$sat_d"; read -r _ h_rps _ _ <<<"$sat_h"; read -r _ f_rps _ _ <<<"$sat_f"
read -r _ _ ud_p50 ud_p99 <<<"$un_d"; read -r _ _ uh_p50 _ <<<"$un_h"; read -r _ _ uf_p50 _ <<<"$un_f"
read -r _ _ l_p50 l_p99 <<<"$lat_f"
read -r _ bh_gbps bh_cpu <<<"$bulk_h"; read -r _ bf_gbps bf_cpu <<<"$bulk_f"
awk -v f="$f_rps" -v h="$h_rps" 'BEGIN { r = f / h;
  printf "throughput faultline/haproxy: %.2fx (%.0f vs %.0f req/s; goal >= 0.70x) %s\n", r, f, h, (r >= 0.70 ? "PASS" : "MISS") }'
awk -v d="$ud_p50" -v h="$uh_p50" -v f="$uf_p50" 'BEGIN {
  printf "added P50, unloaded: faultline %.0f us, haproxy %.0f us (goal faultline <= 50 us) %s\n", f - d, h - d, (f - d <= 50 ? "PASS" : "MISS") }'
awk -v p50="$l_p50" -v p99="$l_p99" -v d50="$ud_p50" -v d99="$ud_p99" 'BEGIN {
  e50 = (p50 - d50) / 1000 - 100; e99 = (p99 - d99) / 1000 - 100;
  printf "latency toxic 100 ms, end to end (wrk, against the busy direct path): P50 %+.2f ms, P99 %+.2f ms\n", e50, e99 }'
awk -v w="$wire" 'BEGIN { if (split(w, f, " ") < 10 || f[4] != "n") { print "latency toxic 100 ms, on the wire: not measured (" w ")"; exit }
  p99 = f[9] + 0; a = p99 < 0 ? -p99 : p99;
  printf "latency toxic 100 ms, on the wire (the proxy'"'"'s hold): P50 %s ms, P99 %s ms over %s responses (goal |P99 error| <= 1 ms) %s\n",
    f[7], f[9], f[5], (a <= 1 ? "PASS" : "MISS") }'
awk -v g="$bf_gbps" -v c="$bf_cpu" -v hg="$bh_gbps" -v hc="$bh_cpu" 'BEGIN {
  printf "bulk through faultline: %.2f Gbit/s at %.1f%% of one core (haproxy %.2f Gbit/s at %.1f%%; goal >= 1 Gbit/s at < 50%%) %s\n",
    g, c, hg, hc, (g >= 1.0 && c < 50 ? "PASS" : "MISS") }'
