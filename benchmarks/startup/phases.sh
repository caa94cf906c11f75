#!/bin/bash
# Where the first connection's extra CPU goes (BENCHMARKS.md section 6a): the first-login workload of run.sh with
# the agent's parts switched off one by one. From the project root, after mvn package:
#   benchmarks/startup/phases.sh RUNS JAVA_BIN
# Prints lines in run.sh's format; summarise with summary.py.
#   hooks-only   -Dtds.capture=off: the driver classes are woven, nothing is decoded or exported
#   no-sdk       -Dotel.sdk.disabled=true: decoded and traced, the OpenTelemetry SDK does nothing
#   no-exporter  otel.traces.exporter=none, otel.metrics.exporter=none: spans built, nothing sent
#   full         the agent as a user runs it, OTLP/HTTP to a receiver on loopback
set -e
RUNS=$1; J=$2
ROOT=$(pwd)
. $ROOT/benchmarks/startup/common.sh
AG="-javaagent:$AGENT_JAR"
jn=$(basename $(dirname $(dirname $J)))
for i in $(seq $RUNS); do
  for v in none hooks-only no-sdk no-exporter full; do
    case $v in none) A="";; hooks-only) A="$AG -Dtds.capture=off";; no-sdk) A="$AG -Dotel.sdk.disabled=true";;
      no-exporter) A="$AG -Dotel.traces.exporter=none -Dotel.metrics.exporter=none";; full) A="$AG $O";; esac
    measure first-login $jn $v $J $A -cp $W/app:$MS FirstLogin "$URL"
  done
done
