#!/usr/bin/env bash
# Throughput and latency through `faultline proxy` (no toxics) vs HAProxy in TCP mode vs
# direct, against the same nginx upstream with the same wrk load on 127.0.0.1.
# Goal (issue 4): >= 0.7x HAProxy's requests/s and <= 50 us added P50.
# Usage: bench/proxy-vs-haproxy.sh   (env: DURATION=10 CONNECTIONS=50 FAULTLINE=build/release/cli/faultline)
set -euo pipefail
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-50}
FAULTLINE=${FAULTLINE:-build/release/cli/faultline}
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
need() {
  command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ] && return 0
  echo "installing $2"
  $SUDO apt-get install -y "$2" >/dev/null || { $SUDO apt-get update >/dev/null && $SUDO apt-get install -y "$2" >/dev/null; }
}
need wrk wrk; need nginx nginx-light; need haproxy haproxy; need curl curl
[ -x "$FAULTLINE" ] || { echo "build faultline first ($FAULTLINE)"; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

NGINX_PORT=$(free_port); HAPROXY_PORT=$(free_port); API_PORT=$(free_port); PROXY_PORT=$(free_port)
mkdir -p "$tmp/www"; printf 'hello from nginx\n' > "$tmp/www/index.html"
cat > "$tmp/nginx.conf" <<CONF
worker_processes 1; daemon off; pid $tmp/nginx.pid; error_log $tmp/nginx.err;
events { worker_connections 1024; }
http { access_log off; keepalive_requests 1000000;
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
taskset -c 1 haproxy -f "$tmp/haproxy.cfg" & pids+=($!)
taskset -c 1 "$FAULTLINE" proxy --port "$API_PORT" > "$tmp/proxy.out" & pids+=($!)
sleep 1
curl -sf -XPOST "http://127.0.0.1:$API_PORT/proxies" \
  -d "{\"name\":\"nginx\",\"listen\":\"127.0.0.1:$PROXY_PORT\",\"upstream\":\"127.0.0.1:$NGINX_PORT\"}" >/dev/null

run() {  # name port -> "name rps p50_us p99_us"
  local out; out=$(taskset -c 0 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$2/")
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  to_us() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) {sub(/us/,"",v); print v} else if (v ~ /ms$/) {sub(/ms/,"",v); print v*1000} else {sub(/s/,"",v); print v*1000000} }'; }
  echo "$1 $rps $(to_us "$p50") $(to_us "$p99")"
}
direct=$(run direct "$NGINX_PORT"); haproxy=$(run haproxy "$HAPROXY_PORT"); faultline=$(run faultline "$PROXY_PORT")
printf '%-10s %12s %10s %10s\n' path req/s p50_us p99_us
for row in "$direct" "$haproxy" "$faultline"; do printf '%-10s %12s %10s %10s\n' $row; done
read -r _ d_rps d_p50 _ <<<"$direct"; read -r _ h_rps h_p50 _ <<<"$haproxy"; read -r _ f_rps f_p50 _ <<<"$faultline"
awk -v f="$f_rps" -v h="$h_rps" -v fp="$f_p50" -v hp="$h_p50" -v dp="$d_p50" 'BEGIN {
  printf "faultline/haproxy throughput: %.2fx (goal >= 0.70)\n", f/h;
  printf "added p50 vs direct: faultline %.0f us, haproxy %.0f us (goal <= 50 us)\n", fp-dp, hp-dp }'
