#!/usr/bin/env bash
# ResNet-18 (fp16, channels-last, random weights) served by Infera's Python backend on a GPU,
# beside the PyTorch ceiling measured in the same run. One bounded call on a borrowed GPU
# machine (Python, PyTorch and CUDA there; no Java, no network), from the repository root, with
# .gpu/bundle carried (built here by bench/gpu/make-bundle.sh):
#   1. facts: GPU, driver, torch, CUDA;
#   2. nvidia-smi sampled every 200 ms for the whole run (phases.txt maps times to steps);
#   3. the ceiling: bench/gpu/ceiling.py (device only, and with host<->device copies);
#   4. the server on the GPU: resnet18_torch with KIND_GPU instances, `infera bench` over gRPC at
#      several concurrencies, REST binary at one;
#   5. a summary: images/s, p99, ratio to the ceiling with copies, GPU utilization per step.
# Everything lands in $OUT. A dry run on a CPU tests every step:
#   DEVICE=cpu SMALL=1 OUT=/tmp/gpu-out bench/gpu/run-on-device.sh
# Environment: OUT (default .gpu/out), WORK (default /tmp/infera-gpu), LIMIT (seconds for the
#   whole run, default 480), DURATION (seconds per bench step, default 10), DEVICE (gpu|cpu,
#   default gpu when nvidia-smi and torch.cuda are there), SMALL=1 (32x32 images, width 8),
#   INSTANCES (GPU instances, default 4), CONCURRENCY (default "1 16 64 128 256"), CONNECTIONS
#   (gRPC connections of `infera bench`, default 8; c=64 also runs over one), IO_THREADS (its REST
#   event-loop threads, default 8). One HTTP/2 connection is one event loop at each end: 600-KB
#   images over a single one measure that loop, not the server.
set -uo pipefail
if [[ -z "${RUN_ON_DEVICE_INNER:-}" ]]; then
  export RUN_ON_DEVICE_INNER=1
  exec timeout -k 10 "${LIMIT:-480}" bash "$0" "$@"
fi
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root="$PWD"
out="${OUT:-$root/.gpu/out}"
work="${WORK:-/tmp/infera-gpu}"
duration="${DURATION:-10}"
mkdir -p "$out" && rm -rf "$work" && mkdir -p "$work"
exec > >(tee -a "$out/run.log") 2>&1
t0=$(date +%s)
pids=()
stop() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 40); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.25; done
  kill -9 "$1" 2>/dev/null
}
cleanup() { for p in "${pids[@]}"; do stop "$p"; done; pids=(); }
trap cleanup EXIT
trap 'exit 143' TERM INT
phase() { echo "$(date +%s.%N) $*" >>"$out/phases.txt"; echo "== [$(($(date +%s) - t0))s] $*"; }

py=""
for candidate in python3 /opt/torch/.venv/bin/python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import torch, numpy' 2>/dev/null; then
    py="$(command -v "$candidate")"; break
  fi
done
[[ -n "$py" ]] || { echo "no Python with torch and numpy"; exit 1; }
device="${DEVICE:-}"
if [[ -z "$device" ]]; then
  device=cpu
  command -v nvidia-smi >/dev/null && "$py" -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null && device=gpu
fi
if [[ -n "${SMALL:-}" ]]; then size=32 width=8 max_batch=16; else size=224 width=64 max_batch=256; fi
instances="${INSTANCES:-4}"
connections="${CONNECTIONS:-8}"
io_threads="${IO_THREADS:-8}"
concurrency="${CONCURRENCY:-1 16 64 128 256}"
[[ -n "${SMALL:-}" ]] && concurrency="${CONCURRENCY:-1 4}"

# --- 1. facts ----------------------------------------------------------------------------------
phase "facts"
{
  date -u; uname -r; echo "nproc $(nproc)"; free -g | head -n 2
  echo "python $py; device $device; image ${size}x${size}; width $width; instances $instances; bench connections $connections, io threads $io_threads"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,utilization.gpu --format=csv
  timeout 60 "$py" -c 'import torch, numpy; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available(), "numpy", numpy.__version__)'
} >"$out/facts.txt" 2>&1
cat "$out/facts.txt"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=timestamp,utilization.gpu,memory.used,power.draw \
    --format=csv,noheader,nounits -lms 200 >"$out/nvsmi.csv" 2>&1 &
  pids+=($!)
