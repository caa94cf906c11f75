package io.tdsagent.trace;

import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.RequestEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TdsEventListener;
import io.tdsagent.tds.request.AttentionRequest;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything traced about one connection attempt: its login span, then one span per request linked
 * to it. Fed by the decoder on the driver's thread, under the tap's lock.
 */
public final class ConnectionTracer implements TdsEventListener {
  public static final String CONNECTION_SPAN = "SQL Server connection";
  private final ConnectionInfo info;
  private final LoginTraceBuilder login;
  private final RequestTracer requests;
  private final MarsSessions mars;
  private final RequestAdmission admission;
  private final Consumer<SpanPlan> sink;

  /** When the connection began (its login span's start), for the span that ends at its close. */
  private final long connectionStart;

  /**
   * A session was established (the login succeeded, or the channel was picked up after its login).
   */
  private boolean session;

  /**
   * The connection span is made at the close: live only (a capture's replay makes its own, from the
   * TCP flags).
   */
  private boolean closeSpan;

  private long serverClosedAt = -1;
  private boolean serverReset;
  private long requestCount;

  private ConnectionTracer(
      ConnectionInfo info,
      LoginTraceBuilder login,
      Consumer<SpanPlan> sink,
      Supplier<SpanPlan.RemoteParent> appContext,
      RequestAdmission admission) {
    this.info = info;
    this.login = login;
    this.admission = admission;
    this.sink = sink;
    this.connectionStart = login.start;
    this.session = login.isMidSession();
    this.requests = new RequestTracer(info, sink, appContext, admission);
    this.mars = new MarsSessions(info, sink, appContext, admission);
  }

  /** A connection attempt seen from its TCP connect on, every request traced. */
  public static ConnectionTracer fromConnect(
      String host,
      int port,
      long startNanos,
      boolean rawSql,
      Consumer<SpanPlan> sink,
      Supplier<SpanPlan.RemoteParent> appContext) {
    return fromConnect(host, port, startNanos, rawSql, sink, appContext, RequestAdmission.ALL);
  }

  /**
   * A connection attempt seen from its TCP connect on. Times, here and in the events, are taken as
   * given (the agent's clock readings, a capture's timestamps): plans carry them unchanged.
   */
  public static ConnectionTracer fromConnect(
      String host,
      int port,
      long startNanos,
      boolean rawSql,
      Consumer<SpanPlan> sink,
      Supplier<SpanPlan.RemoteParent> appContext,
      RequestAdmission admission) {
    return fromConnect(host, port, startNanos, rawSql, sink, appContext, admission, null);
  }

  /**
   * The same, as one attempt ({@link LoginAttempts}) of a request for a connection; {@code attempt}
   * may be null.
   */
  public static ConnectionTracer fromConnect(
      String host,
      int port,
      long startNanos,
      boolean rawSql,
      Consumer<SpanPlan> sink,
      Supplier<SpanPlan.RemoteParent> appContext,
      RequestAdmission admission,
      LoginAttempts.Attempt attempt) {
    ConnectionInfo info = new ConnectionInfo(host, port, rawSql);
    Consumer<SpanPlan> loginSink =
        plan -> {
          info.loginPlan(plan);
          sink.accept(plan);
        };
    LoginTraceBuilder login =
        new LoginTraceBuilder(host, port, startNanos, loginSink, appContext.get(), attempt);
    return new ConnectionTracer(info, login, sink, appContext, admission);
  }

  /** A channel picked up while open (capture switched on): its requests only. */
  public static ConnectionTracer midSession(
      long nowNanos,
      boolean rawSql,
      Consumer<SpanPlan> sink,
      Supplier<SpanPlan.RemoteParent> appContext) {
    return midSession(null, 0, nowNanos, rawSql, sink, appContext, RequestAdmission.ALL);
  }

  /**
   * The same, with the server's address and port where the channel's socket tells them (null, 0:
   * unknown).
   */
  public static ConnectionTracer midSession(
      String host,
      int port,
      long nowNanos,
      boolean rawSql,
      Consumer<SpanPlan> sink,
      Supplier<SpanPlan.RemoteParent> appContext,
      RequestAdmission admission) {
    ConnectionInfo info = new ConnectionInfo(host, port, rawSql);
    return new ConnectionTracer(
        info, LoginTraceBuilder.midSession(nowNanos, sink), sink, appContext, admission);
  }

  /**
   * This connection picked up again after capture was off (its bytes meanwhile unseen): the server,
   * database, client connection id and the link to its login carry over; its requests are traced
   * from here.
   */
  public ConnectionTracer resumed(
      long nowNanos, Consumer<SpanPlan> sink, Supplier<SpanPlan.RemoteParent> appContext) {
    return new ConnectionTracer(
        info.copy(), LoginTraceBuilder.midSession(nowNanos, sink), sink, appContext, admission);
  }

