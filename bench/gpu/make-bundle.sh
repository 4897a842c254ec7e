#!/usr/bin/env bash
# Builds .gpu/bundle/infera.tar.xz (git-ignored): what bench/gpu/run-on-device.sh needs on a GPU
# machine that has Python, PyTorch and CUDA but no Java and no network, in under 64 MiB: a
# jlink'd JRE, the server and `infera bench` jars with their linux-x64 natives only (XGBoost and
# its Scala dependencies left out), ONNX Runtime's CPU natives unpacked. The Python backend's
# own Python files travel inside its jar; the models (model.py) travel as tracked files.
#
# Usage: bench/gpu/make-bundle.sh   (after ./mvnw -B -ntp -DskipTests package)
# Environment: JAVA_HOME (a JDK 17+ with jlink; default: the one javac belongs to).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/.gpu/bundle"
work="$(mktemp -d "${TMPDIR:-/tmp}/infera-bundle.XXXXXX")"
trap 'rm -rf "$work"' EXIT

jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
server_jar="$(ls "$root"/infera-server/target/infera-server-*.jar | grep -v -e -sources -e -tests | head -n 1)"
bench_jar="$(ls "$root"/infera-bench/target/infera-bench-*.jar | grep -v -e -sources -e -tests | head -n 1)"
[[ -f "$server_jar" && -f "$bench_jar" ]] || { echo "build first: ./mvnw -B -ntp -DskipTests package" >&2; exit 1; }

stage="$work/infera"
jars=()
mkdir -p "$stage/lib" "$stage/native"
cp "$server_jar" "$bench_jar" "$stage/"
# Only the jars the two manifests name (target/lib may hold older versions from earlier builds).
class_path() { python3 -c 'import sys, zipfile
text = zipfile.ZipFile(sys.argv[1]).read("META-INF/MANIFEST.MF").decode().replace("\r\n", "\n")
attrs = text.replace("\n ", "").split("\n")
print("\n".join(next(a for a in attrs if a.startswith("Class-Path: "))[12:].split()))' "$1"; }
for entry in $(class_path "$server_jar") ; do jars+=("$root/infera-server/target/$entry"); done
for entry in $(class_path "$bench_jar") ; do jars+=("$root/infera-bench/target/$entry"); done
for jar in "${jars[@]}"; do
  name="$(basename "$jar")"
  case "$name" in
    *-osx-*|*-windows-*|*-linux-aarch_64*) continue ;;
    infera-backend-xgboost-*|xgboost4j_*|scala-*|kryo-*|minlog-*|reflectasm-*|objenesis-*) continue ;;
    # DuckDB (72 MB of natives) reads and writes Parquet for batch jobs; serving never loads it.
    duckdb_jdbc-*) continue ;;
  esac
  cp -n "$jar" "$stage/lib/"
done
grep -q . <(ls "$stage"/lib/infera-backend-python-*.jar) || { echo "infera-backend-python jar missing" >&2; exit 1; }
# ONNX Runtime: natives to native/ (loaded through -Donnxruntime.native.path), classes stay.
ort_jar="$(ls "$stage"/lib/onnxruntime-*.jar)"
unzip -q -j -o "$ort_jar" 'ai/onnxruntime/native/linux-x64/*' -d "$stage/native"
zip -q -d "$ort_jar" 'ai/onnxruntime/native/*' >/dev/null
# Jars stored uncompressed: xz then compresses classes across files (about half the size).
python3 - "$stage"/*.jar "$stage"/lib/*.jar <<'PY'
import os, sys, zipfile
for path in sys.argv[1:]:
    tmp = path + ".stored"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            data = src.read(info)
            info.compress_type = zipfile.ZIP_STORED
            dst.writestr(info, data)
    os.replace(tmp, path)
PY
# The JRE: the modules the jars use (jdeps), plus jcmd for thread dumps.
"$jdk/bin/jlink" --add-modules \
  java.base,java.naming,java.net.http,java.sql,java.management,jdk.management,jdk.jfr,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.naming.dns,jdk.jcmd \
  --strip-debug --no-header-files --no-man-pages --compress=0 --output "$stage/jre"
commit="$(git -C "$root" rev-parse HEAD 2>/dev/null || echo unknown)"
echo "commit $commit; $("$stage/jre/bin/java" -version 2>&1 | head -n 1)" >"$stage/BUILD-INFO"

mkdir -p "$out"
rm -f "$out/infera.tar.xz"
tar -C "$work" -cf - infera | xz -T2 -9 >"$out/infera.tar.xz"
size=$(stat -c %s "$out/infera.tar.xz")
echo "infera.tar.xz $size bytes ($((size >> 20)) MiB), unpacked $(du -sb "$stage" | cut -f1) bytes" | tee "$out/BUNDLE.txt"
if (( size >= 60 * 1024 * 1024 )); then
  echo "bundle too large: the device run carries at most 64 MiB in all" >&2
  exit 1
fi
