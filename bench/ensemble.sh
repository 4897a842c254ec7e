#!/usr/bin/env bash
# A two-step ensemble against the same two steps chained by the client, side by side in one run:
# 'chain' (Triton ensemble: simple, then simple on the first answer) with one call per pipeline,
# and the client calling simple twice, sending the first answer's outputs to the second call.
# Both over REST JSON with wrk, one connection per wrk thread (bench/wrk/chain.lua times each
# pipeline from its first request to its last answer). Each mode is measured twice, in opposite
# orders, so that a steady drift (JIT, other load) cancels in the mean.
#
# Usage: bench/ensemble.sh [MODELS_DIR]   (default: ../shared/models beside the checkout)
# Environment: BENCH_DURATION (seconds per measurement, default 8), BENCH_WARMUP (default 3),
#              BENCH_SERVER_WARMUP (default 20), BENCH_CONNECTIONS (default 16),
#              BENCH_PORT_BASE (default 18600), BENCH_SKIP_BUILD (set: use the built jars).
# Prints a markdown table (for docs/benchmarks.md) on stdout. Loopback only, bounded in time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="$(cd "${1:-$root/../shared/models}" && pwd)"
duration="${BENCH_DURATION:-8}"
warmup="${BENCH_WARMUP:-3}"
server_warmup="${BENCH_SERVER_WARMUP:-20}"
connections="${BENCH_CONNECTIONS:-16}"
base="${BENCH_PORT_BASE:-18600}"
http=$base grpc=$((base + 1)) metrics=$((base + 2))
limit=$((duration + server_warmup + 60))

work="$(mktemp -d "${TMPDIR:-/tmp}/infera-ensemble-bench.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "bench/ensemble.sh: $*" >&2; }

command -v wrk >/dev/null || { log "installing wrk"; apt-get install -y -q wrk >/dev/null; }
if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  log "building"
  (cd "$root" && ./mvnw -q -B -o -DskipTests -pl infera-server -am package >&2)
fi

repo="$work/repository"
mkdir -p "$repo/simple/1" "$repo/chain/1"
ln -s "$models/simple/1/model.onnx" "$repo/simple/1/model.onnx"
cp "$root/examples/models/simple/config.pbtxt" "$repo/simple/config.pbtxt"
cp "$root/bench/config/chain.pbtxt" "$repo/chain/config.pbtxt"

"$root/bin/infera" serve --model-repository "$repo" --http-port "$http" --grpc-port "$grpc" \
  --metrics-port "$metrics" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "http://127.0.0.1:$http/v2/models/chain/ready" && break
  sleep 0.5
done
curl -sf -o /dev/null "http://127.0.0.1:$http/v2/models/chain/ready" \
  || { log "the server did not get ready; its log:"; cat "$work/server.log" >&2; exit 1; }
wrk_run() { # mode seconds
  WRK_MODE="$1" timeout "$limit" wrk -t"$connections" -c"$connections" -d"$2s" \
    -s "$root/bench/wrk/chain.lua" "http://127.0.0.1:$http"
}
log "warming up (${server_warmup}s)"
wrk_run ensemble "$server_warmup" >/dev/null
wrk_run client "$server_warmup" >/dev/null

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2; do
  order="ensemble client"
  [[ $round == 2 ]] && order="client ensemble"
  for mode in $order; do
    wrk_run "$mode" "$warmup" >/dev/null
    log "round $round: $mode"
    wrk_run "$mode" "$duration" | grep '^RESULT' | sed "s/^/$mode /" >>"$work/results.txt"
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "Load average before / after: $load_before / $load_after; $(nproc) cores; $connections connections."
echo
echo "| mode | round 1 pipelines/s | round 2 pipelines/s | mean | vs client | p99 ms (r1, r2) | failed |"
echo "|---|---|---|---|---|---|---|"
client_mean=$(awk '$1 == "client" { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "rps") { s += kv[2]; n++ } } } END { printf "%.0f", s / n }' "$work/results.txt")
for mode in client ensemble; do
  read -r r1 r2 p1 p2 lost < <(awk -v m="$mode" '$1 == m {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      rps[++n] = v["rps"]; p99[n] = v["p99_ms"]; f += v["failed"] }
      END { print rps[1], rps[2], p99[1], p99[2], f }' "$work/results.txt")
  mean=$(awk -v a="$r1" -v b="$r2" 'BEGIN { printf "%.0f", (a + b) / 2 }')
  ratio=$(awk -v a="$mean" -v b="$client_mean" 'BEGIN { printf "%.2f", a / b }')
  echo "| $mode | $r1 | $r2 | $mean | $ratio | $p1, $p2 | $lost |"
done
