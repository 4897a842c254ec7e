#!/usr/bin/env bash
# Runs the serving benchmark end to end on this machine and writes docs/benchmarks.md:
#   (a) the in-process ONNX Runtime limit of each model (no server),
#   (b) wrk (1 thread) against nginx answering a fixed reply (the HTTP ceiling), a trivial Armeria
#       endpoint and REST JSON inference, each nginx window right before Infera's at the same
#       concurrency,
#   (c) `infera bench` over gRPC and REST binary,
#   (d) the warm-up ramp: start-to-ready (launch to the first 200 from /v2/health/ready) and
#       tabular_mlp's REST JSON at c=64 in back-to-back 5-s windows from that moment,
# with the ratios of (b), (c) and (d) to (a), to nginx and to the trivial endpoint.
# The page's sections after the line `<!-- bench/run.sh: ... -->` are kept as they are (measurements
# recorded by hand and by the other bench/ scripts); the part before it is rewritten.
#
# Usage: bench/run.sh [MODELS_DIR]   (default: ../shared/models beside the checkout)
# Environment: BENCH_DURATION (seconds per measurement, default 10), BENCH_WARMUP (default 3),
#              BENCH_SERVER_WARMUP (seconds of load from ready before the first served measurement,
#              measured as the warm-up ramp in 5-s windows; default 30),
#              BENCH_MODEL_WARMUP (seconds of discarded load before each served resnet18 and
#              text_encoder measurement, default 30),
#              BENCH_PORT_BASE (default 18400: HTTP, +1 gRPC, +2 metrics, +3 trivial endpoint,
#              +4 nginx),
#              BENCH_OUT (default docs/benchmarks.md), BENCH_SKIP_BUILD (set: use the built jars),
#              INFERA_JAVA_OPTS (server JVM options).
# Needs: wrk and nginx (installed with apt-get when missing), curl, python3.
# Loopback only; every step is bounded by `timeout`; the servers stop on exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="$(cd "${1:-$root/../shared/models}" && pwd)"
duration="${BENCH_DURATION:-10}"
warmup="${BENCH_WARMUP:-3}"
server_warmup="${BENCH_SERVER_WARMUP:-30}"
ramp_window=5
model_warmup="${BENCH_MODEL_WARMUP:-30}"
base="${BENCH_PORT_BASE:-18400}"
http=$base grpc=$((base + 1)) metrics=$((base + 2)) trivial=$((base + 3)) ceiling=$((base + 4))
out="${BENCH_OUT:-$root/docs/benchmarks.md}"
step_limit=$((4 * (duration + warmup) + 60))

