#!/bin/bash
# Start-up cost of -javaagent, whole process (BENCHMARKS.md section 6). From the project root, after mvn package:
#   benchmarks/startup/run.sh RUNS BEFORE_JAR JAVA_BIN...
# e.g. benchmarks/startup/run.sh 5 /tmp/old-tds-agent.jar /usr/lib/jvm/java-17-openjdk-amd64/bin/java
# Prints one line per run: workload jdk variant user_s sys_s maxrss_kb wall_s; summarise with summary.py.
set -e
RUNS=$1; BEFORE=$2; shift 2; JAVAS="$@"
ROOT=$(pwd); W=$(mktemp -d); trap 'kill $LAB $SINK 2>/dev/null; rm -rf $W' EXIT
HERE=$ROOT/benchmarks/startup
MS=$(ls ~/.m2/repository/com/microsoft/sqlserver/mssql-jdbc/13.6.2.jre11/mssql-jdbc-13.6.2.jre11.jar)
OTELJ=$(ls ~/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/2.33.1/opentelemetry-javaagent-2.33.1.jar)
javac -d $W -cp $MS $HERE/Hello.java $HERE/FirstLogin.java $HERE/EmptyAgent.java
printf "Premain-Class: EmptyAgent\nCan-Retransform-Classes: true\n" > $W/m.txt
jar cfm $W/empty.jar $W/m.txt -C $W EmptyAgent.class
PORT=$((20000 + RANDOM % 20000)); SPORT=$((PORT + 1))
java -jar examples/target/tds-lab-server.jar --port $PORT --login sa:Bench-Secret-1 > $W/lab.log 2>&1 & LAB=$!
python3 $HERE/otlp_sink.py $SPORT 2> $W/sink.log & SINK=$!
sleep 3
URL="jdbc:sqlserver://127.0.0.1:$PORT;user=sa;password=Bench-Secret-1;encrypt=false;loginTimeout=30"
O="-Dotel.exporter.otlp.endpoint=http://127.0.0.1:$SPORT -Dotel.exporter.otlp.protocol=http/protobuf"
OO="-Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none"
for i in $(seq $RUNS); do
  for J in $JAVAS; do
    jn=$(basename $(dirname $(dirname $J)))
    for v in none empty-agent before after otel; do
      case $v in none) A="";; empty-agent) A="-javaagent:$W/empty.jar";; before) A="-javaagent:$BEFORE $O";;
        after) A="-javaagent:$ROOT/agent/target/tds-agent.jar $O";; otel) A="-javaagent:$OTELJ $OO";; esac
      /usr/bin/time -f "hello $jn $v %U %S %M %e" $J $A -cp $W Hello 2>&1 >/dev/null | tail -1
      [ $v = empty-agent ] && continue
      /usr/bin/time -f "first-login $jn $v %U %S %M %e" $J $A -cp $W:$MS FirstLogin "$URL" 2>&1 >/dev/null | tail -1
    done
  done
done
