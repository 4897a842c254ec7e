#!/usr/bin/env bash
# Server CPU per request on the small-model request path (issue 15), warm, in one run:
#   (1) nginx answering a fixed reply (tabular_mlp's sample response): the HTTP ceiling;
#   (2) `infera bench trivial-server` (Armeria answering a fixed body): the framework's own floor;
#   (3) `bin/infera serve` with tabular_mlp, after a warm-up under load: REST JSON (wrk c=64, each
#       measurement right after one of nginx's, COST_PAIRS pairs, since the host's speed drifts
#       within minutes; and c=1), REST binary (wrk c=64, KServe binary tensor data in and out) and
#       gRPC (`infera bench` c=64 in its own JVM).
# For each: req/s, p50/p99 (client side) and the server process's CPU time per request (utime +
# stime from /proc/PID/stat, delta over the measurement ÷ requests answered: wrk's count for
# wrk rows, the server's infera_inference_request_success_total delta for the gRPC row), without
# the JIT compiler threads' time, which is shown beside it (near 0 once the server is warm; on a
# busy machine the JIT takes minutes to finish and would otherwise dominate). The CPU per request
# depends much less on what else runs on the machine than the rates do.
# Prints a Markdown section for docs/benchmarks.md on standard output (progress on stderr).
#
# Usage: bench/request-cost.sh [MODELS_DIR]   (default: ../shared/models beside the checkout; the
#        model is MODELS_DIR/tabular_mlp/1/model.onnx with bench/config/tabular_mlp.pbtxt)
# Needs: wrk, nginx (nginx-light is enough), curl, python3 (to write the binary request body).
# Environment: COST_DURATION (seconds per measurement, default 10), COST_SERVER_WARMUP (seconds of
#              load before the first Infera measurement, default 60), COST_CONNECTIONS (64),
#              COST_CEILINGS (0: skip nginx and the trivial endpoint, to compare builds quickly),
#              COST_PAIRS (REST JSON c=64 measurements, each right after one of nginx's, default 3),
#              BENCH_PORT_BASE (default 18600: HTTP, +1 gRPC, +2 metrics, +3 nginx, +4 trivial),
#              BENCH_SKIP_BUILD (set: use the built jars), INFERA_BIN (the `infera` launcher to
#              measure, default this checkout's bin/infera; the load drivers always come from this
#              checkout), INFERA_JAVA_OPTS (server JVM options).
# Loopback only; every step is bounded by `timeout`; the servers stop on exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/nginx-ceiling.sh"
models="$(cd "${1:-$root/../shared/models}" && pwd)"
duration="${COST_DURATION:-10}"
server_warmup="${COST_SERVER_WARMUP:-60}"
connections="${COST_CONNECTIONS:-64}"
pairs="${COST_PAIRS:-3}"
base="${BENCH_PORT_BASE:-18600}"
http=$base grpc=$((base + 1)) metrics=$((base + 2)) ceiling=$((base + 3)) trivial=$((base + 4))
infera="${INFERA_BIN:-$root/bin/infera}"
ticks="$(getconf CLK_TCK)"

log() { echo "bench/request-cost.sh: $*" >&2; }
require_ceiling_inputs "$models" wrk nginx curl python3

work="$(mktemp -d "${TMPDIR:-/tmp}/infera-cost.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  log "building"
  (cd "$root" && ./mvnw -q -B -DskipTests -pl infera-server,infera-bench -am package >&2)
fi