fi

# --- unpack ------------------------------------------------------------------------------------
phase "unpack"
timeout 90 tar -xJf "$root/.gpu/bundle/infera.tar.xz" -C "$work" || { echo "unpack failed"; exit 1; }
cat "$work/infera/BUILD-INFO"
java="$work/infera/jre/bin/java"
native="-Donnxruntime.native.path=$work/infera/native"
server_jar="$(ls "$work"/infera/infera-server-*.jar)"
bench_jar="$(ls "$work"/infera/infera-bench-*.jar)"

# --- 2. the ceiling ----------------------------------------------------------------------------
phase "ceiling start"
if [[ -n "${SMALL:-}" ]]; then
  SIZE=$size WIDTH=$width BATCHES=1,4,16 ITERS=5 SUSTAIN=1 timeout 150 "$py" -u bench/gpu/ceiling.py "$out/ceiling.csv"
else
  SIZE=$size WIDTH=$width timeout 200 "$py" -u bench/gpu/ceiling.py "$out/ceiling.csv"
fi
echo "ceiling.py exit $?"
phase "ceiling end"

# --- 3. the server -----------------------------------------------------------------------------
repo="$work/repo"
mkdir -p "$repo/resnet18_torch/1"
cp bench/gpu/models/resnet18_torch/1/*.py "$repo/resnet18_torch/1/"
kind=KIND_CPU
[[ $device == gpu ]] && kind=KIND_GPU
cat >"$repo/resnet18_torch/config.pbtxt" <<CFG
name: "resnet18_torch"
backend: "python"
max_batch_size: $max_batch
input [ { name: "images" data_type: TYPE_FP32 dims: [ 3, $size, $size ] } ]
output [ { name: "logits" data_type: TYPE_FP32 dims: [ 1000 ] } ]
dynamic_batching { max_queue_delay_microseconds: 500 }
instance_group [ { count: $instances kind: $kind } ]
parameters { key: "width" value: { string_value: "$width" } }
parameters { key: "execute_timeout_seconds" value: { string_value: "120" } }
parameters { key: "startup_timeout_seconds" value: { string_value: "300" } }
CFG
phase "server start"
INFERA_PYTHON="$py" "$java" "$native" -jar "$server_jar" serve --model-repository "$repo" \
  --http-port 18400 --grpc-port 18401 --metrics-port 18402 --exit-timeout-secs 5 \
  --http2-max-concurrent-streams 512 \
  >"$out/server.log" 2>&1 &
server=$!
pids+=($server)
ready=""
for _ in $(seq 1 480); do
  if "$py" -c "import urllib.request as u; u.urlopen('http://127.0.0.1:18400/v2/models/resnet18_torch/ready', timeout=1)" 2>/dev/null; then
    ready=1; break
  fi
  kill -0 "$server" 2>/dev/null || break
  sleep 0.5
done
csv="$out/served.csv"
: >"$csv"
if [[ -n "$ready" ]]; then
  echo "server ready after $(($(date +%s) - t0))s of the run"
  bench() { timeout $((duration + 60)) "$java" "$native" -jar "$bench_jar" "$@"; }
  bench -m resnet18_torch -u 127.0.0.1:18401 --protocol grpc --concurrency-range 16:16:1 \
    --duration 5 --warmup 0 --format csv >/dev/null
  top_during() {  # the busiest threads of the machine over 1 s, 6 s into a step
    command -v top >/dev/null || return 0
    (sleep 6; { echo "== $1"; top -H -b -n 2 -d 1 -w 180 | awk '/^top -/ { n++ } n == 2' | head -n 30; } >>"$out/top.txt") &
  }
  for c in $concurrency; do
    phase "served grpc c=$c"
    top_during "grpc c=$c"
    bench -m resnet18_torch -u 127.0.0.1:18401 --protocol grpc --metrics-url 127.0.0.1:18402 \
      --connections "$connections" --concurrency-range "$c:$c:1" --duration "$duration" --warmup 2 \
      --format csv | sed "s/^/grpc,/" >>"$csv"
  done
  phase "served grpc-1conn c=64"
  top_during "grpc-1conn c=64"
  bench -m resnet18_torch -u 127.0.0.1:18401 --protocol grpc --metrics-url 127.0.0.1:18402 \
    --connections 1 --concurrency-range 64:64:1 --duration "$duration" --warmup 2 --format csv \
    | sed "s/^/grpc-1conn,/" >>"$csv"
  c="${concurrency##* }"
  phase "served rest-binary c=$c"
  top_during "rest-binary c=$c"
  bench -m resnet18_torch -u 127.0.0.1:18400 --protocol rest-binary --metrics-url 127.0.0.1:18402 \
    --io-threads "$io_threads" --concurrency-range "$c:$c:1" --duration "$duration" --warmup 2 \
    --format csv | sed "s/^/rest-binary,/" >>"$csv"
  phase "served end"
  "$py" -c "import urllib.request as u; print(u.urlopen('http://127.0.0.1:18402/metrics').read().decode())" >"$out/metrics.txt" 2>&1
else
  echo "server not ready; its log:"; tail -n 60 "$out/server.log"
fi
cleanup

# --- 4. summary --------------------------------------------------------------------------------
phase "summary"
"$py" - "$out" <<'PY'
import csv, datetime, os, re, statistics, sys
out = sys.argv[1]
def rows(name):
    p = os.path.join(out, name)
    return list(csv.DictReader(open(p))) if os.path.exists(p) and os.path.getsize(p) else []
ceiling = rows("ceiling.csv")
print("\n### PyTorch ceiling (same network, same device)")
for r in ceiling:
    print("  " + ", ".join(f"{k}={v}" for k, v in r.items() if v))
best = max([float(r["images_per_s"]) for r in ceiling if r["path"] == "with-copies" and r["images_per_s"]] or [0])
samples = []
p = os.path.join(out, "nvsmi.csv")
if os.path.exists(p):
    for line in open(p):
        f = [x.strip() for x in line.split(",")]
        try:
            samples.append((datetime.datetime.strptime(f[0], "%Y/%m/%d %H:%M:%S.%f").timestamp(), float(f[1]), float(f[2])))
        except (ValueError, IndexError):
            pass
phases = []
for line in open(os.path.join(out, "phases.txt")):
    t, name = line.split(" ", 1)
    phases.append((float(t), name.strip()))
def utilization(name):
    for i, (t, n) in enumerate(phases):
        if n == name and i + 1 < len(phases):
            u = [s[1] for s in samples if t + 3 <= s[0] <= phases[i + 1][0]]  # after bench warm-up
            if u:
                return f"{statistics.median(u):.0f}% (min {min(u):.0f}, max {max(u):.0f}, {len(u)} samples)"
    return "n/a"
for r in ceiling:
    if r["phase"] == "sustained" and samples:
        u = [s[1] for s in samples if float(r["t_start"]) + 0.5 <= s[0] <= float(r["t_end"])]
        if u:
            print(f"  nvidia-smi during sustained batch {r['batch']}: median {statistics.median(u):.0f}%")
print(f"\n### Served by Infera's Python backend (ceiling with copies: {best:.0f} images/s)")
print("| protocol | concurrency | images/s | p50 ms | p99 ms | ratio to ceiling | mean batch | GPU utilization |")
print("|---|---|---|---|---|---|---|---|")
for line in open(os.path.join(out, "served.csv")) if os.path.exists(os.path.join(out, "served.csv")) else []:
    f = line.strip().split(",")
    if len(f) < 13 or f[1] == "concurrency":
        continue
    proto, c, ips, p50, p99, batch = f[0], f[1], float(f[4]), f[5], f[8], f[12]
    ratio = f"{ips / best:.2f}" if best else "n/a"
    print(f"| {proto} | {c} | {ips:.0f} | {p50} | {p99} | {ratio} | {batch} | {utilization(f'served {proto} c={c}')} |")
m = os.path.join(out, "metrics.txt")
if os.path.exists(m):
    text = open(m).read()
    for name in ("infera_python_execute_duration_seconds", "infera_python_transfer_duration_seconds"):
        s = re.search(name + r'_sum\{[^}]*\} ([0-9.eE+-]+)', text)
        n = re.search(name + r'_count\{[^}]*\} ([0-9.eE+-]+)', text)
        if s and n and float(n.group(1)):
            print(f"  {name}: mean {float(s.group(1)) / float(n.group(1)) * 1e3:.2f} ms per batch over {float(n.group(1)):.0f} batches")
PY
echo "run took $(($(date +%s) - t0))s; files in $out: $(ls "$out" | tr '\n' ' ')"
