# Shared by run.sh, phases.sh and threads.sh (sourced from the project root).
# Starts the lab server and an OTLP sink on free ports; builds the workloads and the baseline agents in $W.
W=$(mktemp -d); trap 'kill $LAB $SINK 2>/dev/null; rm -rf $W' EXIT
HERE=$ROOT/benchmarks/startup
MS=$(ls ~/.m2/repository/com/microsoft/sqlserver/mssql-jdbc/13.6.2.jre11/mssql-jdbc-13.6.2.jre11.jar)
OTELJ=$(ls ~/.m2/repository/io/opentelemetry/javaagent/opentelemetry-javaagent/2.33.1/opentelemetry-javaagent-2.33.1.jar 2>/dev/null || true)
AGENT_JAR=$ROOT/agent/target/tds-agent.jar
mkdir -p $W/app $W/empty
javac -d $W/app -cp $MS $HERE/Hello.java $HERE/FirstLogin.java $HERE/FirstLoginThreads.java
# The empty agent lives only in its jars (not on the class path), so the JVM opens the jar as for a real agent.
javac -d $W/empty $HERE/EmptyAgent.java
printf "Premain-Class: EmptyAgent\nCan-Retransform-Classes: true\n" > $W/m.txt
jar cfm $W/empty.jar $W/m.txt -C $W/empty EmptyAgent.class
# empty-same-size: tds-agent.jar with a premain that does nothing: what opening a jar of this size costs.
cp $AGENT_JAR $W/empty-same-size.jar
printf "Premain-Class: EmptyAgent\n" > $W/m2.txt
jar ufm $W/empty-same-size.jar $W/m2.txt -C $W/empty EmptyAgent.class 2>/dev/null
PORT=$((20000 + RANDOM % 20000)); SPORT=$((PORT + 1))
java -jar $ROOT/examples/target/tds-lab-server.jar --port $PORT --login sa:Bench-Secret-1 > $W/lab.log 2>&1 & LAB=$!
python3 $HERE/otlp_sink.py $SPORT 2> $W/sink.log & SINK=$!
sleep 3
URL="jdbc:sqlserver://127.0.0.1:$PORT;user=sa;password=Bench-Secret-1;encrypt=false;loginTimeout=30"
O="-Dotel.exporter.otlp.endpoint=http://127.0.0.1:$SPORT -Dotel.exporter.otlp.protocol=http/protobuf"
OO="-Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none"
# CPU from perf's task-clock (every thread, 1 ms resolution) where perf runs; else /usr/bin/time's user+sys
# (10 ms). Peak RSS and wall time from /usr/bin/time.
PERF=""; perf stat -e task-clock -x, true >/dev/null 2>&1 && PERF=yes

# measure WORKLOAD JDK_NAME VARIANT JAVA ARGS...: one line "workload jdk variant user_s sys_s maxrss_kb wall_s [cpu_s]"
measure() {
  local w=$1 jn=$2 v=$3; shift 3
  if [ -n "$PERF" ]; then
    perf stat -e task-clock -x, -o $W/perf.txt /usr/bin/time -o $W/time.txt -f "$w $jn $v %U %S %M %e" "$@" >/dev/null 2>&1
    echo "$(tail -1 $W/time.txt) $(awk -F, '/task-clock/ {printf "%.3f", $1/1000}' $W/perf.txt)"
  else
    /usr/bin/time -o $W/time.txt -f "$w $jn $v %U %S %M %e" "$@" >/dev/null 2>&1
    tail -1 $W/time.txt
  fi
}
