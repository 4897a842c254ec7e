#!/usr/bin/env bash
# Compares the request cost of server variants side by side: starts every variant at once, warms
# each (REST JSON c=64, REST binary c=64, REST JSON c=1, in turns), then measures them in
# alternating windows, so that what else runs on the machine hits all variants alike. Prints, per
# window, the server process's CPU µs/request without its JIT compiler threads (and those apart),
# then each variant's mean (docs/benchmarks.md, "Request cost", side-by-side table).
#
# Usage: bench/request-cost-ab.sh MODELS_DIR 'LABEL|INFERA_BIN|JAVA_OPTS|CONFIG_LINES' ...
#   LABEL        a name for the variant
#   INFERA_BIN   its launcher (default: this checkout's bin/infera)
#   JAVA_OPTS    its INFERA_JAVA_OPTS, e.g. -Dcom.linecorp.armeria.numCommonWorkers=2
#   CONFIG_LINES lines appended to its tabular_mlp config.pbtxt, e.g.
#                parameters { key: "intra_op_thread_count" value: { string_value: "1" } }
# Environment: AB_ROUNDS (3), AB_WINDOW_SECS (8), AB_WARM_ROUNDS (3), BENCH_PORT_BASE (18800; each
#              variant takes 3 ports from base + 10 × its index).
# Needs the built jars, wrk, curl, python3. Loopback only; the servers stop on exit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
models="$(cd "$1" && pwd)"
shift
rounds="${AB_ROUNDS:-3}" window="${AB_WINDOW_SECS:-8}" warm_rounds="${AB_WARM_ROUNDS:-3}"
base="${BENCH_PORT_BASE:-18800}"
# The helpers of bench/request-cost.sh: cpu_ticks (process and JIT ticks), java_pid, wait_http,
# wrk_run, binary_request, cleanup (stops $pids, removes $work) and log.
eval "$(sed -n '/^cpu_ticks()/,/^}$/p; /^java_pid()/,/^}$/p; /^wait_http()/,/^}$/p; /^wrk_run()/,/^}$/p;
  /^binary_request()/,/^}$/p; /^cleanup()/,/^}$/p; /^log()/p' "$root/bench/request-cost.sh")"
ticks="$(getconf CLK_TCK)"

work="$(mktemp -d "${TMPDIR:-/tmp}/infera-cost-ab.XXXXXX")"
pids=() # the launchers, stopped by cleanup
trap cleanup EXIT
trap 'exit 130' INT TERM

json_body="$models/tabular_mlp/samples/case0/request.json"
binary_body="$work/request.bin"
header_length="$(binary_request "$json_body" "$binary_body")"

labels=() javas=() ports=()
for spec in "$@"; do
  IFS='|' read -r label bin opts config <<<"$spec"
  i=${#labels[@]}
  port=$((base + 10 * i))
  repo="$work/repo-$i"
  mkdir -p "$repo/tabular_mlp/1"
  ln -s "$models/tabular_mlp/1/model.onnx" "$repo/tabular_mlp/1/model.onnx"
  { cat "$root/bench/config/tabular_mlp.pbtxt"; [[ -n ${config:-} ]] && echo "$config"; } \
    >"$repo/tabular_mlp/config.pbtxt"
  INFERA_JAVA_OPTS="${opts:-}" "${bin:-$root/bin/infera}" serve --model-repository "$repo" \
    --http-port "$port" --grpc-port $((port + 1)) --metrics-port $((port + 2)) \
    >"$work/server-$i.log" 2>&1 &
  pids+=($!)
  wait_http "http://127.0.0.1:$port/v2/models/tabular_mlp/ready" || { tail -40 "$work/server-$i.log" >&2; exit 1; }
  labels+=("$label") javas+=("$(java_pid "${pids[-1]}")") ports+=("$port")
done

url() { echo "http://127.0.0.1:${ports[$1]}/v2/models/tabular_mlp/infer"; }
log "warming ${#labels[@]} servers ($warm_rounds rounds)"
for _ in $(seq 1 "$warm_rounds"); do
  for i in "${!labels[@]}"; do
    wrk_run "$(url "$i")" 64 10 "$json_body" >/dev/null
    wrk_run "$(url "$i")" 64 5 "$binary_body" "$header_length" >/dev/null
    wrk_run "$(url "$i")" 1 3 "$json_body" >/dev/null
  done
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| round | load | variant | req/s | p50 ms | p99 ms | server CPU µs/request | JIT µs/request |"
echo "|---|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  for load in json64 json1 binary64; do
    for i in "${!labels[@]}"; do
      case $load in
        json64) args=(64 "$window" "$json_body") ;;
        json1) args=(1 "$window" "$json_body") ;;
        binary64) args=(64 "$window" "$binary_body" "$header_length") ;;
      esac
      before=$(cpu_ticks "${javas[$i]}")
      read -r requests rps p50 p99 _ < <(wrk_run "$(url "$i")" "${args[@]}")
      after=$(cpu_ticks "${javas[$i]}")
      awk -v n="$requests" -v hz="$ticks" -v b="$before" -v a="$after" -v r="$round" -v l="$load" \
        -v v="${labels[$i]}" -v rps="$rps" -v p50="$p50" -v p99="$p99" 'BEGIN { split(b, x, " "); split(a, y, " ")
        jit = y[2] - x[2]; all = y[1] - x[1]; f = (n > 0) ? 1e6 / hz / n : 0
        printf "| %s | %s | %s | %s | %s | %s | %.1f | %.1f |\n", r, l, v, rps, p50, p99, (all - jit) * f, jit * f }'
    done
  done
done | tee "$work/rows.md"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Means of server CPU µs/request:"
awk -F'|' '{ gsub(/ /, "", $3); gsub(/^ +| +$/, "", $4); k = $3 " " $4; s[k] += $8; p[k] += $7; n[k]++ }
  END { for (k in s) printf "- %s: %.1f (p99 %.2f ms)\n", k, s[k] / n[k], p[k] / n[k] }' "$work/rows.md" | sort
