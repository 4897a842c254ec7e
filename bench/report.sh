# Writes docs/benchmarks.md from the results bench/run.sh left in $work. Sourced by bench/run.sh,
# which defines: root, models, work, duration, warmup, commands (array).

# Value of column COL in the CSV row whose column KEY equals VALUE.
csv_get() { # file key value col
  awk -F, -v key="$2" -v val="$3" -v col="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) idx[$i] = i; next }
    $idx[key] == val { print $idx[col]; exit }' "$1"
}

# Largest value of column COL.
csv_max() { # file col
  awk -F, -v col="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == col) c = i; next }
    $c + 0 > max { max = $c + 0 } END { print max + 0 }' "$1"
}

# A CSV file as a Markdown table, numbers rounded for reading.
csv_md() { # file
  awk -F, '
    function fmt(v) {
      if (v ~ /^-?[0-9]+$/) return v
      if (v !~ /^-?[0-9.eE+-]+$/) return v == "" ? "-" : v
      a = v < 0 ? -v : v
      return a >= 100 ? sprintf("%.0f", v) : a >= 1 ? sprintf("%.2f", v) : sprintf("%.3f", v)
    }
    NR == 1 { line = "|"; sep = "|"
              for (i = 1; i <= NF; i++) { line = line " " $i " |"; sep = sep "---|" }
              print line; print sep; next }
    { line = "|"; for (i = 1; i <= NF; i++) line = line " " fmt($i) " |"; print line }' "$1"
}

