package io.tdsagent.trace;

import io.tdsagent.tds.conversation.TdsEventListener;
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
    return fromConnect(host, port, startNanos, rawSql, sink, appContext, admission, null);
  }

  /** The same, as one attempt ({@link LoginAttempts}) of a request for a connection; {@code attempt} may be null. */
  public static ConnectionTracer fromConnect(String host, int port, long startNanos, boolean rawSql,
      Consumer<SpanPlan> sink, Supplier<SpanPlan.RemoteParent> appContext, RequestAdmission admission,
      LoginAttempts.Attempt attempt) {
    ConnectionInfo info = new ConnectionInfo(host, port, rawSql);
    Consumer<SpanPlan> loginSink = plan -> {
      info.loginPlan(plan);
      sink.accept(plan);
    };
    LoginTraceBuilder login = new LoginTraceBuilder(host, port, startNanos, loginSink, appContext.get(), attempt);
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
