#!/usr/bin/env bash
# `make demo`: start the demo target, run 10 s of constant-rate load against it, print the
# summary, stop the target. Everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/release
out=$(mktemp -d)
"$bin/examples/faultline-demo-target" --port 0 --latency 5ms --jitter 2ms --error-rate 0.01 >"$out/target.log" 2>&1 &
target_pid=$!
trap 'kill "$target_pid" 2>/dev/null || true; wait "$target_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^listening on ' "$out/target.log" && break
  sleep 0.05
done
url=$(sed -n 's/^listening on //p' "$out/target.log" | head -n1)
[ -n "$url" ] || { echo "demo: the demo target did not start:"; cat "$out/target.log"; exit 3; }
mkdir -p demo-report
echo "demo: 10 s at 200 req/s against the demo target at $url (5 ms +- 2 ms latency, 1% errors)"
status=0
"$bin/cli/faultline" run --url "$url/" --rate 200 --duration 10s --json demo-report/result.json || status=$?
echo "demo: result JSON in demo-report/result.json"
exit "$status"
