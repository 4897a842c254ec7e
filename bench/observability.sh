#!/usr/bin/env bash
# The cost of tracing, payload capture and drift monitoring on tabular_mlp, side by side in one
# server: five copies of the model, each with one feature on (or none), measured in turn with
# wrk -c64 over REST JSON: off (nothing), trace 1 % (rate 100), trace 100 % (rate 1), capture 1 %
# (--capture-rate 0.01), drift (--drift-models). Tracing is set per model through the trace
# extension and exports to a local OTLP/HTTP sink (a Python stub answering 200). Each mode is
# measured twice, in opposite orders, so that a steady drift (JIT warm-up, other load) cancels in
# the mean.
#
# Usage: bench/observability.sh [MODELS_DIR]   (default: ../shared/models beside the checkout)
# Environment: BENCH_DURATION (seconds per measurement, default 8), BENCH_WARMUP (default 3),
#              BENCH_SERVER_WARMUP (default 30), BENCH_PORT_BASE (default 18600),
#              BENCH_SKIP_BUILD (set: use the built jars).
# Prints a markdown table (for docs/benchmarks.md) on stdout. Loopback only, bounded in time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="$(cd "${1:-$root/../shared/models}" && pwd)"
duration="${BENCH_DURATION:-8}"
warmup="${BENCH_WARMUP:-3}"
server_warmup="${BENCH_SERVER_WARMUP:-30}"
base="${BENCH_PORT_BASE:-18600}"
http=$base grpc=$((base + 1)) metrics=$((base + 2)) sink=$((base + 3))
limit=$((duration + warmup + 60))

work="$(mktemp -d "${TMPDIR:-/tmp}/infera-observability-bench.XXXXXX")"
server_pid="" sink_pid=""
cleanup() {
  for pid in "$server_pid" "$sink_pid"; do
    if [[ -n "$pid" ]]; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "bench/observability.sh: $*" >&2; }

command -v wrk >/dev/null || { log "installing wrk"; apt-get install -y -q wrk >/dev/null; }
if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  log "building"
  (cd "$root" && ./mvnw -q -B -o -DskipTests -pl infera-server -am package >&2)
fi

modes="off trace1 trace100 capture1 drift"
repo="$work/repository"
for mode in $modes; do
  mkdir -p "$repo/tab_$mode/1"
  ln -s "$models/tabular_mlp/1/model.onnx" "$repo/tab_$mode/1/model.onnx"
  sed "s/^name: .*/name: \"tab_$mode\"/" "$root/bench/config/tabular_mlp.pbtxt" \
    >"$repo/tab_$mode/config.pbtxt"
done
body="$models/tabular_mlp/samples/case0/request.json"

# An OTLP/HTTP sink: reads each export and answers 200 with an empty protobuf body.
python3 - "$sink" >"$work/sink.log" 2>&1 <<'PY' &
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
sink_pid=$!

"$root/bin/infera" serve --model-repository "$repo" --http-port "$http" --grpc-port "$grpc" \
  --metrics-port "$metrics" \
  --trace-config mode=opentelemetry \
  --trace-config "opentelemetry,url=http://127.0.0.1:$sink/v1/traces" \
  --capture-models tab_capture1 --capture-rate 0.01 --capture-dir "$work/capture" \
  --drift-models tab_drift >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 240); do
  curl -sf -o /dev/null "http://127.0.0.1:$http/v2/health/ready" && break
  sleep 0.5
done
trace() { # model rate
  curl -sf -o /dev/null -d "{\"trace_level\": [\"TIMESTAMPS\"], \"trace_rate\": \"$2\"}" \
    "http://127.0.0.1:$http/v2/models/$1/trace/setting"
}
trace tab_trace1 100
trace tab_trace100 1
wrk_run() { # model seconds
  WRK_BODY="$body" timeout "$limit" wrk -t1 -c64 -d"$2s" -s "$root/bench/wrk/post.lua" \
    "http://127.0.0.1:$http/v2/models/$1/infer"
}
log "warming up (${server_warmup}s)"
for mode in $modes; do
  wrk_run "tab_$mode" $((server_warmup / 5 + 1)) >/dev/null
done

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for round in 1 2; do
  order="$modes"
  [[ $round == 2 ]] && order="$(echo "$modes" | tr ' ' '\n' | tac | tr '\n' ' ')"
  for mode in $order; do
    wrk_run "tab_$mode" "$warmup" >/dev/null
    log "round $round: $mode"
    wrk_run "tab_$mode" "$duration" | grep '^RESULT' | sed "s/^/$mode /" >>"$work/results.txt"
  done
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
scrape="$(curl -s "http://127.0.0.1:$metrics/metrics")"
series_sum() { awk -v name="$1" 'index($0, name) == 1 { s += $NF } END { print s + 0 }' <<<"$scrape"; }

echo "Load average before / after: $load_before / $load_after; $(nproc) cores."
echo
echo "| mode | round 1 req/s | round 2 req/s | mean req/s | vs off | p99 ms (r1, r2) | errors |"
echo "|---|---|---|---|---|---|---|"
off_mean=""
for mode in $modes; do
  read -r r1 r2 p1 p2 errs < <(awk -v m="$mode" '$1 == m {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      rps[++n] = v["rps"]; p99[n] = v["p99_ms"]; e += v["errors"] + v["non2xx"] }
      END { print rps[1], rps[2], p99[1], p99[2], e }' "$work/results.txt")
  mean=$(awk -v a="$r1" -v b="$r2" 'BEGIN { printf "%.0f", (a + b) / 2 }')
  [[ -z "$off_mean" ]] && off_mean=$mean
  ratio=$(awk -v a="$mean" -v b="$off_mean" 'BEGIN { printf "%.2f", a / b }')
  echo "| $mode | $r1 | $r2 | $mean | $ratio | $p1, $p2 | $errs |"
done
echo
echo "Captured records written: $(series_sum infera_capture_written_total); dropped:" \
  "$(series_sum infera_capture_dropped_total); drift observations dropped:" \
  "$(series_sum infera_monitoring_dropped_total)."
