#!/bin/bash
# Where the first connection's extra CPU goes (BENCHMARKS.md section 6a): the first-login workload of run.sh with
# the agent's parts switched off one by one. From the project root, after mvn package:
#   benchmarks/startup/phases.sh RUNS JAVA_BIN
# Prints lines in run.sh's format (workload jdk variant user_s sys_s maxrss_kb wall_s); summarise with summary.py.
#   hooks-only   -Dtds.capture=off: the driver classes are woven, nothing is decoded or exported
#   no-sdk       -Dotel.sdk.disabled=true: decoded and traced, the OpenTelemetry SDK does nothing
#   no-exporter  otel.traces.exporter=none, otel.metrics.exporter=none: spans built, nothing sent
#   full         the agent as a user runs it, OTLP/HTTP to a receiver on loopback
set -e
RUNS=$1; J=$2
ROOT=$(pwd); W=$(mktemp -d); trap 'kill $LAB $SINK 2>/dev/null; rm -rf $W' EXIT
HERE=$ROOT/benchmarks/startup
MS=$(ls ~/.m2/repository/com/microsoft/sqlserver/mssql-jdbc/13.6.2.jre11/mssql-jdbc-13.6.2.jre11.jar)
javac -d $W -cp $MS $HERE/FirstLogin.java
PORT=$((20000 + RANDOM % 20000)); SPORT=$((PORT + 1))
java -jar examples/target/tds-lab-server.jar --port $PORT --login sa:Bench-Secret-1 > $W/lab.log 2>&1 & LAB=$!
python3 $HERE/otlp_sink.py $SPORT 2> $W/sink.log & SINK=$!
sleep 3
URL="jdbc:sqlserver://127.0.0.1:$PORT;user=sa;password=Bench-Secret-1;encrypt=false;loginTimeout=30"
AG="-javaagent:$ROOT/agent/target/tds-agent.jar"
O="-Dotel.exporter.otlp.endpoint=http://127.0.0.1:$SPORT -Dotel.exporter.otlp.protocol=http/protobuf"
jn=$(basename $(dirname $(dirname $J)))
for i in $(seq $RUNS); do
  for v in none hooks-only no-sdk no-exporter full; do
    case $v in none) A="";; hooks-only) A="$AG -Dtds.capture=off";; no-sdk) A="$AG -Dotel.sdk.disabled=true";;
      no-exporter) A="$AG -Dotel.traces.exporter=none -Dotel.metrics.exporter=none";; full) A="$AG $O";; esac
    /usr/bin/time -f "first-login $jn $v %U %S %M %e" $J $A -cp $W:$MS FirstLogin "$URL" 2>&1 >/dev/null | tail -1
  done
done