# A field of the RESULT line bench/wrk/post.lua printed.
wrk_get() { # name field
  sed -n 's/^RESULT //p' "$work/wrk_$1.txt" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# A field of the Nth window of the warm-up ramp (the RESULT lines in $work/ramp.txt).
ramp_get() { # window field
  sed -n "$1p" "$work/ramp.txt" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

num() { awk -v v="$1" 'BEGIN { a = v < 0 ? -v : v
  printf(a >= 100 ? "%.0f" : a >= 1 ? "%.2f" : "%.3f", v) }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf("%.0f %%", 100 * a / b); else print "-" }'; }
# Two counts added, a missing one as 0.
sum_of() { echo $((${1:-0} + ${2:-0})); }
# ", N failed" after a figure whose window had failed requests; nothing otherwise.
failed_note() { [[ ${1:-0} != 0 ]] && echo ", $1 failed"; true; }
# "yes" or "**no**"; in parentheses when the machine was shared (not a verdict then). A figure
# that is missing (an empty value leaves the condition unparsable) is a "**no**" too.
yes_no() {
  local verdict
  verdict="$(awk "BEGIN { print ($1) ? \"yes\" : \"**no**\" }" 2>/dev/null || true)"
  [[ -z $verdict ]] && verdict="**no** (a figure is missing)"
  [[ -n "${shared:-}" ]] && verdict="($verdict)"
  echo "$verdict"
}

write_report() {
  local cpu mem jdk
  cpu="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
  mem="$(awk '/MemTotal/ { printf("%.1f GiB", $2 / 1048576) }' /proc/meminfo)"
  jdk="$(java -version 2>&1 | head -n 1)"

  local shared=""
  awk -v load="${load_before%% *}" -v cores="$(nproc)" 'BEGIN { exit !(load > 0.5 * cores) }' \
    && shared=yes
  local s="$work/served" ip="$work/inproc"
  local mlp_best rn_best te_best
  mlp_best="$(csv_max "${ip}_tabular_mlp.csv" rows_per_s)"
  rn_best="$(csv_max "${ip}_resnet18.csv" rows_per_s)"
  te_best="$(csv_max "${ip}_text_encoder.csv" rows_per_s)"
  local triv64 triv1 json64 json1 json64_p99 json1_p50 nginx64 nginx1
  triv64="$(wrk_get trivial_64 rps)" triv1="$(wrk_get trivial_1 rps)"
  nginx64="$(wrk_get nginx_64 rps)" nginx1="$(wrk_get nginx_1 rps)"
  json64="$(wrk_get rest_json_64 rps)" json1="$(wrk_get rest_json_1 rps)"
  json64_p99="$(wrk_get rest_json_64 p99_ms)" json1_p50="$(wrk_get rest_json_1 p50_ms)"
  # Answers other than 200 (and socket errors) count in wrk's rate: a target with any is not met.
  local json64_failed json1_failed first_failed
  json64_failed=$(sum_of "$(wrk_get rest_json_64 errors)" "$(wrk_get rest_json_64 non2xx)")
  json1_failed=$(sum_of "$(wrk_get rest_json_1 errors)" "$(wrk_get rest_json_1 non2xx)")
  local grpc64 grpc1_p50 bin64 rn_grpc16 rn_bin16 rn_grpc4_p99 rn_bin4_p99 te_grpc16 te_bin16
  grpc64="$(csv_get "${s}_tabular_mlp_grpc.csv" concurrency 64 req_per_s)"
  grpc1_p50="$(csv_get "${s}_tabular_mlp_grpc.csv" concurrency 1 p50_ms)"
  bin64="$(csv_get "${s}_tabular_mlp_rest-binary.csv" concurrency 64 req_per_s)"
  local bjson64
  bjson64="$(csv_get "${s}_tabular_mlp_rest-json.csv" concurrency 64 req_per_s)"
  rn_grpc16="$(csv_get "${s}_resnet18_grpc.csv" concurrency 16 infer_per_s)"
  rn_bin16="$(csv_get "${s}_resnet18_rest-binary.csv" concurrency 16 infer_per_s)"
  rn_grpc4_p99="$(csv_get "${s}_resnet18_grpc.csv" concurrency 4 p99_ms)"
  rn_bin4_p99="$(csv_get "${s}_resnet18_rest-binary.csv" concurrency 4 p99_ms)"
  te_grpc16="$(csv_get "${s}_text_encoder_grpc.csv" concurrency 16 infer_per_s)"
  te_bin16="$(csv_get "${s}_text_encoder_rest-binary.csv" concurrency 16 infer_per_s)"
  # The ramp's first window against the steady state: the REST JSON c=64 window measured after it.
  local windows first_window
  windows="$(wc -l <"$work/ramp.txt")"
  first_window="$(ramp_get 1 rps)"
  first_failed=$(sum_of "$(ramp_get 1 errors)" "$(ramp_get 1 non2xx)")

  cat <<MD
# Benchmarks

Written by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') at commit
\`$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)\`; rerun it to refresh. Each
number comes from one ${duration} s window after ${warmup} s of warm-up (the served resnet18 and
text_encoder runs also after ${model_warmup} s of discarded load at 16 concurrent, over the same
protocol), with the load generator on the same machine as the server, over loopback.
\`bench/run.sh [MODELS_DIR]\` (about 12 minutes)
rewrites this part of the page, up to the line it marks; the sections after that line are kept.
\`bin/infera bench --help\` lists the load driver's options (concurrency
sweeps, fixed request rates, JSON/CSV output, \`--in-process\` limits for ONNX and XGBoost files).

$([[ -n "$shared" ]] && cat <<SHARED
> **Shared machine.** Other processes were running (load average ${load_before%% *} on $(nproc) cores
> before the run; see below), so every number here is lower and noisier than this machine can
> do, and numbers taken minutes apart are not comparable: the verdicts below are in parentheses.
> Rerun on a quiet machine for a verdict.
SHARED
)

## Machine

| | |
|---|---|
| CPU | ${cpu} |
| cores (\`nproc\`) | $(nproc) |
| AVX-512 | $(grep -q avx512f /proc/cpuinfo && echo yes || echo no) |
| memory | ${mem} |
| JDK | ${jdk} |
| OS | $(uname -sr) |
| load average (1, 5, 15 min) before the run | ${load_before} |
| load average at the end | $(cut -d' ' -f1-3 /proc/loadavg) |
| wrk | $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2) |
| nginx (the HTTP ceiling) | $("$(command -v nginx || echo /usr/sbin/nginx)" -v 2>&1 | sed 's/.*: //' | head -n 1) |

## Targets (issue 3)

| target | measured | met |
|---|---|---|
| \`tabular_mlp\`, REST JSON, 64 connections (wrk): ≥ 30,000 req/s with p99 ≤ 15 ms | $(num "$json64") req/s, p99 $(num "$json64_p99") ms | $(yes_no "$json64 >= 30000 && $json64_p99 <= 15") |
| \`tabular_mlp\`, gRPC at least as fast as REST JSON (64 concurrent; infera bench for both) | $(num "$grpc64") req/s vs $(num "$bjson64") | $(yes_no "$grpc64 >= $bjson64") |
| \`tabular_mlp\`, 1 connection: p50 ≤ 0.2 ms | REST JSON $(num "$json1_p50") ms, gRPC $(num "$grpc1_p50") ms | $(yes_no "$json1_p50 <= 0.2") |
| \`resnet18\`, 16 concurrent: ≥ 95 % of the in-process best ($(num "$rn_best") images/s) | gRPC $(num "$rn_grpc16") ($(pct "$rn_grpc16" "$rn_best")), binary $(num "$rn_bin16") ($(pct "$rn_bin16" "$rn_best")) | $(yes_no "$rn_grpc16 >= 0.95 * $rn_best || $rn_bin16 >= 0.95 * $rn_best") |
| \`resnet18\`, 4 concurrent: p99 ≤ 150 ms | gRPC $(num "$rn_grpc4_p99") ms, binary $(num "$rn_bin4_p99") ms | $(yes_no "$rn_grpc4_p99 <= 150 || $rn_bin4_p99 <= 150") |

## Targets (issue 15)

Against nginx answering a fixed reply (the sample response) measured right before each REST JSON
window, at the same concurrency (wrk -t1, same body).

| target | measured | met |
|---|---|---|
| \`tabular_mlp\` REST JSON, 64 connections: ≥ 50 % of nginx, p99 ≤ 5 ms | $(num "$json64") req/s = $(pct "$json64" "$nginx64") of $(num "$nginx64"), p99 $(num "$json64_p99") ms$(failed_note "$json64_failed") | $(yes_no "$json64 >= 0.5 * $nginx64 && $json64_p99 <= 5 && $json64_failed == 0") |
| \`tabular_mlp\` REST JSON, 1 connection: p50 ≤ 0.12 ms | $(num "$json1_p50") ms (nginx $(wrk_get nginx_1 p50_ms) ms)$(failed_note "$json1_failed") | $(yes_no "$json1_p50 <= 0.12 && $json1_failed == 0") |
| \`resnet18\` REST binary, 16 concurrent: ≥ 95 % of in-process | $(num "$rn_bin16") images/s = $(pct "$rn_bin16" "$rn_best") of $(num "$rn_best") | $(yes_no "$rn_bin16 >= 0.95 * $rn_best") |
| first ${ramp_window}-s window after ready at 64 connections: ≥ 80 % of steady state, start-to-ready ≤ 10 s | $(num "$first_window") req/s = $(pct "$first_window" "$json64") of the steady $(num "$json64"); ready after ${ready_s} s$(failed_note "$first_failed") | $(yes_no "$first_window >= 0.8 * $json64 && $ready_s <= 10 && $first_failed == 0") |

## Ratios

Served throughput against nginx's fixed reply and the trivial Armeria endpoint (wrk, same
connections, same request body) and against the best in-process ONNX Runtime rate (rows per second
at any batch size).

| path | served | vs nginx | vs trivial endpoint | vs in-process limit |
|---|---|---|---|---|
| \`tabular_mlp\` REST JSON, wrk, 64 connections | $(num "$json64") req/s | $(pct "$json64" "$nginx64") of $(num "$nginx64") | $(pct "$json64" "$triv64") of $(num "$triv64") | $(pct "$json64" "$mlp_best") of $(num "$mlp_best") rows/s |
| \`tabular_mlp\` REST JSON, wrk, 1 connection | $(num "$json1") req/s | $(pct "$json1" "$nginx1") of $(num "$nginx1") | $(pct "$json1" "$triv1") of $(num "$triv1") | $(pct "$json1" "$mlp_best") |
| \`tabular_mlp\` gRPC, infera bench, 64 concurrent | $(num "$grpc64") req/s | $(pct "$grpc64" "$nginx64") | $(pct "$grpc64" "$triv64") | $(pct "$grpc64" "$mlp_best") |
| \`tabular_mlp\` REST binary, infera bench, 64 concurrent | $(num "$bin64") req/s | $(pct "$bin64" "$nginx64") | $(pct "$bin64" "$triv64") | $(pct "$bin64" "$mlp_best") |
| \`tabular_mlp\` REST JSON, infera bench, 64 concurrent | $(num "$bjson64") req/s | $(pct "$bjson64" "$nginx64") | $(pct "$bjson64" "$triv64") | $(pct "$bjson64" "$mlp_best") |
| \`resnet18\` gRPC, 16 concurrent | $(num "$rn_grpc16") images/s | | | $(pct "$rn_grpc16" "$rn_best") of $(num "$rn_best") |
| \`resnet18\` REST binary, 16 concurrent | $(num "$rn_bin16") images/s | | | $(pct "$rn_bin16" "$rn_best") |
| \`text_encoder\` (128 tokens) gRPC, 16 concurrent | $(num "$te_grpc16") sequences/s | | | $(pct "$te_grpc16" "$te_best") of $(num "$te_best") |
| \`text_encoder\` (128 tokens) REST binary, 16 concurrent | $(num "$te_bin16") sequences/s | | | $(pct "$te_bin16" "$te_best") |

## (a) In-process limit: ONNX Runtime, no server

ONNX Runtime at its best on this machine, as \`bin/infera bench --in-process\` runs it by default:
one session with intra-op threads = cores, inter-op 1, sequential, idle pool threads spinning
(ONNX Runtime's own default; the server's default is off, and tabular_mlp's configuration in
bench/config runs one intra-op thread), one calling thread, the same random input reused; latency
is per call.

### tabular_mlp

$(csv_md "${ip}_tabular_mlp.csv")

### resnet18

$(csv_md "${ip}_resnet18.csv")

### text_encoder (sequence length 128)

$(csv_md "${ip}_text_encoder.csv")

## (b) wrk, 1 thread: nginx, the trivial endpoint and REST JSON inference

Every request POSTs \`tabular_mlp\`'s sample request (one row, 64 features). nginx (one process,
\`bench/nginx-ceiling.sh\`) answers the sample response as a fixed reply: the ceiling of HTTP on
this machine. The trivial endpoint (\`infera bench trivial-server\`, Armeria like the server)
answers a fixed small JSON body: the framework's own floor. Each nginx window ran right before the
REST JSON window at the same concurrency.

| target | connections | req/s | p50 ms | p90 ms | p99 ms | socket errors | non-2xx |
|---|---|---|---|---|---|---|---|
$(for name in nginx_64 nginx_1 trivial_64 trivial_1 rest_json_64 rest_json_1; do
    target="trivial endpoint"; [[ $name == rest_json* ]] && target="tabular_mlp REST JSON"
    [[ $name == nginx* ]] && target="nginx fixed reply"
    echo "| $target | ${name##*_} | $(num "$(wrk_get "$name" rps)") | $(wrk_get "$name" p50_ms) | $(wrk_get "$name" p90_ms) | $(wrk_get "$name" p99_ms) | $(wrk_get "$name" errors) | $(wrk_get "$name" non2xx) |"
  done)

## (c) infera bench: gRPC, REST binary (and REST JSON for \`tabular_mlp\`)

Closed loop: each of N concurrent requests is re-sent as soon as it answers. Latency is the
client's; \`server_queue_ms\` and \`server_compute_ms\` are the mean queue and compute time per
request and \`server_mean_batch\` the mean rows per execution, from the change of the server's
\`/metrics\` over the window.

$(for model in tabular_mlp resnet18 text_encoder; do
    for protocol in grpc rest-binary rest-json; do
      [[ -f "${s}_${model}_${protocol}.csv" ]] || continue
      printf '### %s, %s\n\n' "$model" "$protocol"
      csv_md "${s}_${model}_${protocol}.csv"
      echo
    done
  done)

## (d) Warm-up ramp: tabular_mlp REST JSON from ready

The server started with the three models above (its warm-up before readiness on, the default);
start-to-ready is launch to the first 200 from \`/v2/health/ready\`: **${ready_s} s**
(${warmup_log:-no warm-up line in the server log}). From that moment wrk -t1 -c64 ran back-to-back
${ramp_window}-s windows; the steady state is the REST JSON c=64 window of (b), measured after
them, and nginx's is the window before it.

| window (s after ready) | req/s | p99 ms | % of steady | % of nginx | errors + non-2xx |
|---|---|---|---|---|---|
$(for i in $(seq 1 "$windows"); do
    rps="$(ramp_get "$i" rps)"
    echo "| $(((i - 1) * ramp_window))–$((i * ramp_window)) | $(num "$rps") | $(ramp_get "$i" p99_ms) | $(pct "$rps" "$json64") | $(pct "$rps" "$nginx64") | $(( $(ramp_get "$i" errors) + $(ramp_get "$i" non2xx) )) |"
  done)

## Commands

\`\$MODELS\` is the models folder (${models}); \`\$WORK\` a temporary folder.

\`\`\`
$(printf '%s\n' "${commands[@]}")
\`\`\`
MD
}
