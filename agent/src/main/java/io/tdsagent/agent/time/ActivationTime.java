package io.tdsagent.agent.time;

import java.lang.ref.WeakReference;

/**
 * When the agent's one-time set-up ran, and on which thread. It runs as the first driver class is defined, which
 * mssql-jdbc does when the application first asks for a connection: that wait is the application's, and belongs in
 * the first login span, which otherwise would start only after it (seconds in a fresh JVM).
 */
public final class ActivationTime {
  /** A request that starts later than this after the set-up ended is not the one that caused it. */
  private static final long SAME_REQUEST_NANOS = 1_000_000_000L;

  private static WeakReference<Thread> thread; // guarded by ActivationTime.class
  private static long start;
  private static long end;

  private ActivationTime() {}

  public static synchronized void record(long startNanos, long endNanos) {
    thread = new WeakReference<>(Thread.currentThread());
    start = startNanos;
    end = endNanos;
  }

  /**
   * For the first request for a connection on the thread that set the agent up, right after it: when the set-up
   * began; otherwise -1. Answers once.
   */
  public static synchronized long claim(long requestNanos) {
    if (thread == null || thread.get() != Thread.currentThread()) {
      return -1;
    }
    thread = null;
    return requestNanos >= end && requestNanos - end <= SAME_REQUEST_NANOS ? start : -1;
  }
}
