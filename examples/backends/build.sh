#!/usr/bin/env bash
# Builds Jaeger (examples/backends/jaeger) and the OpenTelemetry Collector
# (examples/backends/otelcol) from their Go modules, once: the binaries are cached under
#   ${TDS_BACKENDS_CACHE:-${XDG_CACHE_HOME:-~/.cache}/tds-agent/backends}/<key>/{jaeger,otelcol}
# where <key> is a hash of the modules' go.mod, go.sum and sources and of the Go version, so
# an edit to either module builds afresh and anything else reuses the cache.
# Prints the directory holding the two binaries on stdout (progress goes to stderr).
# Exit status 3: no Go toolchain ($TDS_BACKENDS_GO, else `go` on PATH, else /usr/local/go/bin/go).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# TDS_BACKENDS_GO names a Go other than the one on PATH (or /usr/local/go/bin/go).
GO="${TDS_BACKENDS_GO:-$(command -v go || true)}"
if [ -z "$GO" ] && [ -x /usr/local/go/bin/go ]; then GO=/usr/local/go/bin/go; fi
if [ -z "$GO" ] || [ ! -x "$GO" ]; then
  echo "build.sh: no Go toolchain${TDS_BACKENDS_GO:+ at TDS_BACKENDS_GO=$TDS_BACKENDS_GO}: install Go 1.26 or newer (https://go.dev/dl/)" \
       "or put it on PATH" >&2
  exit 3
fi

key="$( ( "$GO" env GOVERSION GOOS GOARCH
          cd "$here" && cat jaeger/go.mod jaeger/go.sum otelcol/go.mod otelcol/go.sum otelcol/*.go
        ) | sha256sum | cut -c1-16)"
cache_root="${TDS_BACKENDS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tds-agent/backends}"
out="$cache_root/$key"

if [ -x "$out/jaeger" ] && [ -x "$out/otelcol" ]; then
  echo "$out"
  exit 0
fi

mkdir -p "$cache_root"
# Two builds at once (a test run beside .ci/run) would each take minutes: one waits for the other.
exec 9>"$cache_root/.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
if [ -x "$out/jaeger" ] && [ -x "$out/otelcol" ]; then
  echo "$out"
  exit 0
fi

tmp="$(mktemp -d "$cache_root/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
start=$SECONDS
echo "build.sh: building Jaeger and the OpenTelemetry Collector with $("$GO" env GOVERSION) into $out" \
     "(the first time takes several minutes)" >&2
# -mod=readonly: build exactly what go.mod and go.sum pin, whatever GOFLAGS says; -buildvcs=false:
# the result must not depend on the state of the checkout (nor fail where git cannot read it).
(cd "$here/jaeger" && "$GO" build -mod=readonly -buildvcs=false -o "$tmp/jaeger" github.com/jaegertracing/jaeger/cmd/jaeger)
(cd "$here/otelcol" && "$GO" build -mod=readonly -buildvcs=false -o "$tmp/otelcol" .)
mkdir -p "$out"
mv "$tmp/jaeger" "$tmp/otelcol" "$out/"
echo "build.sh: built in $((SECONDS - start)) s" >&2
echo "$out"
