package io.tdsagent.trace;

/**
 * The connection attempts a driver makes for one request for a connection (one {@code
 * getConnection}): each address tried, each retry, each redirect is a login span of its own. They
 * are numbered from 1 ({@code tds.login.attempt}) and each links to the one before it, so a trace
 * viewer shows "attempt 3 of the same connect, after 1 and 2". The first attempt's span starts when
 * the application asked for the connection, not when the driver opened its socket: the wait before
 * the TCP connect (the driver's own set-up, DNS, a first use's class loading) is part of what the
 * application waited for.
 *
 * <p>Attempts of one request come one after another on one thread; the lock only guards against a
 * driver that hands an attempt to another thread.
 */
public final class LoginAttempts {
  public static final String ATTEMPT = "tds.login.attempt";

  /** The time from the application's request to the attempt's TCP connect (first attempts only). */
  public static final String BEFORE_CONNECT_MS = "tds.login.before_connect_ms";

  private final long requestedNanos;
  private int count;
  private SpanPlan.LinkKey previous;

  /**
   * {@code requestedNanos}: when the application asked for the connection (the clock the events
   * use).
   */
  public LoginAttempts(long requestedNanos) {
    this.requestedNanos = requestedNanos;
  }

  /** The next attempt, whose TCP connect starts at {@code openNanos}. */
  public synchronized Attempt next(long openNanos) {
    count++;
    SpanPlan.LinkKey key = new SpanPlan.LinkKey();
    Attempt a =
        new Attempt(
            count, count == 1 ? Math.min(requestedNanos, openNanos) : openNanos, previous, key);
    previous = key;
    return a;
  }

  /**
   * The login's duration from its TCP connect to its answer: what the network and the server cost,
   * without the wait before the connect (the driver's set-up, a first use's) that the span's start
   * includes. Slow-login sampling and the connection-creation metric use it.
   */
  public static long connectToAnswerNanos(SpanPlan login) {
    long start = login.startNanos();
    for (SpanPlan c : login.children()) {
      if ("tcp connect".equals(c.name())) {
        start = Math.max(start, c.startNanos());
        break;
      }
    }
    return login.endNanos() - start;
  }

  /** Attempts made so far. */
  public synchronized int count() {
    return count;
  }

  /**
   * One attempt: its number, when its login span starts, the attempt before it (null for the
   * first).
   */
  public static final class Attempt {
    private final int number;
    private final long startNanos;
    private final SpanPlan.LinkKey previous;
    private final SpanPlan.LinkKey key;

    Attempt(int number, long startNanos, SpanPlan.LinkKey previous, SpanPlan.LinkKey key) {
      this.number = number;
      this.startNanos = startNanos;
      this.previous = previous;
      this.key = key;
    }

    public int number() {
      return number;
    }

    public long startNanos() {
      return startNanos;
    }

    /** The previous attempt's login span, which this one links to; null for the first. */
    public SpanPlan.LinkKey previous() {
      return previous;
    }

    /** This attempt's login span, as the next attempt links to it. */
    public SpanPlan.LinkKey key() {
      return key;
    }
  }
}
