# Sourced by the benchmark scripts: nginx answering tabular_mlp's sample response with a fixed reply,
# the HTTP ceiling measured in the same run. One process (no master), so its /proc CPU is nginx's.
#
# require_ceiling_inputs MODELS_DIR TOOL... exits, naming what is missing, unless every TOOL is on
# the PATH (or in /usr/sbin) and MODELS_DIR has tabular_mlp's model.
require_ceiling_inputs() {
  local models_dir="$1" tool
  shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || [[ -x "/usr/sbin/$tool" ]] || {
      echo "bench/$(basename "$0"): $tool is missing (Debian: apt-get install -y wrk nginx-light curl python3)" >&2
      exit 1
    }
  done
  [[ -f "$models_dir/tabular_mlp/1/model.onnx" ]] || {
    echo "bench/$(basename "$0"): missing $models_dir/tabular_mlp/1/model.onnx" >&2
    exit 1
  }
}

# start_nginx_ceiling DIR PORT MODELS_DIR starts it in the background under DIR, waits until it
# answers, and sets nginx_pid. Needs nginx (Debian: nginx-light) and curl.
start_nginx_ceiling() {
  local dir="$1" port="$2" models_dir="$3"
  local nginx_bin
  nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
  mkdir -p "$dir/logs"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 1;
master_process off;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  # nginx closes a keep-alive connection after 1,000 requests by default (wrk then reconnects);
  # Infera's server does not, so the ceiling keeps its connections too.
  keepalive_requests 100000000;
  client_body_temp_path $dir/body;
  server {
    listen 127.0.0.1:$port;
    location / { default_type application/json; return 200 '$(tr -d "\n'" <"$models_dir/tabular_mlp/samples/case0/response.json")'; }
  }
}
CONF
  "$nginx_bin" -p "$dir" -c "$dir/nginx.conf" &
  nginx_pid=$!
  for _ in $(seq 1 100); do
    curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/" && return 0
    sleep 0.1
  done
  echo "nginx did not answer on 127.0.0.1:$port (see $dir/error.log)" >&2
  return 1
}
