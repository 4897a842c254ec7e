#!/usr/bin/env bash
# Checks an image tarball without a container runtime: unpacks its layers in order into a
# temporary root, reads the entrypoint from the image config, and runs it there with chroot (as
# root; the image's own JRE and libraries, nothing from the host), as a container would, with
# examples/models. Succeeds when /v2/health/ready answers 200 and the simple model infers.
#
#   run-entrypoint.sh IMAGE_TAR [HTTP_PORT]
set -euo pipefail
tar_file=$(readlink -f "$1")
port=${2:-18000}
work=$(mktemp -d)
root="$work/root"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/image" "$root"
tar -xf "$tar_file" -C "$work/image"
manifest=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Config"])' "$work/image/manifest.json" 2>/dev/null || true)
if [[ -z "$manifest" ]]; then
  echo "no manifest.json in $tar_file" >&2
  exit 1
fi
for layer in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$work/image/manifest.json"); do
  tar -xzf "$work/image/$layer" -C "$root" 2>/dev/null || tar -xf "$work/image/$layer" -C "$root"
done
mapfile -t entrypoint < <(python3 -c 'import json,sys; [print(a) for a in json.load(open(sys.argv[1]))["config"]["Entrypoint"]]' "$work/image/$manifest")
user=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"].get("User",""))' "$work/image/$manifest")
echo "layers unpacked into $root ($(du -sh "$root" | cut -f1)); user '$user'; entrypoint: ${entrypoint[*]}"

mkdir -p "$root/proc" "$root/dev"
chroot --userspec="${user:-0}" "$root" "${entrypoint[@]}" serve --http-port="$port" \
  --grpc-port=$((port + 1)) --metrics-port=$((port + 2)) >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
  if curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$work/server.log" >&2
    echo "the entrypoint exited" >&2
    exit 1
  fi
  sleep 0.5
done
curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null || { cat "$work/server.log" >&2; exit 1; }
body='{"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]},{"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]}'
answer=$(curl -sf -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/v2/models/simple/infer")
echo "simple answered: $answer"
grep -q '"OUTPUT0"' <<<"$answer"
grep -i 'onnxruntime\|models' "$work/server.log" | head -n 5 || true
echo "image entrypoint OK"
