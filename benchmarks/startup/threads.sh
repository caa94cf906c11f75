#!/bin/bash
# Whose threads pay for the first connection (BENCHMARKS.md section 6b): the first-login workload, then the CPU of
# every thread of the process read from /proc/self/task, grouped by thread name (the application's main thread,
# the JIT compilers, the GC, the agent's export thread, the SDK's span and metric workers). The batch span
# processor's delay is shortened so the login's spans are sent before the threads are read.
# From the project root, after mvn package:
#   benchmarks/startup/threads.sh RUNS JAVA_BIN [BEFORE_JAR]
# (with BEFORE_JAR, an older build of the agent runs too, as the variant "before")
# Prints one line per run: "variant thread=ms thread=ms ..."; summarise with threads_summary.py.
set -e
RUNS=$1; J=$2; BEFORE=${3:-}
ROOT=$(pwd)
. $ROOT/benchmarks/startup/common.sh
for i in $(seq $RUNS); do
  for v in none ${BEFORE:+before} tds; do
    S="$O -Dotel.bsp.schedule.delay=200 -Dotel.metric.export.interval=400"
    case $v in none) A="";; before) A="-javaagent:$BEFORE $S";; tds) A="-javaagent:$AGENT_JAR $S";; esac
    echo "$v $($J $A -cp $W/app:$MS FirstLoginThreads "$URL" 1500)"
  done
done
