#!/usr/bin/env bash
# Jaeger and the OpenTelemetry Collector on this machine, without Docker:
#   examples/backends/run.sh
# builds both once (build.sh), then runs
#   Jaeger     UI and query API http://localhost:16686, OTLP in on localhost:14317 (gRPC)
#   Collector  OTLP in on localhost:4317 (gRPC) and localhost:4318 (HTTP), with the repository's
#              otel-collector.yaml (tail sampling), exporting to Jaeger
# prints READY once both listen, and stops both on Ctrl-C (or SIGTERM).
# Addresses: the ${env:...} names in otel-collector.yaml and jaeger-config.yaml (the tests move
# everything to free ports that way); logs go to $TDS_BACKENDS_LOGS (default: a new temp dir).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

bin="$("$here/build.sh")"
logs="${TDS_BACKENDS_LOGS:-$(mktemp -d "${TMPDIR:-/tmp}/tds-backends.XXXXXX")}"
mkdir -p "$logs"

# The Collector exports to Jaeger's OTLP/gRPC receiver, wherever that was put.
export JAEGER_OTLP_GRPC_ENDPOINT="${JAEGER_OTLP_GRPC_ENDPOINT:-localhost:14317}"
export JAEGER_OTLP_ENDPOINT="${JAEGER_OTLP_ENDPOINT:-$JAEGER_OTLP_GRPC_ENDPOINT}"
query="${JAEGER_QUERY_HTTP_ENDPOINT:-localhost:16686}"
otlp_http="${OTELCOL_LISTEN_HOST:-localhost}:${OTELCOL_OTLP_HTTP_PORT:-4318}"
otlp_grpc="${OTELCOL_LISTEN_HOST:-localhost}:${OTELCOL_OTLP_GRPC_PORT:-4317}"

pids=()
stop() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# listening HOST:PORT: true once something accepts connections there.
listening() {
  local host="${1%:*}" port="${1##*:}"
  [ "$host" = "0.0.0.0" ] && host=127.0.0.1
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

# await NAME PID LOG ADDRESS...: waits until every address listens; fails if the process exits.
await() {
  local name="$1" pid="$2" log="$3"; shift 3
  for _ in $(seq 1 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "run.sh: $name exited; its log ($log):" >&2
      tail -n 40 "$log" >&2
      exit 1
    fi
    local all=1 a
    for a in "$@"; do listening "$a" || all=0; done
    [ "$all" = 1 ] && return 0
    sleep 0.2
  done
  echo "run.sh: $name does not listen on $* after 120 s; its log: $log" >&2
  exit 1
}

"$bin/jaeger" --config "$here/jaeger-config.yaml" >"$logs/jaeger.log" 2>&1 &
pids+=($!)
await Jaeger "$!" "$logs/jaeger.log" "$query" "$JAEGER_OTLP_GRPC_ENDPOINT"
echo "Jaeger     UI http://$query  OTLP/gRPC $JAEGER_OTLP_GRPC_ENDPOINT  log $logs/jaeger.log"

"$bin/otelcol" --config "$root/otel-collector.yaml" >"$logs/otelcol.log" 2>&1 &
pids+=($!)
await Collector "$!" "$logs/otelcol.log" "$otlp_grpc" "$otlp_http"
echo "Collector  OTLP/HTTP http://$otlp_http  OTLP/gRPC $otlp_grpc  log $logs/otelcol.log"
echo "READY (Ctrl-C stops both)"

# Returns when either exits (or on a signal); the EXIT trap stops the other.
wait -n "${pids[@]}"
echo "run.sh: a back end exited; see $logs" >&2
exit 1
