package io.tdsagent.agent.tap;

import io.tdsagent.agent.config.AgentConfig;
import io.tdsagent.trace.AppOutcome;
import io.tdsagent.trace.ConnectionTracer;
import io.tdsagent.trace.LoginTraceBuilder;
import io.tdsagent.trace.SpanPlan;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The driver's API calls running on this thread (statement execution, reading a row,
 * getConnection), as thin advice reports their entry and exit. While one runs, the plans its
 * connection finishes on this thread are held, not exported: when the call throws, the
 * application's outcome is put on them (the last request's span; the login's, when getConnection
 * threw), which the wire alone cannot always tell. A call that ends normally hands them on
 * unchanged. Held plans are bounded ({@value #MAX_HELD} per thread, the oldest handed on first) and
 * live no longer than the driver call. Requests that start while getConnection runs are the
 * driver's own (its set-up batch). Nothing here throws.
 */
public final class DriverCalls {
  public static final int CALL = 0;
  public static final int CONNECT = 1;
  static final int MAX_HELD = 16;
  private static final ThreadLocal<Frame> FRAME = new ThreadLocal<>();

  private DriverCalls() {}

  /**
   * This thread's driver calls: how deep, and what they finished. Only its own thread touches it.
   */
  private static final class Frame {
    int depth;
    int connectDepth;
    final List<SpanPlan> held = new ArrayList<>(2);
    final List<Consumer<SpanPlan>> sinks = new ArrayList<>(2);

    /**
     * The channel this call last read or wrote, for a request still in flight when the call threw.
     */
    ChannelTap tap;
  }

  public static void enter(int kind) {
    try {
      Frame f = FRAME.get();
      if (f == null) {
        f = new Frame();
        FRAME.set(f);
      }
      f.depth++;
      if (kind == CONNECT) {
        f.connectDepth++;
      }
    } catch (Throwable ignored) {
      // the call is not followed; its plans go out as they are made
    }
  }

  public static void exit(int kind, Throwable thrown) {
    try {
      Frame f = FRAME.get();
      if (f == null || f.depth == 0) {
        return;
      }
      f.depth--;
      if (kind == CONNECT && f.connectDepth > 0) {
        f.connectDepth--;
      }
      if (f.depth > 0) {
        return;
      }
      ChannelTap tap = f.tap;
      f.tap = null;
      if (f.held.isEmpty() && (thrown == null || tap == null)) {
        return;
      }
      List<SpanPlan> plans = new ArrayList<>(f.held);
      List<Consumer<SpanPlan>> sinks = new ArrayList<>(f.sinks);
      f.held.clear();
      f.sinks.clear();
      if (thrown != null) {
        mark(plans, kind == CONNECT, outcome(thrown), tap);
      }
      for (int i = 0; i < plans.size(); i++) {
        sinks.get(i).accept(plans.get(i));
      }
    } catch (Throwable ignored) {
      // never the application's problem
    }
  }

  /**
   * The request in flight when the call threw is the one that failed; else the last request the
   * call finished. getConnection's failure is the login's too.
   */
  private static void mark(List<SpanPlan> plans, boolean connect, AppOutcome o, ChannelTap tap) {
    boolean inFlight = tap != null && ChannelTap.applicationFailed(tap, o);
    boolean requestMarked = inFlight;
    for (int i = plans.size() - 1; i >= 0; i--) {
      String name = plans.get(i).name();
      if (ConnectionTracer.CONNECTION_SPAN.equals(name)) {
        continue; // the session's own span, ended by the same failure after its request: the
        // request is the one
      }
      boolean login = LoginTraceBuilder.LOGIN_SPAN.equals(name);
      if (login ? connect : !requestMarked) {
        plans.set(i, plans.get(i).andThen(o));
        requestMarked |= !login;
      }
    }
  }

  private static AppOutcome outcome(Throwable t) {
    return new AppOutcome(
        t.getClass().getName(),
        t instanceof SQLException ? ((SQLException) t).getSQLState() : null,
        t.getMessage(),
        AgentConfig.rawSql());
  }

  /** Hands {@code plan} to the running driver call, or says there is none. */
  static boolean hold(SpanPlan plan, Consumer<SpanPlan> sink) {
    Frame f = FRAME.get();
    if (f == null || f.depth == 0) {
      return false;
    }
    if (f.held.size() >= MAX_HELD) {
      SpanPlan oldest = f.held.remove(0);
      f.sinks.remove(0).accept(oldest);
    }
    f.held.add(plan);
    f.sinks.add(sink);
    return true;
  }

  /**
   * A sink that holds plans while a driver call runs on the submitting thread, else hands them to
   * {@code next}.
   */
  static Consumer<SpanPlan> holding(Consumer<SpanPlan> next) {
    return plan -> {
      if (!hold(plan, next)) {
        next.accept(plan);
      }
    };
  }

  /** The channel the running call is using. */
  static void touched(ChannelTap tap) {
    Frame f = FRAME.get();
    if (f != null && f.depth > 0) {
      f.tap = tap;
    }
  }

  /**
   * True while the driver's getConnection runs on this thread: a request sent now is the driver's
   * own.
   */
  static boolean internal() {
    Frame f = FRAME.get();
    return f != null && f.connectDepth > 0;
  }
}
