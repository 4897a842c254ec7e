#!/usr/bin/env bash
# The cost of traffic policies on tabular_mlp, side by side in one run: no policy, a policy that
# sends everything to one version (the routing path with fallback and per-variant recording),
# a 50/50 split between two versions, and 100 % shadow (every request also copied to version 2).
# Each mode is measured twice, in opposite orders (A B C D, then D C B A, so that a steady drift
# such as JIT warm-up or a change in other load cancels in the mean), with wrk -c64 over REST JSON.
#
# Usage: bench/routing.sh [MODELS_DIR]   (default: ../shared/models beside the checkout)
# Environment: BENCH_DURATION (seconds per measurement, default 8), BENCH_WARMUP (default 3),
#              BENCH_SERVER_WARMUP (default 30), BENCH_PORT_BASE (default 18500),
#              BENCH_SKIP_BUILD (set: use the built jars).
# Prints a markdown table (for docs/benchmarks.md) on stdout. Loopback only, bounded in time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="$(cd "${1:-$root/../shared/models}" && pwd)"
duration="${BENCH_DURATION:-8}"
warmup="${BENCH_WARMUP:-3}"
server_warmup="${BENCH_SERVER_WARMUP:-30}"
base="${BENCH_PORT_BASE:-18500}"
http=$base grpc=$((base + 1)) metrics=$((base + 2))
limit=$((duration + warmup + 60))

work="$(mktemp -d "${TMPDIR:-/tmp}/infera-routing-bench.XXXXXX")"
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
log() { echo "bench/routing.sh: $*" >&2; }

command -v wrk >/dev/null || { log "installing wrk"; apt-get install -y -q wrk >/dev/null; }
if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  log "building"
  (cd "$root" && ./mvnw -q -B -o -DskipTests -pl infera-server -am package >&2)
fi

repo="$work/repository"
for version in 1 2; do
  mkdir -p "$repo/tabular_mlp/$version"
  ln -s "$models/tabular_mlp/1/model.onnx" "$repo/tabular_mlp/$version/model.onnx"
done
{ cat "$root/bench/config/tabular_mlp.pbtxt"; echo 'version_policy: { all { } }'; } \
  >"$repo/tabular_mlp/config.pbtxt"
body="$models/tabular_mlp/samples/case0/request.json"

"$root/bin/infera" serve --model-repository "$repo" --http-port "$http" --grpc-port "$grpc" \
  --metrics-port "$metrics" >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "http://127.0.0.1:$http/v2/models/tabular_mlp/ready" && break
  sleep 0.5
done
url="http://127.0.0.1:$http/v2/models/tabular_mlp"
policy() { # JSON or "none"
  if [[ "$1" == none ]]; then
    curl -s -o /dev/null -X DELETE "$url/traffic" || true
  else
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' -d "$1" "$url/traffic"
  fi
}
wrk_run() { # seconds
  WRK_BODY="$body" timeout "$limit" wrk -t1 -c64 -d"$1s" -s "$root/bench/wrk/post.lua" "$url/infer"
}
log "warming up (${server_warmup}s)"
wrk_run "$server_warmup" >/dev/null

declare -A modes=(
  [a_none]=none
  [b_routed]='{"split": [{"version": "1", "weight": 100}]}'
  [c_split]='{"split": [{"version": "1", "weight": 50}, {"version": "2", "weight": 50}], "sticky": false}'
  [d_shadow]='{"split": [{"version": "1", "weight": 100}], "shadow": {"version": "2", "fraction": 1.0}}'
)
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2; do
  order="a_none b_routed c_split d_shadow"
  [[ $round == 2 ]] && order="d_shadow c_split b_routed a_none" # reversed: a steady drift cancels in the mean
  for mode in $order; do
    policy "${modes[$mode]}"
    wrk_run "$warmup" >/dev/null
    log "round $round: $mode"
    wrk_run "$duration" | grep '^RESULT' | sed "s/^/$mode /" >>"$work/results.txt"
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
scrape="$(curl -s "http://127.0.0.1:$metrics/metrics")"
series_sum() { awk -v name="$1" 'index($0, name) == 1 { s += $NF } END { print s + 0 }' <<<"$scrape"; }
dropped="$(series_sum infera_shadow_dropped_total)"
compared="$(series_sum infera_shadow_requests_total)"

echo "Load average before / after: $load_before / $load_after; $(nproc) cores."
echo
echo "| mode | round 1 req/s | round 2 req/s | mean req/s | vs none | p99 ms (r1, r2) | errors |"
echo "|---|---|---|---|---|---|---|"
none_mean=""
for mode in a_none b_routed c_split d_shadow; do
  read -r r1 r2 p1 p2 errs < <(awk -v m="$mode" '$1 == m {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      rps[++n] = v["rps"]; p99[n] = v["p99_ms"]; e += v["errors"] + v["non2xx"] }
      END { print rps[1], rps[2], p99[1], p99[2], e }' "$work/results.txt")
  mean=$(awk -v a="$r1" -v b="$r2" 'BEGIN { printf "%.0f", (a + b) / 2 }')
  [[ -z "$none_mean" ]] && none_mean=$mean
  ratio=$(awk -v a="$mean" -v b="$none_mean" 'BEGIN { printf "%.2f", a / b }')
  echo "| ${mode#?_} | $r1 | $r2 | $mean | $ratio | $p1, $p2 | $errs |"
done
echo
echo "Shadow copies compared: $compared; dropped (queue of 64 full): $dropped."
