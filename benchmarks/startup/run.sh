#!/bin/bash
# Start-up cost of -javaagent, whole process (BENCHMARKS.md section 6). From the project root, after mvn package:
#   benchmarks/startup/run.sh RUNS BEFORE_JAR JAVA_BIN...
# e.g. benchmarks/startup/run.sh 5 /tmp/old-tds-agent.jar /usr/lib/jvm/java-17-openjdk-amd64/bin/java
# BEFORE_JAR may be "-" to leave the before variant out. Prints one line per run:
#   workload jdk variant user_s sys_s maxrss_kb wall_s [cpu_s from perf task-clock]
# summarise with summary.py. Variants, interleaved in each round:
#   none             no agent
#   addmods          no agent, --add-modules=java.instrument: what -javaagent makes the JVM do to its module graph
#                    (the launcher adds this module for any agent, which turns off CDS's archived module graph)
#   empty-agent      a premain that does nothing, in a one-class jar: what any -javaagent costs this JVM
#   empty-same-size  the same premain in a copy of tds-agent.jar: what opening a jar of this size adds
#   before / after   an older build of the agent / agent/target/tds-agent.jar
#   otel             the OpenTelemetry Java agent 2.33.1, every exporter none
#   before-disabled / after-disabled   before / after with -Dtds.agent.enabled=false (hello only)
# VARIANTS="none before after" (environment) runs only those, in that order; WORKLOADS="first-login" only that one.
set -e
RUNS=$1; BEFORE=$2; shift 2; JAVAS="$@"
ROOT=$(pwd)
. $ROOT/benchmarks/startup/common.sh
for i in $(seq $RUNS); do
  for J in $JAVAS; do
    jn=$(basename $(dirname $(dirname $J)))
    for v in ${VARIANTS:-none empty-agent empty-same-size before after otel}; do
      case $v in none) A="";; addmods) A="--add-modules=java.instrument";; empty-agent) A="-javaagent:$W/empty.jar";;
        empty-same-size) A="-javaagent:$W/empty-same-size.jar";; before) A="-javaagent:$BEFORE $O";;
        after) A="-javaagent:$AGENT_JAR $O";;
        before-disabled) A="-javaagent:$BEFORE -Dtds.agent.enabled=false";;
        after-disabled) A="-javaagent:$AGENT_JAR -Dtds.agent.enabled=false";; otel) A="-javaagent:$OTELJ $OO";; esac
      case $v in before*) [ "$BEFORE" = - ] && continue;; esac
      [ $v = otel ] && [ -z "$OTELJ" ] && continue
      case " ${WORKLOADS:-hello first-login} " in *" hello "*) measure hello $jn $v $J $A -cp $W/app Hello;; esac
      case $v in empty-*|addmods|*-disabled) continue;; esac
      case " ${WORKLOADS:-hello first-login} " in
        *" first-login "*) measure first-login $jn $v $J $A -cp $W/app:$MS FirstLogin "$URL";; esac
    done
  done
done
