#!/usr/bin/env bash
# Builds the file tree Jib adds on top of an empty ("scratch") base image, so the image needs no
# registry to build from: a jlink'd Java runtime, ONNX Runtime's native libraries unpacked (loaded
# through -Donnxruntime.native.path, nothing is extracted at start), the shared libraries all of
# these link against (glibc, libstdc++, libgomp for XGBoost, zlib), a non-root user,
# examples/models as the default repository, and a Python for the Python backend: this machine's
# python3 (Debian's), its standard library and the named packages of its dist-packages.
#
#   prepare-root.sh OUT_DIR RUNTIME_LIB_DIR EXAMPLES_DIR [PYTHON_PACKAGES]
#
# RUNTIME_LIB_DIR holds the server's runtime jars (infera-server/target/lib). PYTHON_PACKAGES is a
# comma-separated list of top-level packages under /usr/lib/python3/dist-packages to put in the
# image (default numpy; each with what it imports: for torch also typing_extensions, sympy, ...),
# or "none" for an image without Python.
set -euo pipefail
out=$1
libs=$2
examples=$3
python_packages=${4:-numpy}
jdk=${JLINK_JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")}

rm -rf "$out"
mkdir -p "$out/opt/infera/native/onnxruntime" "$out/usr" "$out/etc" "$out/tmp" "$out/var/cache/infera"

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

# Python: the interpreter, its standard library (less what a server never runs: tests, IDLE, Tk,
# the build configuration) and the packages asked for, at the same paths as here.
if [[ "$python_packages" != none ]]; then
  python=$(readlink -f /usr/bin/python3)
  stdlib=usr/lib/$(basename "$python")
  mkdir -p "$out/usr/bin" "$out/usr/lib/python3/dist-packages"
  cp -L "$python" "$out/usr/bin/python3"
  tar -C / -h --exclude="$stdlib/test" --exclude="$stdlib/idlelib" --exclude="$stdlib/tkinter" \
    --exclude="$stdlib/turtledemo" --exclude="$stdlib/ensurepip" --exclude="$stdlib/lib2to3" \
    --exclude="$stdlib/config-*" --exclude="$stdlib/site-packages" -cf - "$stdlib" \
    | tar -C "$out" -xf -
  for package in ${python_packages//,/ }; do
    if [[ ! -e "/usr/lib/python3/dist-packages/$package" ]]; then
      echo "Python package '$package' is not in /usr/lib/python3/dist-packages here" \
        "(install it first, e.g. apt-get install python3-$package)" >&2
      exit 1
    fi
    cp -rL "/usr/lib/python3/dist-packages/$package" "$out/usr/lib/python3/dist-packages/"
  done
fi

# Every shared library the runtime, ONNX Runtime, XGBoost and Python need, at the same path as here.
xgb=$(ls "$libs"/xgboost4j_*.jar | head -n 1)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
unzip -q -j -o "$xgb" 'lib/linux/x86_64/*' -d "$scratch"
# java.desktop's AWT, sound and font libraries are only loaded by GUI code: their X11 and font
# dependencies stay out of the image.
elves=$(find "$out/opt/infera" "$out/usr" "$scratch" -type f \( -name '*.so*' -o -path '*/bin/*' \) \
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