repo="$work/repository"
mkdir -p "$repo/tabular_mlp/1"
ln -s "$models/tabular_mlp/1/model.onnx" "$repo/tabular_mlp/1/model.onnx"
cp "$root/bench/config/tabular_mlp.pbtxt" "$repo/tabular_mlp/config.pbtxt"
json_body="$models/tabular_mlp/samples/case0/request.json"
# The same request with KServe binary tensor data (a JSON header, then the FP32 values) written
# to FILE; prints the header's length.
binary_request() { # request.json FILE
  python3 - "$1" "$2" <<'PY'
import json, struct, sys
tensor = json.load(open(sys.argv[1]))["inputs"][0]
values = struct.pack("<%df" % len(tensor["data"]), *tensor["data"])
header = json.dumps({
    "inputs": [{"name": tensor["name"], "shape": tensor["shape"], "datatype": "FP32",
                "parameters": {"binary_data_size": len(values)}}],
    "outputs": [{"name": "probabilities", "parameters": {"binary_data": True}}],
}, separators=(",", ":")).encode()
open(sys.argv[2], "wb").write(header + values)
print(len(header))
PY
}
binary_body="$work/request.bin"
header_length="$(binary_request "$json_body" "$binary_body")"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# "all jit": the process's CPU ticks (utime + stime), and those of its JIT compiler threads. The
# process's total keeps the time of threads that ended, the sum over its threads does not: so the
# measured JVMs keep their compiler threads (HotSpot otherwise stops idle ones and starts them
# again), or a compiler thread ending in a window would move its whole CPU time into the server's.
jit_threads_fixed="-XX:-UseDynamicNumberOfCompilerThreads"
cpu_ticks() {
  local all
  all=$(sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }')
  cat /proc/"$1"/task/*/stat 2>/dev/null |
    awk -v all="$all" '{ comm = substr($0, index($0, "(") + 1); rest = substr(comm, index(comm, ") ") + 2)
      comm = substr(comm, 1, index(comm, ") ") - 1); split(rest, f, " ")
      if (comm ~ /^C[12] CompilerThre/) jit += f[12] + f[13] } END { printf "%d %d\n", all, jit }'
}
# The java process under a launcher script (bin/infera runs java as its child).
java_pid() {
  local child
  for _ in $(seq 1 100); do
    child="$(ps -o pid=,comm= --ppid "$1" | awk '$2 == "java" { print $1; exit }')"
    [[ -n $child ]] && { echo "$child"; return 0; }
    sleep 0.1
  done
  echo "$1"
}
wait_http() { # url [method]
  for _ in $(seq 1 600); do
    curl -sf -o /dev/null -X "${2:-GET}" "$1" && return 0
    sleep 0.1
  done
  log "no answer from $1"
  return 1
}
# wrk for a number of seconds; prints "requests rps p50_ms p99_ms failures".
wrk_run() { # url connections seconds body [header-length]
  local content_type="application/json" length=""
  if [[ -n ${5:-} ]]; then content_type="application/octet-stream" length=$5; fi
  WRK_BODY="$4" WRK_CONTENT_TYPE="$content_type" WRK_HEADER_LENGTH="$length" \
    timeout $(($3 + 30)) wrk -t1 -c"$2" -d"$3s" -s "$root/bench/wrk/post.lua" "$1" 2>/dev/null |
    sed -n 's/^RESULT //p' | tr ' ' '\n' |
    awk -F= '{ v[$1] = $2 } END { printf "%s %s %s %s %d\n", v["requests"], v["rps"], v["p50_ms"], v["p99_ms"], v["errors"] + v["non2xx"] }'
}
rows=()
# One measured row: CPU of process PID over a wrk run ÷ the requests wrk counted.
measure_wrk() { # label pid url connections body [header-length]
  local label=$1 pid=$2 before after requests rps p50 p99 failures
  before=$(cpu_ticks "$pid")
  read -r requests rps p50 p99 failures < <(wrk_run "$3" "$4" "$duration" "$5" "${6:-}")
  after=$(cpu_ticks "$pid")
  if [[ -z $requests || $requests == 0 ]]; then
    log "$label: wrk measured nothing (it failed or timed out); stopping"
    exit 1
  fi
  add_row "$label" "$requests" "$rps" "$p50" "$p99" "$failures" "$before" "$after"
}
add_row() { # label requests rps p50 p99 failures "all jit" "all jit" (ticks before, after)
  local us jit
  read -r us jit < <(awk -v n="$2" -v hz="$ticks" -v b="$7" -v a="$8" 'BEGIN { split(b, x, " ")
    split(a, y, " "); jit = y[2] - x[2]; all = y[1] - x[1]; f = (n > 0) ? 1e6 / hz / n : 0
    printf "%.1f %.1f\n", (all - jit) * f, jit * f }')
  rows+=("$1|$3|$4|$5|$us|$jit|$6")
  log "$1: $3 req/s, p50 $4 ms, p99 $5 ms, $us µs CPU/request (+ $jit µs JIT), $6 failed"
}
successes() {
  curl -sf "http://127.0.0.1:$metrics/metrics" |
    awk '/^infera_inference_request_success_total\{.*model="tabular_mlp"/ { s += $NF } END { printf "%d\n", s }'
}

nginx_rps=0
if [[ ${COST_CEILINGS:-1} != 0 ]]; then
# --- (1) nginx with a fixed reply -------------------------------------------------------------------
start_nginx_ceiling "$work/nginx" "$ceiling" "$models"
pids+=("$nginx_pid")
url="http://127.0.0.1:$ceiling/v2/models/tabular_mlp/infer"
ceiling_url=$url
wrk_run "$url" "$connections" 3 "$json_body" >/dev/null
measure_wrk "nginx fixed reply, c=$connections" "$nginx_pid" "$url" "$connections" "$json_body"
nginx_rps="${rows[-1]#*|}" nginx_rps="${nginx_rps%%|*}"
measure_wrk "nginx fixed reply, c=1" "$nginx_pid" "$url" 1 "$json_body"
# nginx stays up, idle, for the alternating pairs with Infera below.

# --- (2) Armeria's trivial endpoint -------------------------------------------------------------------
INFERA_BENCH_JAVA_OPTS="$jit_threads_fixed ${INFERA_BENCH_JAVA_OPTS:-}" \
  "$root/bench/infera-bench" trivial-server --port "$trivial" >"$work/trivial.log" 2>&1 &
pids+=($!)
trivial_pid=${pids[-1]} # bench/infera-bench execs java
wait_http "http://127.0.0.1:$trivial/" POST
url="http://127.0.0.1:$trivial/v2/models/tabular_mlp/infer"
log "trivial endpoint: $((server_warmup / 2))s of warm-up load"
wrk_run "$url" "$connections" $((server_warmup / 2)) "$json_body" >/dev/null
measure_wrk "Armeria trivial endpoint, c=$connections" "$trivial_pid" "$url" "$connections" "$json_body"
kill "$trivial_pid" && wait "$trivial_pid" 2>/dev/null || true
fi

# --- (3) Infera serving tabular_mlp -------------------------------------------------------------------
INFERA_JAVA_OPTS="$jit_threads_fixed ${INFERA_JAVA_OPTS:-}" \
  "$infera" serve --model-repository "$repo" --http-port "$http" --grpc-port "$grpc" \
  --metrics-port "$metrics" >"$work/server.log" 2>&1 &
pids+=($!)
server_pid=$(java_pid "${pids[-1]}")
wait_http "http://127.0.0.1:$http/v2/models/tabular_mlp/ready" || { tail -40 "$work/server.log" >&2; exit 1; }
url="http://127.0.0.1:$http/v2/models/tabular_mlp/infer"
grpc_bench() { # seconds: infera bench over gRPC, c=$connections, CSV on standard output
  timeout $(($1 * 2 + 120)) "$root/bench/infera-bench" -m tabular_mlp -u "127.0.0.1:$grpc" \
    --protocol grpc --input-data "$json_body" --concurrency-range "$connections" \
    --duration "$1" --warmup 3 --format csv 2>"$work/grpc.log" || { cat "$work/grpc.log" >&2; exit 1; }
}
log "server: ${server_warmup}s of warm-up load (REST JSON, then binary, then gRPC)"
wrk_run "$url" "$connections" $((server_warmup / 2)) "$json_body" >/dev/null
wrk_run "$url" "$connections" $((server_warmup / 4)) "$binary_body" "$header_length" >/dev/null
grpc_bench $((server_warmup / 4)) >/dev/null
# REST JSON c=64 against nginx in alternating pairs, so that both see the host's same minutes
# (its speed drifts by tens of percent within minutes here); then nginx is done.
ratios=()
for pair in $(seq 1 "$pairs"); do
  if [[ $nginx_rps != 0 ]]; then
    measure_wrk "nginx fixed reply, c=$connections (pair $pair)" "$nginx_pid" "$ceiling_url" "$connections" "$json_body"
    pair_nginx="${rows[-1]#*|}" pair_nginx="${pair_nginx%%|*}"
  fi
  measure_wrk "Infera REST JSON, c=$connections (pair $pair)" "$server_pid" "$url" "$connections" "$json_body"
  json_rps="${rows[-1]#*|}" json_rps="${json_rps%%|*}"
  if [[ $nginx_rps != 0 ]]; then
    ratios+=("$(awk -v a="$json_rps" -v b="$pair_nginx" 'BEGIN { printf "%.0f", 100 * a / b }')")
  fi
done
if [[ $nginx_rps != 0 ]]; then kill "$nginx_pid" && wait "$nginx_pid" 2>/dev/null || true; fi
measure_wrk "Infera REST JSON, c=1" "$server_pid" "$url" 1 "$json_body"
measure_wrk "Infera REST binary, c=$connections" "$server_pid" "$url" "$connections" "$binary_body" "$header_length"
# gRPC: infera bench in its own JVM (its 3-s warm-up included in the server's CPU and request count).
before_cpu=$(cpu_ticks "$server_pid") before_ok=$(successes)
grpc_bench "$duration" >"$work/grpc.csv"
after_cpu=$(cpu_ticks "$server_pid") after_ok=$(successes)
read -r g_rps g_p50 g_p99 g_err < <(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
  { print $c["req_per_s"], $c["p50_ms"], $c["p99_ms"], $c["errors"] }' "$work/grpc.csv")
add_row "Infera gRPC, c=$connections (infera bench)" $((after_ok - before_ok)) "$g_rps" "$g_p50" "$g_p99" "${g_err:-0}" "$before_cpu" "$after_cpu"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- report ---------------------------------------------------------------------------------------
echo "### Request cost: tabular_mlp, server CPU per request (bench/request-cost.sh)"
echo
echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(java -version 2>&1 | head -1);"
echo "load average before / after: $load_before / $load_after. ${duration}-s measurements, warm"
echo "(${server_warmup} s of load first); wrk -t1, gRPC by \`infera bench\` in a second JVM."
echo
echo "| what | req/s | p50 ms | p99 ms | server CPU µs/request | + JIT compiler µs/request | failed |"
echo "|---|---|---|---|---|---|---|"
for row in "${rows[@]}"; do echo "| ${row//|/ | } |"; done
echo
if [[ $nginx_rps == 0 ]]; then
  echo "nginx not measured in this run (COST_CEILINGS=0)."
else
  echo "REST JSON c=$connections against nginx's fixed reply, alternating pairs: $(printf '%s %%, ' "${ratios[@]}" | sed 's/, $//')" \
    "(mean $(printf '%s\n' "${ratios[@]}" | awk '{ s += $1 } END { printf "%.0f", s / NR }') %)."
fi
