#!/usr/bin/env bash
# Checks an image tarball without a container runtime: unpacks its layers in order into a
# temporary root, reads the entrypoint from the image config, and runs it there with chroot (as
# root; the image's own JRE and libraries, nothing from the host), as a container would, with
# examples/models. Succeeds when /v2/health/ready answers 200 and the simple model infers. Then
# runs it again as KServe would with the Python model examples/python-models/add_sub: the
# ClusterServingRuntime's args (deploy/kserve/infera-runtime.yaml, on free ports), the model
# mounted at /mnt/models, a tmpfs at /dev/shm, NumPy from the image.
#
#   run-entrypoint.sh IMAGE_TAR [HTTP_PORT]
#
# HTTP_PORT (default: a free one) and the next two ports serve HTTP, gRPC and metrics.
set -euo pipefail
tar_file=$(readlink -f "$1")
port=${2:-$(python3 -c 'import socket
while True:
    s = [socket.socket() for _ in range(3)]
    s[0].bind(("127.0.0.1", 0)); p = s[0].getsockname()[1]
    try:
        s[1].bind(("127.0.0.1", p + 1)); s[2].bind(("127.0.0.1", p + 2)); print(p); break
    except OSError:
        pass
    finally:
        [x.close() for x in s]')}
work=$(mktemp -d)
root="$work/root"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  umount "$root/mnt/models/add_sub" "$root/dev/shm" "$root/proc" "$root/dev/null" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/image" "$root"
tar -xf "$tar_file" -C "$work/image"
# OCI image layout (what Jib writes with <format>OCI</format>): index.json → manifest → config
# and layers, each a blob named by its digest.
blob() { echo "$work/image/blobs/${1/://}"; }
manifest=$(blob "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["manifests"][0]["digest"])' "$work/image/index.json")")
config=$(blob "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"]["digest"])' "$manifest")")
for digest in $(python3 -c 'import json,sys; print(" ".join(l["digest"] for l in json.load(open(sys.argv[1]))["layers"]))' "$manifest"); do
  tar --warning=no-unknown-keyword -xzf "$(blob "$digest")" -C "$root"
done
mapfile -t entrypoint < <(python3 -c 'import json,sys; [print(a) for a in json.load(open(sys.argv[1]))["config"]["Entrypoint"]]' "$config")
user=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["config"].get("User",""))' "$config")
echo "layers unpacked into $root ($(du -sh "$root" | cut -f1)); user '$user'; entrypoint: ${entrypoint[*]}"

# What a container runtime provides: /proc (the dynamic loader resolves $ORIGIN through
# /proc/self/exe) and /dev/null; /tmp is already world-writable in the image (an emptyDir in Kubernetes).
mkdir -p "$root/proc" "$root/dev"
mount -t proc proc "$root/proc"
touch "$root/dev/null" && mount --bind /dev/null "$root/dev/null"
chroot --userspec="${user:-0}" "$root" "${entrypoint[@]}" serve --http-port="$port" \
  --grpc-port=$((port + 1)) --metrics-port=$((port + 2)) >"$work/server.log" 2>&1 &
pid=$!
await_ready() {
  for _ in $(seq 1 240); do
    if curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      cat "$work/server.log" >&2
      echo "the entrypoint exited" >&2
      exit 1
    fi
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$port/v2/health/ready" >/dev/null || { cat "$work/server.log" >&2; exit 1; }
}
await_ready
body='{"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"INT32","data":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]},{"name":"INPUT1","shape":[1,16],"datatype":"INT32","data":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]}'
answer=$(curl -sf -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/v2/models/simple/infer")
echo "simple answered on port $port: $answer"
grep -q '"OUTPUT0"' <<<"$answer"
for model in simple string_identity tabular_mlp xgb_tabular; do
  curl -sf "http://127.0.0.1:$port/v2/models/$model/ready" >/dev/null || { cat "$work/server.log" >&2; echo "$model not ready" >&2; exit 1; }
done
echo "every example model is ready (ONNX Runtime from the unpacked natives, XGBoost with the image's libgomp)"
# ONNX Runtime makes an empty onnxruntime-java* folder in any case; libraries in it would mean it
# did not take the image's.
unpacked=$(find "$root/tmp" -path '*/onnxruntime-java*' -type f)
if [[ -n "$unpacked" ]]; then
  echo "ONNX Runtime unpacked its libraries into /tmp instead of using the image's: $unpacked" >&2
  exit 1
fi

# Again as KServe runs it: the runtime's own args, ports moved to free ones.
kill "$pid" && wait "$pid" 2>/dev/null || true
pid=""
here=$(dirname "$(readlink -f "$0")")
mapfile -t kserve_args < <(/usr/bin/python3 -c 'import sys, yaml
spec = yaml.safe_load(open(sys.argv[1]))["spec"]
for arg in spec["containers"][0]["args"]:
    print({"--http-port=8080": "--http-port=" + sys.argv[2], "--grpc-port=9000": "--grpc-port=" + sys.argv[3],
           "--metrics-port=8002": "--metrics-port=" + sys.argv[4]}.get(arg, arg))' \
  "$here/../kserve/infera-runtime.yaml" "$port" $((port + 1)) $((port + 2)))
mkdir -p "$root/mnt/models/add_sub" "$root/dev/shm"
mount --bind "$here/../../examples/python-models/add_sub" "$root/mnt/models/add_sub"
mount -t tmpfs -o size=64m tmpfs "$root/dev/shm"
chroot --userspec="${user:-0}" "$root" "${entrypoint[@]}" "${kserve_args[@]}" >"$work/server.log" 2>&1 &
pid=$!
await_ready
body='{"inputs":[{"name":"INPUT0","shape":[1,16],"datatype":"FP32","data":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]},{"name":"INPUT1","shape":[1,16],"datatype":"FP32","data":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}]}'
answer=$(curl -sf -H 'Content-Type: application/json' -d "$body" "http://127.0.0.1:$port/v2/models/add_sub/infer") \
  || { cat "$work/server.log" >&2; echo "add_sub did not answer" >&2; exit 1; }
echo "add_sub (Python backend, NumPy from the image) answered with the KServe runtime's args: $answer"
/usr/bin/python3 -c 'import json, sys
outputs = {o["name"]: o["data"] for o in json.loads(sys.argv[1])["outputs"]}
assert outputs["OUTPUT0"] == [float(i + 2) for i in range(16)], outputs
assert outputs["OUTPUT1"] == [float(i) for i in range(16)], outputs' "$answer"
echo "image entrypoint OK"
