#!/usr/bin/env bash
# The warm-up ramp of a served model, with the HTTP ceiling measured in the same run:
#   (1) nginx answering a fixed reply (tabular_mlp's sample response) at wrk -t1 -c64: the ceiling,
#       measured right before each mode's server start (the host drifts within minutes);
#   (2) for the server warm-up on and off: start `bin/infera serve`, time start-to-ready (launch to
#       the first 200 from /v2/health/ready), then from that moment drive tabular_mlp's REST JSON
#       inference with wrk -t1 -c64 in back-to-back windows (5 s by default) and report req/s and
#       p99 per window, the steady state (mean of the last 3 windows) and the first window's share
#       of it. A mode with "+cds" starts with the class-data archive of `bin/infera cds-archive`
#       (an AppCDS archive before JDK 25, an AOT cache with method profiles from 25 on), recorded
#       here first on the same repository (its warm-up included) and timed;
#   (0) before that, start-up alone: WARMUP_STARTS starts each without and with the archive,
#       alternating, --warmup=false: start-to-ready and the process CPU time at ready (robust to
#       other load on the machine), medians.
# Prints a Markdown section for docs/benchmarks.md on standard output (progress on stderr).
#
# Usage: bench/warmup.sh [MODELS_DIR]   (default: ../shared/models beside the checkout; the model
#        is taken from MODELS_DIR/tabular_mlp/1/model.onnx with bench/config/tabular_mlp.pbtxt)
# Needs: wrk and nginx (Debian: `apt-get install -y wrk nginx-light`; nginx-light is enough).
# Environment: WARMUP_RAMP_SECS (load after ready per run, default 45), WARMUP_WINDOW_SECS (5),
#              WARMUP_CONNECTIONS (64), WARMUP_MODES ("on off on+cds off+cds": --warmup on/off,
#              without/with the archive), WARMUP_STARTS (5; 0 skips (0)), JAVA_HOME or JAVA (the
#              JDK, as bin/infera picks it), BENCH_PORT_BASE (default 18500:
#              HTTP, +1 gRPC, +2 metrics, +3 nginx), BENCH_SKIP_BUILD (set: use the built jars),
#              INFERA_JAVA_OPTS (server JVM options), INFERA_JIT (bin/infera's JIT settings:
#              jvm-defaults, the default, or fast-warmup), WARMUP_SECS (the server's --warmup-secs
#              cap; default its own, 10).
# Loopback only; every step is bounded by `timeout`; the servers stop on exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/nginx-ceiling.sh"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
models="$(cd "${1:-$root/../shared/models}" && pwd)"
ramp="${WARMUP_RAMP_SECS:-45}"
window="${WARMUP_WINDOW_SECS:-5}"
connections="${WARMUP_CONNECTIONS:-64}"
modes="${WARMUP_MODES:-on off on+cds off+cds}"
starts="${WARMUP_STARTS:-5}"
base="${BENCH_PORT_BASE:-18500}"
http=$base grpc=$((base + 1)) metrics=$((base + 2)) ceiling=$((base + 3))
windows=$(((ramp + window - 1) / window))

log() { echo "bench/warmup.sh: $*" >&2; }
require_ceiling_inputs "$models" wrk nginx curl

