#!/usr/bin/env bash
# How much of the REST request's cost is the HTTP framework (issue 15): tabular_mlp REST JSON at
# c=64 through the server's own Armeria endpoint and through bench/lean/LeanProbe.java (the same
# decoder, engine, scheduler, backend and encoder behind Netty's own HTTP/1.1 codec), both in one
# JVM and loaded in turn, beside nginx's fixed reply; LEAN_ROUNDS alternating rounds after a
# warm-up of both paths. Per row: wrk's req/s, p50/p99, and the JVM's CPU per request (utime +
# stime delta ÷ wrk's requests; the JVM serves only the path being loaded). Not a server: the
# probe has none of the guards (see its comment).
#
# Usage: bench/lean-http.sh [MODELS_DIR]   (default ../shared/models; needs the built jars:
#        ./mvnw -q -B -DskipTests package)
# Needs: wrk, nginx, curl. Environment: LEAN_ROUNDS (3), LEAN_DURATION (10 s), LEAN_LOOPS (Netty
#        event loops, 4 like Armeria's here), BENCH_PORT_BASE (18900: probe, +3 nginx).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/bench/nginx-ceiling.sh"
models="$(cd "${1:-$root/../shared/models}" && pwd)"
rounds="${LEAN_ROUNDS:-3}" duration="${LEAN_DURATION:-10}" loops="${LEAN_LOOPS:-4}"
base="${BENCH_PORT_BASE:-18900}" lean=$base ceiling=$((base + 3))
ticks="$(getconf CLK_TCK)"
require_ceiling_inputs "$models" wrk nginx curl
jar="$(ls "$root"/infera-server/target/infera-server-*.jar | grep -v -e -sources -e -tests | head -n 1)"
[[ -n $jar && -d $root/infera-server/target/lib ]] || { echo "build first: ./mvnw -q -B -DskipTests package" >&2; exit 1; }

work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/repo/tabular_mlp/1" "$work/classes"
ln -s "$models/tabular_mlp/1/model.onnx" "$work/repo/tabular_mlp/1/model.onnx"
cp "$root/bench/config/tabular_mlp.pbtxt" "$work/repo/tabular_mlp/config.pbtxt"
body="$models/tabular_mlp/samples/case0/request.json"
classpath="$work/classes:$jar:$root/infera-server/target/lib/*"
javac -nowarn -Xlint:none -cp "$classpath" -d "$work/classes" "$root/bench/lean/LeanProbe.java"

start_nginx_ceiling "$work/nginx" "$ceiling" "$models"
pids+=("$nginx_pid")
java -Dcom.linecorp.armeria.transportType=io_uring -cp "$classpath" dev.infera.server.rest.LeanProbe \
  "$work/repo" "$lean" "$loops" >"$work/probe.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do grep -q "lean port" "$work/probe.log" && break; sleep 0.1; done
read -r armeria jvm < <(sed -n 's/^armeria REST port \([0-9]*\) pid \([0-9]*\)$/\1 \2/p' "$work/probe.log")

run() { # port seconds -> "requests rps p50 p99 failures"
  WRK_BODY="$body" timeout $(($2 + 30)) wrk -t1 -c64 -d"$2s" -s "$root/bench/wrk/post.lua" \
    "http://127.0.0.1:$1/v2/models/tabular_mlp/infer" 2>/dev/null | sed -n 's/^RESULT //p' |
    tr ' ' '\n' | awk -F= '{ v[$1] = $2 } END { printf "%s %s %s %s %d\n", v["requests"], v["rps"],
      v["p50_ms"], v["p99_ms"], v["errors"] + v["non2xx"] }'
}
cpu() { sed 's/.*) //' "/proc/$jvm/stat" | awk '{ print $12 + $13 }'; }
for port in "$armeria" "$lean" "$armeria" "$lean"; do run "$port" 15 >/dev/null; done

echo "| round | path | req/s | share of nginx | p50 ms | p99 ms | CPU µs/request | failed |"
echo "|---|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  read -r _ nginx_rps p50 p99 failed < <(run "$ceiling" "$duration")
  echo "| $round | nginx fixed reply | $nginx_rps | | $p50 | $p99 | | $failed |"
  for path in "Armeria (the server's REST endpoint):$armeria" "Netty HTTP/1.1 codec (probe):$lean"; do
    before=$(cpu)
    read -r requests rps p50 p99 failed < <(run "${path##*:}" "$duration")
    after=$(cpu)
    awk -v l="${path%:*}" -v r="$round" -v n="$requests" -v rps="$rps" -v c="$nginx_rps" \
      -v p50="$p50" -v p99="$p99" -v f="$failed" -v a="$after" -v b="$before" -v hz="$ticks" \
      'BEGIN { printf "| %s | %s | %s | %.0f %% | %s | %s | %.1f | %s |\n", r, l, rps, 100 * rps / c,
        p50, p99, (a - b) * 1e6 / hz / n, f }'
  done
done
echo
echo "load average before/after: $(cut -d' ' -f1-3 /proc/loadavg)"