work="$(mktemp -d "${TMPDIR:-/tmp}/infera-bench.XXXXXX")"
server_pid="" trivial_pid="" nginx_pid=""
cleanup() {
  for pid in $server_pid $trivial_pid $nginx_pid; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $server_pid $trivial_pid $nginx_pid; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench/run.sh: $*" >&2; }
commands=()
# Runs and records a command (for the "Commands" section), bounded in time.
measure() {
  local text="$*"
  text="${text//$root\//}" text="${text//$models/\$MODELS}"
  commands+=("$text")
  log "$text"
  timeout "$step_limit" "$@"
}

for model in tabular_mlp resnet18 text_encoder; do
  [[ -f "$models/$model/1/model.onnx" ]] || { log "missing $models/$model/1/model.onnx"; exit 1; }
done
if ! command -v wrk >/dev/null; then
  log "installing wrk"
  apt-get install -y -q wrk >/dev/null
fi
if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
  log "installing nginx-light"
  apt-get install -y -q nginx-light >/dev/null
fi
source "$root/bench/nginx-ceiling.sh"

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  log "building"
  (cd "$root" && ./mvnw -q -B -DskipTests -pl infera-server,infera-bench -am package >&2)
fi
infera="$root/bin/infera"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- repository: the models, linked, with this folder's configurations -------------------------
repo="$work/repository"
for model in tabular_mlp resnet18 text_encoder; do
  mkdir -p "$repo/$model/1"
  ln -s "$models/$model/1/model.onnx" "$repo/$model/1/model.onnx"
  cp "$root/bench/config/$model.pbtxt" "$repo/$model/config.pbtxt"
done
body="$work/tabular_mlp.json"
cp "$models/tabular_mlp/samples/case0/request.json" "$body"

# --- (a) in-process limit (run first, while no server competes for the cores) ------------------
common=(--duration "$duration" --warmup "$warmup" --format csv)
measure "$infera" bench --in-process --model-file "$models/tabular_mlp/1/model.onnx" \
  --batch-sizes 1,8,64,256 "${common[@]}" >"$work/inproc_tabular_mlp.csv"
measure "$infera" bench --in-process --model-file "$models/resnet18/1/model.onnx" \
  --batch-sizes 1,4,16 "${common[@]}" >"$work/inproc_resnet18.csv"
measure "$infera" bench --in-process --model-file "$models/text_encoder/1/model.onnx" \
  --shape input_ids:128 --shape attention_mask:128 \
  --batch-sizes 1,8,32 "${common[@]}" >"$work/inproc_text_encoder.csv"

# --- (b) trivial endpoint ceiling with wrk --------------------------------------------------------
commands+=("bin/infera bench trivial-server --port $trivial &")
"$infera" bench trivial-server --port "$trivial" >"$work/trivial.log" 2>&1 &
trivial_pid=$!
wait_http() {
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "$1" && return 0
    sleep 0.5
  done
  log "no answer from $1"
  return 1
}
wait_http "http://127.0.0.1:$trivial/"
run_wrk() { # name connections url
  local name=$1 connections=$2 url=$3
  WRK_BODY="$body" timeout "$step_limit" wrk -t1 -c"$connections" -d"${warmup}s" \
    -s "$root/bench/wrk/post.lua" "$url" >/dev/null
  commands+=("WRK_BODY=\$MODELS/tabular_mlp/samples/case0/request.json wrk -t1 -c$connections -d${duration}s -s bench/wrk/post.lua $url")
  log "wrk -t1 -c$connections $url"
  WRK_BODY="$body" timeout "$step_limit" wrk -t1 -c"$connections" -d"${duration}s" \
    -s "$root/bench/wrk/post.lua" "$url" | tee "$work/wrk_$name.txt" >&2
}
run_wrk trivial_64 64 "http://127.0.0.1:$trivial/v2/models/tabular_mlp/infer"
run_wrk trivial_1 1 "http://127.0.0.1:$trivial/v2/models/tabular_mlp/infer"
kill "$trivial_pid" && wait "$trivial_pid" 2>/dev/null || true
trivial_pid=""

# nginx with a fixed reply (tabular_mlp's sample response): idle until its windows, each measured
# right before Infera's REST JSON window at the same concurrency, since the host's speed drifts.
commands+=("nginx -p \$WORK/nginx -c \$WORK/nginx/nginx.conf &  # one process, a fixed reply (bench/nginx-ceiling.sh)")
start_nginx_ceiling "$work/nginx" "$ceiling" "$models"
ceiling_url="http://127.0.0.1:$ceiling/v2/models/tabular_mlp/infer"

# --- the server -------------------------------------------------------------------------------------
commands+=("bin/infera serve --model-repository \$WORK/repository --http-port $http --grpc-port $grpc --metrics-port $metrics &  # the models above with bench/config/<model>.pbtxt")
start_ns=$(date +%s%N)
"$infera" serve --model-repository "$repo" --http-port "$http" --grpc-port "$grpc" \
  --metrics-port "$metrics" >"$work/server.log" 2>&1 &
server_pid=$!
ready=""
for _ in $(seq 1 6000); do # 0.02-s polls, 120 s at most
  if curl -sf -o /dev/null "http://127.0.0.1:$http/v2/health/ready"; then ready=1; break; fi
  sleep 0.02
done
[[ -n $ready ]] || { tail -40 "$work/server.log" >&2; exit 1; }
ready_s=$(awk -v a="$start_ns" -v b="$(date +%s%N)" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
warmup_log="$(grep -o 'warm-up took.*' "$work/server.log" | head -n 1 || true)"
log "ready after ${ready_s} s; ${warmup_log:-no warm-up line in the server log}"
infer_url="http://127.0.0.1:$http/v2/models/tabular_mlp/infer"
# (d) The ramp from ready: the JIT needs tens of seconds of load before the server's hot path is
# compiled, so this load doubles as the warm-up of the measurements below (each step then has its
# own short warm-up as well). Back-to-back windows, one RESULT line each.
commands+=("WRK_BODY=\$MODELS/tabular_mlp/samples/case0/request.json wrk -t1 -c64 -d${ramp_window}s -s bench/wrk/post.lua $infer_url  # $(((server_warmup + ramp_window - 1) / ramp_window)) windows back to back from ready")
for i in $(seq 1 $(((server_warmup + ramp_window - 1) / ramp_window))); do
  WRK_BODY="$body" timeout "$step_limit" wrk -t1 -c64 -d"${ramp_window}s" \
    -s "$root/bench/wrk/post.lua" "$infer_url" | sed -n 's/^RESULT //p' >>"$work/ramp.txt"
  log "ramp window $i: $(tail -n 1 "$work/ramp.txt")"
done
for model in tabular_mlp resnet18 text_encoder; do
  wait_http "http://127.0.0.1:$http/v2/models/$model/ready" || { tail -40 "$work/server.log" >&2; exit 1; }
done
run_wrk nginx_64 64 "$ceiling_url"
run_wrk rest_json_64 64 "$infer_url"
run_wrk nginx_1 1 "$ceiling_url"
run_wrk rest_json_1 1 "$infer_url"
kill "$nginx_pid" && wait "$nginx_pid" 2>/dev/null || true
nginx_pid=""

# --- (c) infera bench over gRPC and REST binary (and REST JSON, to compare with wrk) ---------------------------------------------------
served() { # model protocol range [extra options]
  local model=$1 protocol=$2 range=$3
  shift 3
  local port=$http
  [[ $protocol == grpc ]] && port=$grpc
  measure "$infera" bench -m "$model" -u "127.0.0.1:$port" --protocol "$protocol" \
    --metrics-url "127.0.0.1:$metrics" --concurrency-range "$range" "${common[@]}" "$@" \
    >"$work/served_${model}_${protocol}.csv"
}
# The compute-bound models answer under a hundred requests a second here, so the code on their
# paths (bodies of 600 KB, decoded off the event loop; their batch copies) reaches the JIT's
# thresholds only after tens of seconds: the server's own warm-up sends them a few hundred
# requests, and with a 3-s warm-up alone served resnet18 measured 14-28 % below its rate after
# 30 s of load. So each of their measurements follows discarded load at its top concurrency.
warm_model() { # model protocol concurrency [extra options]
  local model=$1 protocol=$2 concurrency=$3
  shift 3
  local port=$http
  [[ $protocol == grpc ]] && port=$grpc
  log "warming $model over $protocol up (${model_warmup}s at $concurrency concurrent, discarded)"
  commands+=("bin/infera bench -m $model -u 127.0.0.1:$port --protocol $protocol --concurrency-range $concurrency:$concurrency:1 --duration $model_warmup --warmup 0 --format csv $* >/dev/null  # discarded warm-up")
  timeout "$((model_warmup + 60))" "$infera" bench -m "$model" -u "127.0.0.1:$port" \
    --protocol "$protocol" --concurrency-range "$concurrency:$concurrency:1" \
    --duration "$model_warmup" --warmup 0 --format csv "$@" >/dev/null
}
served tabular_mlp grpc 1:64:63
served tabular_mlp rest-binary 1:64:63
served tabular_mlp rest-json 1:64:63
warm_model resnet18 grpc 16
served resnet18 grpc 4:16:12
warm_model resnet18 rest-binary 16
served resnet18 rest-binary 4:16:12
warm_model text_encoder grpc 16 --shape input_ids:128 --shape attention_mask:128
served text_encoder grpc 1:16:15 --shape input_ids:128 --shape attention_mask:128
warm_model text_encoder rest-binary 16 --shape input_ids:128 --shape attention_mask:128
served text_encoder rest-binary 1:16:15 --shape input_ids:128 --shape attention_mask:128

log "writing $out"
source "$root/bench/report.sh"
# The page keeps what follows the marker (sections recorded by hand and by the other scripts).
marker='<!-- bench/run.sh: the part above is rewritten by each run; the sections below are kept -->'
: >"$work/kept.md"
if [[ -f "$out" ]]; then
  awk -v m="$marker" 'found { print } $0 == m { found = 1 }' "$out" >"$work/kept.md"
fi
{ write_report; echo; echo "$marker"; cat "$work/kept.md"; } >"$work/page.md"
mv "$work/page.md" "$out"
log "done"