work="$(mktemp -d "${TMPDIR:-/tmp}/infera-warmup.XXXXXX")"
server_pid="" nginx_pid=""
cleanup() {
  for pid in $server_pid $nginx_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $server_pid $nginx_pid; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
  log "building"
  (cd "$root" && ./mvnw -q -B -DskipTests -pl infera-server -am package >&2)
fi
infera="$root/bin/infera"
java_bin="${JAVA:-}"
[[ -n "$java_bin" ]] || { [[ -n "${JAVA_HOME:-}" ]] && java_bin="$JAVA_HOME/bin/java"; } || java_bin=java

repo="$work/repository"
mkdir -p "$repo/tabular_mlp/1"
ln -s "$models/tabular_mlp/1/model.onnx" "$repo/tabular_mlp/1/model.onnx"
cp "$root/bench/config/tabular_mlp.pbtxt" "$repo/tabular_mlp/config.pbtxt"
body="$models/tabular_mlp/samples/case0/request.json"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

num() { awk -v v="$1" 'BEGIN { printf(v >= 100 ? "%.0f" : "%.2f", v) }'; }
# One wrk window: prints "rps p99_ms non2xx+errors".
wrk_window() { # url seconds
  WRK_BODY="$body" timeout $(($2 + 30)) wrk -t1 -c"$connections" -d"$2s" \
    -s "$root/bench/wrk/post.lua" "$1" 2>/dev/null |
    sed -n 's/^RESULT //p' | tr ' ' '\n' |
    awk -F= '{ v[$1] = $2 } END { printf "%s %s %d\n", v["rps"], v["p99_ms"], v["errors"] + v["non2xx"] }'
}
# A window whose result lands in window_result; stops the script when wrk measured nothing (it
# failed or timed out), rather than averaging an empty window in as 0 req/s. Not in a subshell, so
# that the exit stops the script.
window_result=""
run_window() { # url seconds
  window_result=$(wrk_window "$1" "$2")
  if [[ -z ${window_result%% *} ]]; then
    log "wrk measured nothing at $1 (it failed or timed out); stopping"
    exit 1
  fi
}

# Starts the server (flags after the mode's), waits for ready: sets ready_ms and cpu_s (the JVM's
# CPU time at that moment). $1: INFERA_CDS (on/off), $2: --warmup value, $3: its log file.
start_server() {
  local start_ns
  start_ns=$(date +%s%N)
  INFERA_CDS="$1" "$infera" serve --model-repository "$repo" --http-port "$http" --grpc-port "$grpc" \
    --metrics-port "$metrics" --warmup="$2" ${WARMUP_SECS:+--warmup-secs "$WARMUP_SECS"} >"$3" 2>&1 &
  server_pid=$!
  local ok=""
  for _ in $(seq 1 3000); do # 0.02-s polls, 60 s at most
    if curl -sf -o /dev/null "http://127.0.0.1:$http/v2/health/ready"; then ok=1; break; fi
    sleep 0.02
  done
  [[ -n $ok ]] || { tail -40 "$3" >&2; exit 1; }
  ready_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
  local jvm
  jvm="$(pgrep -P "$server_pid" | head -1)"
  cpu_s=$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$jvm/stat" 2>/dev/null || echo 0)
}
stop_server() { kill "$server_pid" && wait "$server_pid" 2>/dev/null || true; server_pid=""; }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

archive_s="" archive_note=""
if [[ " $modes " == *"+cds"* || $starts -gt 0 ]]; then
  log "recording the class-data archive (bin/infera cds-archive, warm-up on)"
  t0=$(date +%s%N)
  "$infera" cds-archive --model-repository "$repo" 2>"$work/archive.log" >&2 ||
    { cat "$work/archive.log" >&2; exit 1; }
  archive_s=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  archive_note="$(grep -o 'wrote .*(.*)' "$work/archive.log" | sed 's/^wrote //' || true)"
  log "archive recorded in ${archive_s} s: $archive_note"
fi

# --- (0) start-up alone, without and with the archive -------------------------------------------
for i in $(seq 1 "$starts"); do
  for cds in off on; do
    start_server "$cds" false "$work/start_${cds}_$i.log"
    echo "$ready_ms $cpu_s" >>"$work/starts_$cds.txt"
    log "start $i, archive $cds: ready after $ready_ms ms, $cpu_s s CPU"
    stop_server
  done
done

# --- (1) the ceiling: nginx with a fixed reply, right before each server start -----------------
# (the host's speed drifts by tens of percent within minutes: each mode against its own ceiling)
declare -A nginx_rps nginx_p99
measure_nginx() { # mode: one discarded window, then two (their mean req/s, their worst p99)
  local url="http://127.0.0.1:$ceiling/v2/models/tabular_mlp/infer" sum=0 worst=0
  start_nginx_ceiling "$work/nginx_$1" "$ceiling" "$models"
  run_window "$url" "$window"
  for _ in 1 2; do
    run_window "$url" "$window"
    read -r rps p99 _ <<<"$window_result"
    sum=$(awk -v a="$sum" -v b="$rps" 'BEGIN { print a + b }')
    worst=$(awk -v a="$worst" -v b="$p99" 'BEGIN { print (b > a) ? b : a }')
  done
  kill "$nginx_pid" && wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=""
  nginx_rps[$1]=$(awk -v s="$sum" 'BEGIN { print s / 2 }')
  nginx_p99[$1]=$worst
  log "nginx ceiling before mode $1: $(num "${nginx_rps[$1]}") req/s, worst p99 ${worst} ms"
}

# --- (2) the ramp, warm-up on and off ---------------------------------------------------------------
declare -A ready_s ready_cpu warm_log
for mode in $modes; do
  flag=true cds=off
  [[ $mode == off* ]] && flag=false
  [[ $mode == *+cds ]] && cds=on
  measure_nginx "$mode"
  log "server with --warmup=$flag, archive $cds"
  start_server "$cds" "$flag" "$work/server_$mode.log"
  ready_s[$mode]=$(awk -v v="$ready_ms" 'BEGIN { printf "%.2f", v / 1000 }')
  ready_cpu[$mode]=$cpu_s
  warm_log[$mode]="$(grep -o 'warm-up took.*' "$work/server_$mode.log" | head -1 || true)"
  log "ready after ${ready_s[$mode]} s (${cpu_s} s CPU); ${warm_log[$mode]}"
  for i in $(seq 1 "$windows"); do
    run_window "http://127.0.0.1:$http/v2/models/tabular_mlp/infer" "$window"
    echo "$window_result" >>"$work/ramp_$mode.txt"
    log "  window $i: $window_result"
  done
  stop_server
done
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

# --- report ---------------------------------------------------------------------------------------
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf("%.0f %%", 100 * a / b); else print "-" }'; }
echo "### Warm-up ramp: tabular_mlp REST JSON, wrk -t1 -c$connections, ${window}-s windows from ready"
echo
echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $("$java_bin" -version 2>&1 | head -1), INFERA_JIT=${INFERA_JIT:-jvm-defaults}, warm-up cap ${WARMUP_SECS:-10} s;"
ceilings=""
for mode in $modes; do
  ceilings="$ceilings${ceilings:+; }before $mode $(num "${nginx_rps[$mode]}") req/s (worst p99 $(num "${nginx_p99[$mode]}") ms)"
