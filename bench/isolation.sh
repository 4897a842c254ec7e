#!/usr/bin/env bash
# Isolation between models (issue 6, point 1): measures tabular_mlp's latency at a fixed, modest
# request rate twice, first with resnet18 idle, then while closed-loop clients saturate resnet18
# on the same server, and prints both p99s and their ratio (target: saturated <= 2x idle).
#
# Usage: bench/isolation.sh [MODELS_DIR]   (default: ../shared/models beside the checkout)
# Environment: ISO_DURATION (seconds per measurement, default 30), ISO_WARMUP (default 5),
#              ISO_RATE (tabular_mlp requests per second, default 50),
#              ISO_CONCURRENCY (resnet18 outstanding requests, default 8),
#              ISO_PROTOCOL (grpc or rest-binary, default grpc),
#              ISO_THREADS (partition: tabular_mlp gets max(1, cores/4) ONNX Runtime intra-op
#                threads and resnet18 the other cores, see docs/resilience.md; default: each
#                model keeps ONNX Runtime's default of all cores per instance; default partition),
#              BENCH_PORT_BASE (default 18500: HTTP, +1 gRPC, +2 metrics),
#              BENCH_SKIP_BUILD (set: use the built jars), INFERA_JAVA_OPTS (server JVM options).
# Prints a Markdown section for docs/benchmarks.md on stdout; progress goes to stderr.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="$(cd "${1:-$root/../shared/models}" && pwd)"
duration="${ISO_DURATION:-30}"
warmup="${ISO_WARMUP:-5}"
rate="${ISO_RATE:-50}"
concurrency="${ISO_CONCURRENCY:-8}"
threads="${ISO_THREADS:-partition}"
cores="$(nproc)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
protocol="${ISO_PROTOCOL:-grpc}"
base="${BENCH_PORT_BASE:-18500}"
http=$base grpc=$((base + 1)) metrics=$((base + 2))
port=$grpc
[[ $protocol == grpc ]] || port=$http
limit=$((3 * (duration + warmup) + 120))

work="$(mktemp -d "${TMPDIR:-/tmp}/infera-isolation.XXXXXX")"
server_pid="" load_pid=""
cleanup() {
  for pid in $load_pid $server_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $load_pid $server_pid; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "bench/isolation.sh: $*" >&2; }

for model in tabular_mlp resnet18; do
  [[ -f "$models/$model/1/model.onnx" ]] || { log "missing $models/$model/1/model.onnx"; exit 1; }
done
if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  log "building"
  (cd "$root" && ./mvnw -q -B -DskipTests -pl infera-server,infera-bench -am package >&2)
fi
infera="$root/bin/infera"

# The two models, linked, with the benchmark configurations of bench/config.
repo="$work/repository"
for model in tabular_mlp resnet18; do
  mkdir -p "$repo/$model/1"
  ln -s "$models/$model/1/model.onnx" "$repo/$model/1/model.onnx"
  cp "$root/bench/config/$model.pbtxt" "$repo/$model/config.pbtxt"
done
light=$((cores / 4 > 1 ? cores / 4 : 1))
heavy=$((cores - light > 1 ? cores - light : 1))
if [[ $threads == partition ]]; then
  for entry in "tabular_mlp $light" "resnet18 $heavy"; do
    set -- $entry
    printf 'parameters { key: "intra_op_thread_count" value: { string_value: "%s" } }\n' "$2" \
      >>"$repo/$1/config.pbtxt"
  done
  thread_note="ONNX Runtime intra-op threads partitioned: tabular_mlp $light, resnet18 $heavy"
else
  thread_note="ONNX Runtime default threads (each model: all $cores cores per instance)"
fi

"$infera" serve --model-repository "$repo" --http-port "$http" --grpc-port "$grpc" \
  --metrics-port "$metrics" >"$work/server.log" 2>&1 &
server_pid=$!
for model in tabular_mlp resnet18; do
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "http://127.0.0.1:$http/v2/models/$model/ready" && continue 2
    sleep 0.5
  done
  log "$model never became ready"; tail -40 "$work/server.log" >&2; exit 1
done

common=(-u "127.0.0.1:$port" --protocol "$protocol" --metrics-url "127.0.0.1:$metrics" --format csv)
# Prints one column of the single result row of an `infera bench` CSV file.
column() { # file name
  awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i; next }
    c { print $c; exit }' "$1"
}
tabular() { # output file
  log "tabular_mlp at $rate req/s for ${duration}s"
  timeout "$limit" "$infera" bench -m tabular_mlp "${common[@]}" --request-rate "$rate" \
    --duration "$duration" --warmup "$warmup" >"$1"
}

tabular "$work/idle.csv"

log "saturating resnet18 with $concurrency outstanding requests"
timeout "$limit" "$infera" bench -m resnet18 "${common[@]}" --concurrency-range "$concurrency" \
  --duration "$((duration + 2 * warmup))" --warmup "$warmup" >"$work/resnet18.csv" &
load_pid=$!
sleep "$warmup"
tabular "$work/saturated.csv"
wait "$load_pid"
load_pid=""

idle_p99="$(column "$work/idle.csv" p99_ms)"
busy_p99="$(column "$work/saturated.csv" p99_ms)"
ratio="$(awk -v a="$busy_p99" -v b="$idle_p99" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
verdict="$(awk -v r="$ratio" 'BEGIN { print (r <= 2.0 ? "met" : "NOT met") }')"

cat <<REPORT
## Isolation: tabular_mlp while resnet18 is saturated

$(date -u +%Y-%m-%d), $cores cores, load average before: $load_before. $thread_note.
\`bin/infera bench\` over $protocol; tabular_mlp at a fixed $rate req/s (open loop), resnet18 with
$concurrency outstanding requests (closed loop); ${duration} s windows after ${warmup} s warmup.

| resnet18 | tabular_mlp p50 ms | p99 ms | errors | resnet18 req/s |
|---|---|---|---|---|
| idle | $(column "$work/idle.csv" p50_ms) | $idle_p99 | $(column "$work/idle.csv" errors) | 0 |
| saturated | $(column "$work/saturated.csv" p50_ms) | $busy_p99 | $(column "$work/saturated.csv" errors) | $(column "$work/resnet18.csv" req_per_s) |

p99 saturated / idle: **$ratio** (target <= 2.0: $verdict).

Command: \`bench/isolation.sh\` (ISO_RATE=$rate ISO_CONCURRENCY=$concurrency ISO_DURATION=$duration
ISO_THREADS=$threads).
REPORT
