#!/usr/bin/env bash
# Builds the file tree Jib adds on top of an empty ("scratch") base image, so the image needs no
# registry to build from: a jlink'd Java runtime, ONNX Runtime's native libraries unpacked (loaded
# through -Donnxruntime.native.path, nothing is extracted at start), the shared libraries all of
# these link against (glibc, libstdc++, libgomp for XGBoost, zlib), a non-root user and
# examples/models as the default repository.
#
#   prepare-root.sh OUT_DIR RUNTIME_LIB_DIR EXAMPLES_DIR
#
# RUNTIME_LIB_DIR holds the server's runtime jars (infera-server/target/lib).
set -euo pipefail
out=$1
libs=$2
examples=$3
jdk=${JLINK_JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")}

rm -rf "$out"
mkdir -p "$out/opt/infera/native/onnxruntime" "$out/etc" "$out/tmp" "$out/var/cache/infera"

# The Java runtime: the modules the server and its libraries use, found with jdeps.
modules=java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.scripting,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.unsupported,jdk.zipfs
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output "$out/opt/infera/jre"
# Debian's JDK keeps its CA certificates outside the runtime image; S3 over HTTPS needs them.
if [[ -f /etc/ssl/certs/java/cacerts ]]; then
  rm -f "$out/opt/infera/jre/lib/security/cacerts"
  cp -L /etc/ssl/certs/java/cacerts "$out/opt/infera/jre/lib/security/cacerts"
fi

# ONNX Runtime's natives, pre-extracted.
ort=$(ls "$libs"/onnxruntime-*.jar | head -n 1)
unzip -q -j -o "$ort" 'ai/onnxruntime/native/linux-x64/*' -d "$out/opt/infera/native/onnxruntime"

# Every shared library the runtime, ONNX Runtime and XGBoost need, at the same path as here.
xgb=$(ls "$libs"/xgboost4j_*.jar | head -n 1)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
unzip -q -j -o "$xgb" 'lib/linux/x86_64/*' -d "$scratch"
# java.desktop's AWT, sound and font libraries are only loaded by GUI code: their X11 and font
# dependencies stay out of the image.
elves=$(find "$out/opt/infera" "$scratch" -type f \( -name '*.so*' -o -path '*/bin/*' \) \
  | grep -Ev '/lib(awt|awt_xawt|awt_headless|splashscreen|fontmanager|jawt|jsound|lcms|javajpeg|mlib_image)\.so$')
for lib in $(for elf in $elves; do ldd "$elf" 2>/dev/null | grep -o '=> /[^ ]*' | cut -c4- ; done | sort -u); do
  case $(readlink -f "$lib") in "$out"/* | "$scratch"/*) continue ;; esac
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
loader=$(ldd "$out/opt/infera/jre/bin/java" | grep -o '/lib64/ld-linux[^ ]*' | head -n 1)
mkdir -p "$out$(dirname "$loader")"
cp -L "$loader" "$out$loader"

# A non-root user (the image runs as 65532, as distroless's "nonroot").
echo 'root:x:0:0:root:/root:/sbin/nologin' > "$out/etc/passwd"
echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >> "$out/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$out/etc/group"

mkdir -p "$out/opt/infera/examples"
cp -r "$examples" "$out/opt/infera/examples/models"
