package io.tdsagent.agent.config;

import io.tdsagent.trace.RequestAdmission;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * How many ordinary requests become spans, for the whole process: a rate (with one second's worth
 * as burst), decided on the driver's thread when the response ends, before anything is built for
 * the span. Exporting a span costs the process tens of microseconds of CPU (the SDK, OTLP encoding,
 * the network), more than a fast query itself; the rate bounds that cost whatever the application's
 * request rate. Requests that fail, are cancelled or are slow are always traced: they are what
 * users look for.
 *
 * <p>A GCRA (virtual scheduling) limiter: one CAS per admitted request, one read per refused one;
 * never blocks.
 */
public final class RequestBudget implements RequestAdmission {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  private static volatile RequestBudget global;

  /** Nanoseconds of budget one span uses; 0 for no limit. */
  private final long interval;

  private final long burst;
  private final long slowNanos;

  /** The theoretical arrival time of the next admitted request (virtual scheduling). */
  private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);

  private volatile boolean limitLogged;

  RequestBudget(double perSecond, long slowMillis) {
    if (perSecond < 0) {
      interval = 0;
      burst = 0;
    } else if (perSecond == 0) {
      interval = Long.MAX_VALUE;
      burst = 0;
    } else {
      interval = Math.max(1, (long) (1e9 / perSecond));
      burst = 1_000_000_000L;
    }
    this.slowNanos = slowMillis * 1_000_000L;
  }

  /** The process's budget, from {@link AgentConfig} at first use. */
  public static RequestBudget global() {
    RequestBudget b = global;
    if (b == null) {
      synchronized (RequestBudget.class) {
        if (global == null) {
          global = new RequestBudget(AgentConfig.requestsPerSecond(), AgentConfig.slowMillis());
        }
        b = global;
      }
    }
    return b;
  }

  /** Whether a request that ended at {@code endNanos} becomes a span. */
  @Override
  public boolean admit(long startNanos, long endNanos, boolean notable) {
    if (interval == 0 || notable || endNanos - startNanos >= slowNanos) {
      return true;
    }
    if (interval == Long.MAX_VALUE) {
      debugLeftOut();
      return false;
    }
    while (true) {
      long tat = next.get();
      long from = tat == Long.MIN_VALUE || tat - endNanos < 0 ? endNanos : tat;
      long newTat = from + interval;
      if (newTat - endNanos > burst) {
        if (!limitLogged) {
          limitLogged = true;
          LOG.info(
              "tds-agent: more than "
                  + (1_000_000_000L / interval)
                  + " requests per second: ordinary requests"
                  + " are traced up to that rate, failed, cancelled and slow ones always ("
                  + AgentConfig.REQUESTS_PER_SECOND
                  + ", "
                  + AgentConfig.SLOW_MS
                  + "); spans say how many requests before them were not traced");
        }
        debugLeftOut();
        return false;
      }
      if (next.compareAndSet(tat, newTat)) {
        return true;
      }
    }
  }

  private static void debugLeftOut() {
    if (DebugLog.isOn()) {
      LOG.fine(
          "tds-agent: a request left out by the request budget ("
              + AgentConfig.REQUESTS_PER_SECOND
              + ")");
    }
  }
}
