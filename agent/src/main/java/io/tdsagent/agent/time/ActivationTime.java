package io.tdsagent.agent.time;

import java.lang.ref.WeakReference;

/**
 * When the agent's one-time set-up ran, and on which thread. It runs as the first driver class is
 * defined; mssql-jdbc defines {@code SQLServerConnection} when it first makes one, inside the
 * application's first request for a connection, just before that request's {@code connect}. That
 * wait is the application's, and belongs in the first login span, which otherwise would start only
 * after it (seconds in a fresh JVM).
 */
public final class ActivationTime {
  /**
   * Classes whose definition is the start of a request for a connection: mssql-jdbc's connection
   * class, and jTDS's Driver, which DriverManager loads (with every driver on the class path)
   * inside the application's first {@code getConnection}.
   */
  private static final java.util.Set<String> CONNECTION_START =
      java.util.Set.of(
          "com/microsoft/sqlserver/jdbc/SQLServerConnection", "net/sourceforge/jtds/jdbc/Driver");

  /**
   * A sanity bound only: the connection class's linking and initialisation may take long on a busy
   * machine.
   */
  private static final long SAME_REQUEST_NANOS = 30_000_000_000L;

  private static WeakReference<Thread> thread; // guarded by ActivationTime.class
  private static long start;
  private static long end;

  private ActivationTime() {}

  /** {@code trigger}: the internal name of the class whose definition started the agent. */
  public static synchronized void record(String trigger, long startNanos, long endNanos) {
    if (!CONNECTION_START.contains(trigger)) {
      return;
    }
    thread = new WeakReference<>(Thread.currentThread());
    start = startNanos;
    end = endNanos;
  }

  /**
   * For the first request for a connection on the thread where making the connection object started
   * the agent: when the set-up began; otherwise -1. Answers once.
   */
  public static synchronized long claim(long requestNanos) {
    if (thread == null || thread.get() != Thread.currentThread()) {
      return -1;
    }
    thread = null;
    return requestNanos >= end && requestNanos - end <= SAME_REQUEST_NANOS ? start : -1;
  }
}
