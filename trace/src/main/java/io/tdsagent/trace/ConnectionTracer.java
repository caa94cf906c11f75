package io.tdsagent.trace;

import io.tdsagent.tds.event.TdsEventListener;
import io.tdsagent.tds.event.TdsEvent;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Everything traced about one connection attempt: its login span, then one span per request
 * linked to it. Fed by the decoder on the driver's thread, under the tap's lock.
 */
public final class ConnectionTracer implements TdsEventListener {
  private final ConnectionInfo info;
  private final LoginTraceBuilder login;
  private final RequestTracer requests;
  private final MarsSessions mars;
  private final RequestAdmission admission;

  private ConnectionTracer(ConnectionInfo info, LoginTraceBuilder login, Consumer<SpanPlan> sink,
      Supplier<SpanPlan.RemoteParent> appContext, RequestAdmission admission) {
    this.info = info;
    this.login = login;
    this.admission = admission;
    this.requests = new RequestTracer(info, sink, appContext, admission);
    this.mars = new MarsSessions(info, sink, appContext, admission);
  }

  /** A connection attempt seen from its TCP connect on, every request traced. */
  public static ConnectionTracer fromConnect(String host, int port, long startNanos, boolean rawSql,
      Consumer<SpanPlan> sink, Supplier<SpanPlan.RemoteParent> appContext) {
    return fromConnect(host, port, startNanos, rawSql, sink, appContext, RequestAdmission.ALL);
  }

  /**
   * A connection attempt seen from its TCP connect on. Times, here and in the events, are taken as given (the
   * agent's clock readings, a capture's timestamps): plans carry them unchanged.
   */
  public static ConnectionTracer fromConnect(String host, int port, long startNanos, boolean rawSql,
      Consumer<SpanPlan> sink, Supplier<SpanPlan.RemoteParent> appContext, RequestAdmission admission) {
    ConnectionInfo info = new ConnectionInfo(host, port, rawSql);
    Consumer<SpanPlan> loginSink = plan -> {
      info.loginPlan(plan);
      sink.accept(plan);
    };
    LoginTraceBuilder login = new LoginTraceBuilder(host, port, startNanos, loginSink, appContext.get());
    return new ConnectionTracer(info, login, sink, appContext, admission);
  }

  /** A channel picked up while open (capture switched on): its requests only. */
  public static ConnectionTracer midSession(long nowNanos, boolean rawSql, Consumer<SpanPlan> sink,
      Supplier<SpanPlan.RemoteParent> appContext) {
    return midSession(null, 0, nowNanos, rawSql, sink, appContext, RequestAdmission.ALL);
  }

  /** The same, with the server's address and port where the channel's socket tells them (null, 0: unknown). */
  public static ConnectionTracer midSession(String host, int port, long nowNanos, boolean rawSql,
      Consumer<SpanPlan> sink, Supplier<SpanPlan.RemoteParent> appContext, RequestAdmission admission) {
    ConnectionInfo info = new ConnectionInfo(host, port, rawSql);
    return new ConnectionTracer(info, LoginTraceBuilder.midSession(nowNanos, sink), sink, appContext, admission);
  }

  /**
   * This connection picked up again after capture was off (its bytes meanwhile unseen): the server, database,
   * client connection id and the link to its login carry over; its requests are traced from here.
   */
  public ConnectionTracer resumed(long nowNanos, Consumer<SpanPlan> sink, Supplier<SpanPlan.RemoteParent> appContext) {
    return new ConnectionTracer(info.copy(), LoginTraceBuilder.midSession(nowNanos, sink), sink, appContext,
        admission);
  }

  public LoginTraceBuilder login() {
    return login;
  }

  /** The key the login's plan was handed over with, for plans that link to it; null before the login ends. */
  public SpanPlan.LinkKey loginLink() {
    return info.loginLink();
  }

  /**
   * Asked on the driver's thread as each request starts: whether the driver sends it for itself (a live agent knows
   * from the driver call running; a replay cannot tell).
   */
  public ConnectionTracer driverInternal(java.util.function.BooleanSupplier s) {
    requests.driverInternal(s);
    return this;
  }

  /**
   * The driver call on this connection threw to the application with no request span left to mark: the request in
   * flight, if any, carries {@code outcome} when it ends. False when none was in flight.
   */
  public boolean applicationFailed(AppOutcome outcome) {
    return requests.applicationFailed(outcome);
  }

  @Override
  public void onEvent(TdsEvent e) {
    info.observe(e);
    login.onEvent(e);
    requests.onEvent(e);
    mars.onEvent(e);
  }

  /** The driver read the end of the stream: the server closed first. */
  public void serverClosed(long nowNanos) {
    login.serverClosed(nowNanos);
    requests.serverClosed(nowNanos, false);
  }

  /**
   * The driver's read failed and it gives the connection up (jTDS): a reset is the server's, as is an end of stream;
   * a closed socket or a timeout is the client's own doing, which its close tells.
   */
  public void readFailed(long nowNanos, Throwable thrown) {
    if (LoginVerdict.isReset(thrown)) {
      clientError(nowNanos, "connection reset while reading", thrown);
    } else if (!(thrown instanceof java.net.SocketException) && !(thrown instanceof java.io.InterruptedIOException)) {
      serverClosed(nowNanos);
    }
  }

  /** The driver is failing the connection; a reset (RST) from the server ends a request in flight too. */
  public void clientError(long nowNanos, String message, Throwable cause) {
    login.clientError(message, cause);
    if (LoginVerdict.isReset(cause)) {
      requests.serverClosed(nowNanos, true);
    }
  }

  /** The channel closed: MARS sessions still open end here. */
  public void closed(long nowNanos) {
    requests.closed(nowNanos);
    mars.closeAll(nowNanos);
  }
}
