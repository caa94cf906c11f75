package io.tdsagent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.Phase;
import io.tdsagent.tds.event.PhaseEvent;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The budget and verdict attributes from what the driver hooks report (the decoder's part is
 * covered by the end-to-end tests against the lab server): which phase was in flight, who ended the
 * attempt.
 */
class LoginVerdictTest {
  private static final long MS = 1_000_000L;
  private final List<SpanPlan> plans = new ArrayList<>();

  private LoginTraceBuilder login() {
    LoginTraceBuilder b =
        new LoginTraceBuilder("db", 1433, 0, plan -> plans.add(plan.resolve()), null);
    b.loginTimeout(2000);
    return b;
  }

  @Test
  void aTimeoutWhileTheServerThinksAboutLogin7() {
    LoginTraceBuilder b = login();
    b.tcpConnected(1 * MS, null, null);
    b.onEvent(new PhaseEvent(Phase.PRELOGIN, 2 * MS, 3 * MS));
    b.onEvent(new io.tdsagent.tds.event.Login7Event(null, 4 * MS, 5 * MS));
    b.clientError("Read timed out", new SocketTimeoutException("Read timed out"));
    b.closed(2005 * MS);
    SpanPlan span = plans.get(0);
    assertEquals(2000L, span.attributes().get("tds.login.timeout_ms"));
    assertEquals(1.0025, span.attributes().get("tds.login.budget_used"));
    assertEquals("loginack", span.attributes().get("tds.login.phase_at_timeout"));
    assertEquals(2000.0, span.attributes().get("tds.login.phase_wait_ms"));
    assertEquals("client", span.attributes().get("tds.login.ended_by"));
    assertEquals(
        "server slow to answer LOGIN7 (2000 ms, then the login timed out; worker threads starved?)",
        span.attributes().get("tds.login.diagnosis"));
    assertEquals(
        0.0005,
        LoginTraceBuilderTest.child(span, "tcp connect").attributes().get("tds.login.budget_used"));
  }

  @Test
  void theServerClosingBeforeAnsweringPrelogin() {
    LoginTraceBuilder b = login();
    b.tcpConnected(1 * MS, null, null);
    b.serverClosed(3 * MS);
    b.clientError("no response", null);
    b.closed(4 * MS);
    SpanPlan span = plans.get(0);
    assertEquals("server", span.attributes().get("tds.login.ended_by"));
    assertFalse(span.attributes().containsKey("tds.login.phase_at_timeout"));
    assertEquals(
        "server closed the connection during prelogin",
        span.attributes().get("tds.login.diagnosis"));
  }

  @Test
  void aResetIsTheServers() {
    LoginTraceBuilder b = login();
    b.tcpConnected(1 * MS, null, null);
    b.clientError("Connection reset", new SocketException("Connection reset"));
    b.closed(4 * MS);
    assertEquals(
        "server reset the connection during prelogin",
        plans.get(0).attributes().get("tds.login.diagnosis"));
    assertEquals("server", plans.get(0).attributes().get("tds.login.ended_by"));
  }

  @Test
  void aTcpConnectThatTimesOut() {
    LoginTraceBuilder b = login();
    b.tcpConnected(2001 * MS, null, new java.io.IOException("connect timed out"));
    SpanPlan span = plans.get(0);
    assertEquals("tcp connect", span.attributes().get("tds.login.phase_at_timeout"));
    assertEquals("client", span.attributes().get("tds.login.ended_by"));
    assertEquals(
        "tcp connect slow or blocked (no SYN-ACK for 2001 ms)",
        span.attributes().get("tds.login.diagnosis"));
  }

  /** Netty's native transport: the reset is an IOException, not a SocketException. */
  @Test
  void aResetThroughNettysNativeTransportIsTheServers() {
    LoginTraceBuilder b = login();
    b.tcpConnected(1 * MS, null, null);
    String m = "recvAddress(..) failed: Connection reset by peer";
    b.clientError(m, new java.io.IOException(m));
    b.closed(4 * MS);
    assertEquals(
        "server reset the connection during prelogin",
        plans.get(0).attributes().get("tds.login.diagnosis"));
    assertEquals(true, plans.get(0).attributes().get("tds.login.server_reset"));
  }

  @Test
  void aRefusedConnectNamesTheSocketsReasonAndTheServer() {
    LoginTraceBuilder b = login();
    b.tcpConnected(
        3 * MS,
        null,
        new Exception(
            "The TCP/IP connection to the host 127.0.0.1, port 1 has failed. "
                + "Error: \"Connection refused. Verify the connection properties.\"."));
    SpanPlan span = plans.get(0);
    assertEquals(
        "tcp connect failed: Connection refused", span.attributes().get("tds.login.diagnosis"));
    assertEquals("server", span.attributes().get("tds.login.ended_by"));
  }

  /**
   * r2dbc-mssql on Netty's native (epoll) transport: the system call is named before the reason.
   */
  @Test
  void aRefusedConnectThroughNettysNativeTransport() {
    LoginTraceBuilder b = login();
    b.tcpConnected(
        3 * MS,
        null,
        new java.net.ConnectException("finishConnect(..) failed: Connection refused: /127.0.0.1:1")
            .initCause(
                new java.net.ConnectException("finishConnect(..) failed: Connection refused")));
    assertEquals(
        "tcp connect failed: Connection refused",
        plans.get(0).attributes().get("tds.login.diagnosis"));
    assertEquals("server", plans.get(0).attributes().get("tds.login.ended_by"));
  }

  /** TDS 8 (strict): the alert is not seen on the tapped channel, only in JSSE's message. */
  @Test
  void aTlsAlertNamedByJsse() {
    LoginTraceBuilder b = login();
    b.tcpConnected(1 * MS, null, null);
    b.tlsStarted(2 * MS, true);
    b.clientError(
        "could not establish a secure connection",
        new javax.net.ssl.SSLHandshakeException("Received fatal alert: protocol_version"));
    b.closed(5 * MS);
    SpanPlan span = plans.get(0);
    assertEquals(
        "tls handshake failed: server sent fatal alert protocol_version",
        span.attributes().get("tds.login.diagnosis"));
    assertEquals("server", span.attributes().get("tds.login.ended_by"));
    assertEquals("tls handshake", span.attributes().get("tds.login.phase_in_flight"));
  }

  @Test
  void aHealthyLoginIsOkAndTheTimeoutIsLeftOutWhenUnknown() {
    LoginTraceBuilder b =
        new LoginTraceBuilder("db", 1433, 0, plan -> plans.add(plan.resolve()), null);
    b.tcpConnected(1 * MS, null, null);
    b.onEvent(
        new LoginOutcomeEvent(LoginOutcomeEvent.Outcome.SUCCESS, null, null, null, 0, 4 * MS));
    SpanPlan span = plans.get(0);
    assertEquals("ok", span.attributes().get("tds.login.diagnosis"));
    assertFalse(span.attributes().containsKey("tds.login.timeout_ms"));
    assertFalse(span.attributes().containsKey("tds.login.ended_by"));
  }
}
