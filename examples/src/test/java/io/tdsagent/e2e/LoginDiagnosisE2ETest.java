package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.Faults;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.Step;
import io.tdsagent.lab.transport.SilentListener;
import io.tdsagent.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each cause of a failed or slow login, reproduced with the lab server and met by the real
 * mssql-jdbc in a forked JVM with the agent: the verdict ({@code tds.login.diagnosis}) and the
 * budget figures on the login span, as the OTLP receiver got them. Timings are asserted only where
 * the lab makes them certain (a delay is a lower bound).
 */
class LoginDiagnosisE2ETest {
  static final String USER = "diag_user";
  static final String PASSWORD = "Diag-Pa55word!";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String LOGIN = Spans.LOGIN;

  /**
   * A slow threshold no step of a busy machine reaches, for tests where slowness is not the point.
   */
  static final String RELAXED = "60000";

  @RegisterExtension static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD);

  /** No retries: each test is about one attempt (4060 would otherwise be retried after 10 s). */
  private static String url(LabServer s, String user, String password, String extra) {
    return s.jdbcUrl(JdbcEncrypt.FALSE, user, password, "connectRetryCount=0;" + extra);
  }

  /** The login spans (at least {@code count}), once each has its tcp connect child. */
  private static List<ReceivedSpan> logins(int count) {
    spansSeen = Spans.awaitWithTcpConnect(LAB.receiver(), count, WAIT);
    return Spans.inStartOrder(spansSeen);
  }

  private static List<ReceivedSpan> spansSeen;

  private static ReceivedSpan onlyLogin() {
    List<ReceivedSpan> ls = logins(1);
    assertEquals(1, ls.size(), () -> "one login span expected: " + ls);
    return ls.get(0);
  }

  private static ReceivedSpan child(ReceivedSpan parent, String name) {
    return Spans.child(spansSeen, parent, name);
  }

  /** A lab server that waits 1.5 s before {@code step}. */
  private static LabServer slowAt(Step step, Encryption encryption) throws Exception {
    return LAB.lab(LabServer.builder().encryption(encryption).delay(step, Duration.ofMillis(1500)));
  }

  private static String verdict(ReceivedSpan login) {
    String v = login.stringAttr("tds.login.diagnosis");
    System.out.println("tds.login.diagnosis = " + v);
    return v;
  }

  @Test
  void aHealthyLoginIsOkWithItsBudget() throws Exception {
    LabServer s = LAB.lab(LabServer.builder().encryption(Encryption.NOT_SUPPORTED));
    LAB.app()
        .prop("tds.diagnosis.slow_ms", RELAXED)
        .connect(url(s, USER, PASSWORD, ""))
        .run()
        .assertOk();
    ReceivedSpan login = onlyLogin();
    assertEquals("ok", verdict(login), login.describe());
    assertEquals(10_000L, login.longAttr("tds.login.timeout_ms"));
    assertTrue(login.doubleAttr("tds.login.budget_used") >= 0, login.describe());
    for (String step : List.of("tcp connect", "prelogin", "login7", "loginack")) {
      assertTrue(child(login, step).hasAttr("tds.login.budget_used"), step);
    }
    assertFalse(login.hasAttr("tds.login.ended_by"), login.describe());
  }

  @Test
  void theDriversDefaultLoginTimeoutIs30Seconds() throws Exception {
    LabServer s = LAB.lab(LabServer.builder().encryption(Encryption.NOT_SUPPORTED));
    String url =
        "jdbc:sqlserver://127.0.0.1:"
            + s.port()
            + ";user="
            + USER
            + ";password="
            + PASSWORD
            + ";encrypt=false";
    LAB.app().connect(url).run().assertOk();
    assertEquals(30_000L, onlyLogin().longAttr("tds.login.timeout_ms"));
  }

  @Test
  void jtdsLoginTimeoutFromItsConnection() throws Exception {
    LabServer s = LAB.lab(LabServer.builder());
    LAB.app()
        .connect(LAB.jtdsUrl(s.port(), "master", ";loginTimeout=3"))
        .prop("tds.diagnosis.slow_ms", RELAXED)
        .run()
        .assertOk();
    ReceivedSpan login = onlyLogin();
    assertEquals(3_000L, login.longAttr("tds.login.timeout_ms"), login.describe());
    assertEquals("ok", verdict(login), login.describe());
  }

  @Test
  void wrongPassword() throws Exception {
    LabServer s = LAB.lab(LabServer.builder());
    AgentProcess.Result r =
        LAB.app().connect(url(s, USER, "not-the-password", "")).run().assertOk();
    assertTrue(r.stdout.contains("ERR 18456"), r.toString());
    assertEquals("wrong password (error 18456, state 8)", verdict(onlyLogin()));
  }

  @Test
  void unknownLogin() throws Exception {
    LabServer s = LAB.lab(LabServer.builder());
    LAB.app().connect(url(s, "nobody", PASSWORD, "")).run().assertOk();
    assertEquals("unknown login (error 18456, state 5)", verdict(onlyLogin()));
  }

  @Test
  void passwordExpired() throws Exception {
    LabServer s = LAB.lab(LabServer.builder().loginError(18456, 18));
    LAB.app().connect(url(s, USER, PASSWORD, "")).run().assertOk();
    assertEquals("password expired (error 18456, state 18)", verdict(onlyLogin()));
  }

  @Test
  void databaseUnavailable() throws Exception {
    LabServer s = LAB.lab(LabServer.builder());
    AgentProcess.Result r =
        LAB.app().connect(url(s, USER, PASSWORD, "databaseName=nosuchdb")).run().assertOk();
    assertTrue(r.stdout.contains("ERR 4060"), r.toString());
    assertEquals("database unavailable (error 4060)", verdict(onlyLogin()));
  }

  /** The lab reads LOGIN7 and waits 1.5 s before answering it; the threshold is 1 s. */
  @Test
  void serverSlowToAnswerLogin7() throws Exception {
    LabServer s = slowAt(Step.LOGIN_RESPONSE, Encryption.NOT_SUPPORTED);
    LAB.app()
        .prop("tds.diagnosis.slow_ms", "1000")
        .connect(url(s, USER, PASSWORD, ""))
        .run()
        .assertOk();
    ReceivedSpan login = onlyLogin();
    assertTrue(verdict(login).startsWith("server slow to answer LOGIN7 ("), login.describe());
    assertTrue(verdict(login).endsWith("; worker threads starved?)"), login.describe());
    // 1.5 s of loginTimeout=10 at least, in the login7 step (from its first byte to the answer's)
    assertTrue(
        child(login, "login7").doubleAttr("tds.login.budget_used") >= 0.15, login.describe());
  }

  /**
   * The threshold is the user's (here from the environment): a 1.5 s answer that the default of 1 s
   * calls slow is ok under 5 s. Plaintext, so no other phase can come near it.
   */
  @Test
  void theSlowThresholdComesFromTheEnvironmentToo() throws Exception {
    LabServer s = slowAt(Step.LOGIN_RESPONSE, Encryption.NOT_SUPPORTED);
    LAB.app()
        .env("TDS_DIAGNOSIS_SLOW_MS", "5000")
        .connect(url(s, USER, PASSWORD, ""))
        .run()
        .assertOk();
    assertEquals("ok", verdict(onlyLogin()), spansSeen.toString());
  }

  /**
   * NTLM: the lab waits 1.5 s before its CHALLENGE, as a server waiting on a slow domain controller
   * does.
   */
  @Test
  void domainControllerSlow() throws Exception {
    LabServer s = slowAt(Step.SSPI_CHALLENGE, Encryption.NOT_SUPPORTED);
    String url =
        "jdbc:sqlserver://127.0.0.1:"
            + s.port()
            + ";integratedSecurity=true;authenticationScheme=NTLM;"
            + "domain=LAB;user="
            + USER
            + ";password="
            + PASSWORD
            + ";encrypt=false;loginTimeout=10;connectRetryCount=0";
    AgentProcess.Result r =
        LAB.app().prop("tds.diagnosis.slow_ms", "1000").connect(url).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    ReceivedSpan login = onlyLogin();
    assertTrue(
        verdict(login).startsWith("domain controller slow (ntlm negotiate/challenge "),
        login.describe());
  }

  /**
   * TDS 7.x TLS: the lab waits 1.5 s before the handshake, after the client's ClientHello is sent.
   */
  @Test
  void tlsHandshakeSlow() throws Exception {
    LabServer s = slowAt(Step.TLS_HANDSHAKE, Encryption.ON);
    LAB.app()
        .prop("tds.diagnosis.slow_ms", "1000")
        .connect(s.jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, "connectRetryCount=0"))
        .run()
        .assertOk();
    ReceivedSpan login = onlyLogin();
    assertTrue(verdict(login).startsWith("tls handshake slow ("), login.describe());
  }

  @Test
  void tlsAlert() throws Exception {
    LabServer s =
        LAB.lab(
            LabServer.builder()
                .encryption(Encryption.ON)
                .tlsAlert(Faults.parseTlsAlert("handshake_failure")));
    AgentProcess.Result r =
        LAB.app()
            .connect(s.jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, "connectRetryCount=0"))
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("ERR"), r.toString());
    ReceivedSpan login = onlyLogin();
    assertTrue(verdict(login).startsWith("tls handshake failed: "), login.describe());
    assertTrue(verdict(login).contains("handshake_failure"), login.describe());
    assertEquals("server", login.stringAttr("tds.login.ended_by"), login.describe());
    assertEquals("tls handshake", login.stringAttr("tds.login.phase_in_flight"), login.describe());
  }

  /**
   * TDS 8 (encrypt=strict): the handshake is on the socket itself; the alert is named from the
   * driver's error.
   */
  @Test
  void tlsAlertUnderStrict() throws Exception {
    LabServer s =
        LAB.lab(
            LabServer.builder()
                .encryption(Encryption.ON)
                .tlsAlert(Faults.parseTlsAlert("protocol_version")));
    LAB.app()
        .connect(s.jdbcUrl(JdbcEncrypt.STRICT, USER, PASSWORD, "connectRetryCount=0"))
        .run()
        .assertOk();
    ReceivedSpan login = onlyLogin();
    assertEquals(
        "tls handshake failed: server sent fatal alert protocol_version",
        verdict(login),
        login.describe());
    assertEquals("server", login.stringAttr("tds.login.ended_by"));
  }

  @Test
  void serverClosesDuringLogin7() throws Exception {
    LabServer s = LAB.lab(LabServer.builder().endBefore(Step.LOGIN, Faults.End.CLOSE));
    LAB.app().connect(url(s, USER, PASSWORD, "")).run().assertOk();
    ReceivedSpan login = onlyLogin();
    assertEquals(
        "server closed the connection during login7 (no answer yet)",
        verdict(login),
        login.describe());
    assertEquals("server", login.stringAttr("tds.login.ended_by"));
    assertEquals("loginack", login.stringAttr("tds.login.phase_in_flight"));
    assertFalse(login.hasAttr("tds.login.phase_at_timeout"), login.describe());
    assertEquals("ERROR", login.statusCode());
    assertEquals("server", login.stringAttr("tds.connection.closed_by"));
    assertEquals(
        "fin", login.event("tds.connection.closed").attr("tds.connection.close"), login.describe());
  }

  /**
   * After a good login the server closes while the client waits for the answer to its batch: that
   * span is ERROR.
   */
  @Test
  void serverClosesDuringARequest() throws Exception {
    LabServer s = LAB.lab(LabServer.builder().endBefore(Step.SQL_BATCH, Faults.End.CLOSE));
    AgentProcess.Result r =
        LAB.app()
            .prop("tds.diagnosis.slow_ms", RELAXED)
            .connect(url(s, USER, PASSWORD, ""))
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("ERR"), r.toString());
    List<ReceivedSpan> spans = Spans.awaitEndedByServer(LAB.receiver(), WAIT);
    ReceivedSpan request = Spans.endedByServer(spans);
    assertFalse(request.name().equals(LOGIN), request.describe());
    assertEquals("ERROR", request.statusCode(), request.describe());
    assertEquals(
        "fin",
        request.event("tds.connection.closed").attr("tds.connection.close"),
        request.describe());
    ReceivedSpan login =
        spans.stream().filter(x -> x.name().equals(LOGIN)).findFirst().orElseThrow();
    assertEquals("ok", login.stringAttr("tds.login.diagnosis"), login.describe());
  }

  @Test
  void serverResetsDuringARequest() throws Exception {
    LabServer s = LAB.lab(LabServer.builder().endBefore(Step.SQL_BATCH, Faults.End.RESET));
    LAB.app().connect(url(s, USER, PASSWORD, "")).run().assertOk();
    List<ReceivedSpan> spans = Spans.awaitEndedByServer(LAB.receiver(), WAIT);
    ReceivedSpan request = Spans.endedByServer(spans);
    assertEquals("ERROR", request.statusCode(), request.describe());
    assertEquals(
        "rst",
        request.event("tds.connection.closed").attr("tds.connection.close"),
        request.describe());
  }

  @Test
  void serverResetsDuringPrelogin() throws Exception {
    LabServer s = LAB.lab(LabServer.builder().endBefore(Step.PRELOGIN, Faults.End.RESET));
    LAB.app().connect(url(s, USER, PASSWORD, "")).run().assertOk();
    ReceivedSpan login = onlyLogin();
    assertEquals("server reset the connection during prelogin", verdict(login), login.describe());
    assertEquals("server", login.stringAttr("tds.login.ended_by"));
  }

  /**
   * The lab stalls LOGIN7 far beyond the driver's loginTimeout=2: the client gives up while waiting
   * there.
   */
  @Test
  void loginTimeoutWhileTheServerStallsLogin7() throws Exception {
    LabServer s = LAB.lab(LabServer.builder().delay(Step.LOGIN_RESPONSE, Duration.ofSeconds(60)));
    AgentProcess.Result r =
        LAB.app().connect(url(s, USER, PASSWORD, "loginTimeout=2")).run().assertOk();
    assertTrue(r.stdout.contains("ERR"), r.toString());
    ReceivedSpan login = onlyLogin();
    assertEquals(2_000L, login.longAttr("tds.login.timeout_ms"));
    assertEquals("loginack", login.stringAttr("tds.login.phase_at_timeout"), login.describe());
    assertEquals("client", login.stringAttr("tds.login.ended_by"));
    assertTrue(login.doubleAttr("tds.login.phase_wait_ms") > 0, login.describe());
    assertTrue(verdict(login).startsWith("server slow to answer LOGIN7 ("), login.describe());
    assertTrue(verdict(login).contains("then the login timed out"), login.describe());
  }

  /**
   * A port whose accept queue is full: the kernel drops the SYN, the connect waits until
   * loginTimeout=2.
   */
  @Test
  void noSynAck() throws Exception {
    SilentListener silent = LAB.stopLater(SilentListener.start(0));
    String url =
        "jdbc:sqlserver://127.0.0.1:"
            + silent.port()
            + ";user="
            + USER
            + ";password="
            + PASSWORD
            + ";encrypt=false;loginTimeout=2;connectRetryCount=0";
    LAB.app().connect(url).run().assertOk();
    ReceivedSpan login = logins(1).get(0);
    assertTrue(
        verdict(login).startsWith("tcp connect slow or blocked (no SYN-ACK for "),
        login.describe());
    assertEquals("tcp connect", login.stringAttr("tds.login.phase_at_timeout"));
    assertEquals("client", login.stringAttr("tds.login.ended_by"));
  }

  @Test
  void redirectedToAnotherServer() throws Exception {
    LabServer target = LAB.lab(LabServer.builder());
    LabServer gateway = LAB.lab(LabServer.builder().route(LabServer.HOST, target.port()));
    AgentProcess.Result r =
        LAB.app()
            .prop("tds.diagnosis.slow_ms", RELAXED)
            .connect(url(gateway, USER, PASSWORD, ""))
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    List<ReceivedSpan> ls = logins(2);
    assertEquals(
        "redirected to 127.0.0.1:" + target.port(), verdict(ls.get(0)), ls.get(0).describe());
    assertEquals((long) gateway.port(), ls.get(0).longAttr("server.port"));
    assertEquals("ok", verdict(ls.get(1)), ls.get(1).describe());
    assertEquals((long) target.port(), ls.get(1).longAttr("server.port"));
  }
}