done
echo "load average before / after: $load_before / $load_after. Ceiling: nginx $("$nginx_bin" -v 2>&1 | sed 's/.*\///')"
echo "with a fixed reply, measured (2 windows) right before each server start: $ceilings."
echo
if [[ -n $archive_s ]]; then
  echo "Class-data archive (\`bin/infera cds-archive\` on this repository, warm-up on): recorded in ${archive_s} s, $archive_note."
  echo
fi
if (( starts > 0 )); then
  echo "Start-up alone (--warmup=false), medians of $starts starts each, alternating:"
  echo
  echo "| archive | start-to-ready s | process CPU at ready s |"
  echo "|---|---|---|"
  for cds in off on; do
    echo "| $cds | $(cut -d' ' -f1 "$work/starts_$cds.txt" | median | awk '{ printf "%.2f", $1 / 1000 }') | $(cut -d' ' -f2 "$work/starts_$cds.txt" | median) |"
  done
  echo
fi
header="| window (s after ready) |"
sep="|---|"
for mode in $modes; do header="$header warm-up $mode: req/s | p99 ms | % of steady | % of nginx |"; sep="$sep---|---|---|---|"; done
echo "$header"
echo "$sep"
declare -A steady
for mode in $modes; do
  steady[$mode]=$(tail -3 "$work/ramp_$mode.txt" | awk '{ s += $1; n++ } END { print n ? s / n : 0 }')
done
for i in $(seq 1 "$windows"); do
  row="| $(((i - 1) * window))–$((i * window)) |"
  for mode in $modes; do
    read -r rps p99 errors < <(sed -n "${i}p" "$work/ramp_$mode.txt")
    row="$row $(num "$rps")$([[ $errors != 0 ]] && echo " ($errors errors)") | $(num "$p99") | $(pct "$rps" "${steady[$mode]}") | $(pct "$rps" "${nginx_rps[$mode]}") |"
  done
  echo "$row"
done
echo
for mode in $modes; do
  read -r first _ < <(head -1 "$work/ramp_$mode.txt")
  echo "- warm-up $mode: start-to-ready ${ready_s[$mode]} s (${ready_cpu[$mode]} s CPU); first window $(pct "$first" "${steady[$mode]}") of steady; steady state (last 3 windows) $(num "${steady[$mode]}") req/s = $(pct "${steady[$mode]}" "${nginx_rps[$mode]}") of nginx${warm_log[$mode]:+; server log: ${warm_log[$mode]}}"
done
echo
echo "Command: \`bench/warmup.sh \$MODELS\` (WARMUP_RAMP_SECS=$ramp WARMUP_WINDOW_SECS=$window WARMUP_CONNECTIONS=$connections INFERA_JIT=${INFERA_JIT:-jvm-defaults}${WARMUP_SECS:+ WARMUP_SECS=$WARMUP_SECS})."