  public LoginTraceBuilder login() {
    return login;
  }

  /**
   * At the close, a {@code SQL Server connection} span (from the login's start to the close, linked
   * to the login) says who closed the connection first and when: OpenTelemetry spans cannot change
   * once ended, so the close cannot be added to a request span exported long before. The replay
   * tool makes a span of the same name from a capture.
   */
  public ConnectionTracer withCloseSpan() {
    this.closeSpan = true;
    return this;
  }

  /**
   * The key the login's plan was handed over with, for plans that link to it; null before the login
   * ends.
   */
  public SpanPlan.LinkKey loginLink() {
    return info.loginLink();
  }

  /**
   * Asked on the driver's thread as each request starts: whether the driver sends it for itself (a
   * live agent knows from the driver call running; a replay cannot tell).
   */
  public ConnectionTracer driverInternal(java.util.function.BooleanSupplier s) {
    requests.driverInternal(s);
    return this;
  }

  /**
   * The driver call on this connection threw to the application with no request span left to mark:
   * the request in flight, if any, carries {@code outcome} when it ends. False when none was in
   * flight.
   */
  public boolean applicationFailed(AppOutcome outcome) {
    return requests.applicationFailed(outcome);
  }

  @Override
  public void onEvent(TdsEvent e) {
    if (e instanceof LoginOutcomeEvent
        && ((LoginOutcomeEvent) e).outcome() == LoginOutcomeEvent.Outcome.SUCCESS) {
      session = true;
    } else if (e instanceof RequestEvent
        && !((RequestEvent) e).ignored()
        && !(((RequestEvent) e).request() instanceof AttentionRequest)) {
      requestCount++;
    }
    info.observe(e);
    login.onEvent(e);
    requests.onEvent(e);
    mars.onEvent(e);
  }

  /** The driver read the end of the stream: the server closed first. */
  public void serverClosed(long nowNanos) {
    if (serverClosedAt < 0) {
      serverClosedAt = nowNanos;
    }
    login.serverClosed(nowNanos);
    requests.serverClosed(nowNanos, false);
  }

  /**
   * The driver's read failed and it gives the connection up (jTDS): a reset is the server's, as is
   * an end of stream; a closed socket or a timeout is the client's own doing, which its close
   * tells.
   */
  public void readFailed(long nowNanos, Throwable thrown) {
    if (LoginVerdict.isReset(thrown)) {
      clientError(nowNanos, "connection reset while reading", thrown);
    } else if (!(thrown instanceof java.net.SocketException)
        && !(thrown instanceof java.io.InterruptedIOException)) {
      serverClosed(nowNanos);
    }
  }

  /**
   * The driver is failing the connection; a reset (RST) from the server ends a request in flight
   * too.
   */
  public void clientError(long nowNanos, String message, Throwable cause) {
    login.clientError(message, cause);
    if (LoginVerdict.isReset(cause)) {
      if (serverClosedAt < 0) {
        serverClosedAt = nowNanos;
      }
      serverReset = true;
      requests.serverClosed(nowNanos, true);
    }
  }

  /**
   * A connection reset (RST) in the cause chain, as the JDK says it: the server's doing, not the
   * client's.
   */
  public static boolean isReset(Throwable cause) {
    return LoginVerdict.isReset(cause);
  }

  /** The channel closed: MARS sessions still open end here. */
  public void closed(long nowNanos) {
    requests.closed(nowNanos);
    mars.closeAll(nowNanos);
    if (closeSpan && session) {
      closeSpan = false;
      sink.accept(connectionSpan(nowNanos));
    }
  }

  private SpanPlan connectionSpan(long closeNanos) {
    ConnectionInfo.Snapshot c = info.snapshot();
    SpanPlan.Builder b =
        SpanPlan.builder(CONNECTION_SPAN, connectionStart)
            .end(closeNanos)
            .attr(TdsAttributes.DB_SYSTEM_NAME, TdsAttributes.DB_SYSTEM_NAME_VALUE)
            .attr(TdsAttributes.SERVER_ADDRESS, c.host())
            .attr(TdsAttributes.SERVER_PORT, c.host() != null ? (long) c.port() : null)
            .attr(TdsAttributes.DB_NAMESPACE, c.database())
            .attr(TdsAttributes.CLIENT_CONNECTION_ID, c.clientConnectionId())
            .attr("tds.requests", requestCount)
            // the login's parent: sampled as the login was (a parent-based sampler), in the same
            // trace
            .parent(login.parent)
            .link(info.loginLink());
    if (serverClosedAt >= 0) {
      CloseEvent.serverFirst(b, serverClosedAt, serverReset);
      b.error(
          serverReset
              ? "the server reset the connection"
              : "the server closed the connection first");
    } else {
      CloseEvent.add(b, "client", closeNanos, "close");
    }
    return b.build();
  }
}
