package io.tdsagent.agent.tap;

import java.util.concurrent.atomic.LongAdder;

/**
 * How long the application's threads spend inside the agent's entry points, for the benchmarks: the
 * agent's own cost on the driver's path in a real process, where a login's code runs cold (JMH
 * measures it hot). Wall clock, so a GC pause or a preemption that falls inside an entry point
 * counts too. Off unless {@code -Dtds.selftime=true} (a static final: the JIT drops the checks).
 */
public final class SelfTime {
  static final boolean ON = Boolean.getBoolean("tds.selftime");
  private static final LongAdder NANOS = new LongAdder();

  private SelfTime() {}

  static long start() {
    return ON ? System.nanoTime() : 0;
  }

  static void end(long startNanos) {
    if (ON) {
      NANOS.add(System.nanoTime() - startNanos);
    }
  }

  /**
   * Total so far, or -1 when off; read by the benchmark's client (by reflection: it does not link
   * to the agent).
   */
  public static long nanos() {
    return ON ? NANOS.sum() : -1;
  }
}
