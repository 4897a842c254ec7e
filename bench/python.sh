#!/usr/bin/env bash
# The Python backend against ONNX Runtime on the same work, side by side in one server:
#   simple (ONNX, INT32 add/sub)      vs  add_sub_py   (NumPy model.py, same tensors)
#   tabular_mlp (ONNX, 64-256-256-2)  vs  tabular_torch (PyTorch model.py, same weights)
# each over gRPC with `infera bench` at concurrency 1 and 64, then the server's own split of the
# Python round trip (infera_python_execute_duration vs infera_python_transfer_duration).
# Prints CSV rows and a summary; docs/benchmarks.md records a run.
#
# Usage: bench/python.sh
# Environment: BENCH_DURATION (seconds per step, default 10), BENCH_WARMUP (default 3),
#   BENCH_PORT_BASE (default 18600), BENCH_SKIP_BUILD (set: use the built jars),
#   INFERA_PYTHON (the Python with NumPy and PyTorch; default /usr/bin/python3).
# Loopback only; every step is bounded by `timeout`; the server stops on exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
duration="${BENCH_DURATION:-10}"
warmup="${BENCH_WARMUP:-3}"
base="${BENCH_PORT_BASE:-18600}"
http=$base grpc=$((base + 1)) metrics=$((base + 2))
export INFERA_PYTHON="${INFERA_PYTHON:-/usr/bin/python3}"
step_limit=$((2 * (duration + warmup) + 60))
work="$(mktemp -d "${TMPDIR:-/tmp}/infera-python-bench.XXXXXX")"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
log() { echo "bench/python.sh: $*" >&2; }

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  log "building"
  (cd "$root" && ./mvnw -q -B -DskipTests -pl infera-server,infera-bench -am package >&2)
fi
infera="$root/bin/infera"

repo="$work/repository"
mkdir -p "$repo"
cp -r "$root/examples/models/simple" "$root/examples/models/tabular_mlp" "$repo/"
cp -r "$root/examples/python-models/tabular_torch" "$repo/"
# add_sub_py: the NumPy example on simple's tensors (INT32 [16], the same batching).
cp -r "$root/examples/python-models/add_sub" "$repo/add_sub_py"
sed -e 's/name: "add_sub"/name: "add_sub_py"/' -e 's/TYPE_FP32/TYPE_INT32/g' \
  -e 's/max_batch_size: 64/max_batch_size: 8/' \
  "$root/examples/python-models/add_sub/config.pbtxt" >"$repo/add_sub_py/config.pbtxt"

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
"$infera" serve --model-repository "$repo" --http-port "$http" --grpc-port "$grpc" \
  --metrics-port "$metrics" >"$work/server.log" 2>&1 &
server_pid=$!
for model in simple add_sub_py tabular_mlp tabular_torch; do
  for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$http/v2/models/$model/ready" >/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || { tail -40 "$work/server.log" >&2; exit 1; }
    sleep 0.5
  done
done
log "server ready; warming up (discarded)"
for model in simple add_sub_py tabular_mlp tabular_torch; do
  timeout "$step_limit" "$infera" bench -m "$model" -u "127.0.0.1:$grpc" --protocol grpc \
    --concurrency-range 16:16:1 --duration 5 --warmup 0 --format csv >/dev/null
done

csv="$work/results.csv"
echo "model,backend,concurrency,req_per_s,p50_ms,p99_ms,errors" >"$csv"
for pair in "simple onnxruntime" "add_sub_py python" "tabular_mlp onnxruntime" "tabular_torch python"; do
  read -r model backend <<<"$pair"
  for c in 1 64; do
    log "$model c=$c"
    timeout "$step_limit" "$infera" bench -m "$model" -u "127.0.0.1:$grpc" --protocol grpc \
      --concurrency-range "$c:$c:1" --duration "$duration" --warmup "$warmup" --format csv \
      | awk -F, -v m="$model" -v b="$backend" 'NR > 1 {print m "," b "," $1 "," $3 "," $5 "," $8 "," $9}' >>"$csv"
  done
done
scrape="$(curl -sf "http://127.0.0.1:$metrics/metrics")"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

echo "# bench/python.sh $(date -u +%FT%TZ) on $(nproc) cores; load average before $load_before, after $load_after"
cat "$csv"
python3 - "$csv" <<PY
import csv, re, sys
rows = {(r["model"], r["concurrency"]): r for r in csv.DictReader(open(sys.argv[1]))}
scrape = """$scrape"""
def series(name, model):
    m = re.search(r'^%s\{model="%s",version="1"\} ([0-9.eE+-]+)$' % (name, model), scrape, re.M)
    return float(m.group(1)) if m else float("nan")
print()
print("| work | c | ONNX Runtime req/s | p99 ms | Python backend req/s | p99 ms | ratio | p50 difference, µs |")
print("|---|---|---|---|---|---|---|---|")
for onnx, py, label in [("simple", "add_sub_py", "add/sub INT32[16]"), ("tabular_mlp", "tabular_torch", "tabular MLP")]:
    for c in ("1", "64"):
        a, b = rows.get((onnx, c)), rows.get((py, c))
        if not a or not b:
            continue
        ratio = float(b["req_per_s"]) / float(a["req_per_s"])
        hop = (float(b["p50_ms"]) - float(a["p50_ms"])) * 1000
        print(f"| {label} | {c} | {float(a['req_per_s']):,.0f} | {float(a['p99_ms']):.2f} | "
              f"{float(b['req_per_s']):,.0f} | {float(b['p99_ms']):.2f} | {ratio:.2f} | {hop:+.0f} |")
print()
for model in ("add_sub_py", "tabular_torch"):
    ex_sum, ex_n = series("infera_python_execute_duration_seconds_sum", model), series("infera_python_execute_duration_seconds_count", model)
    tr_sum, tr_n = series("infera_python_transfer_duration_seconds_sum", model), series("infera_python_transfer_duration_seconds_count", model)
    if ex_n and tr_n:
        print(f"{model}: {ex_n:.0f} batches; mean per batch: {ex_sum / ex_n * 1e6:.0f} µs in execute, "
              f"{tr_sum / tr_n * 1e6:.0f} µs outside it (copies through shared memory, control messages)")
PY
