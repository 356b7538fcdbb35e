#!/usr/bin/env bash
# `make demo`: a failover rehearsal. faultline starts a backend and a frontend (both
# faultline-demo-target) with an embedded fault proxy between them, runs 60 s of steady
# load, slows the backend link, cuts it off, lets it heal, and reports time to impact and
# recovery time. Everything stays on 127.0.0.1; the services stop when the run ends.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(pwd)/build/release"
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
frontend_port=$(free_port)
backend_port=$(free_port)
while [ "$backend_port" = "$frontend_port" ]; do backend_port=$(free_port); done
mkdir -p demo-report
echo "demo: failover rehearsal (examples/failover.yaml), about 65 s:"
echo "demo:   200 req/s -> frontend :$frontend_port -> faultline proxy -> backend :$backend_port"
echo "demo:   at 15 s the backend link gets 150 ms slower for 10 s; at 35 s it is cut off for 10 s"
status=0
"$bin/cli/faultline" run examples/failover.yaml \
  -e DEMO_TARGET="$bin/examples/faultline-demo-target" \
  -e FRONTEND_PORT="$frontend_port" -e BACKEND_PORT="$backend_port" \
  --json demo-report/result.json --html demo-report/report.html \
  --junit demo-report/junit.xml --hdr-log demo-report/latency.hlog || status=$?
echo
echo "demo: report:        $(pwd)/demo-report/report.html"
echo "demo: result JSON:   $(pwd)/demo-report/result.json (also junit.xml, latency.hlog)"
echo "demo: service logs:  $(pwd)/demo-report/result.backend.log, result.frontend.log"
echo "demo: exit code $status (0: every SLO threshold passed, 1: one failed)"
exit "$status"
