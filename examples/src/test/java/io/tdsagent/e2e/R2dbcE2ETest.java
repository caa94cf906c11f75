package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.Faults;
import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.Step;
import io.tdsagent.lab.transport.SilentListener;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.otlp.Traces;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * r2dbc-mssql, the reactive driver on Netty: the same login and request spans from its codec layer.
 */
class R2dbcE2ETest {
  static final String USER = "r2dbc_user";
  static final String PASSWORD = "Canary-r2dbc-Pa55!";
  static final List<String> TLS_STEPS =
      List.of("tcp connect", "prelogin", "tls handshake", "login7", "loginack");

  /**
   * Encryption available but off: r2dbc-mssql encrypts the login only (or everything with
   * ssl=true). It cannot log in to a server without TLS at all (ENCRYPT_NOT_SUP leaves its state
   * machine in PRELOGIN).
   */
  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.OFF);

  /** Settings for the lab server or another at {@code port}. */
  static String settings(int port, String password, boolean ssl, String extra) {
    return "host=127.0.0.1;port="
        + port
        + ";database=demo;user="
        + USER
        + ";password="
        + password
        + ";ssl="
        + ssl
        + extra;
  }

  static String settings(LabAndReceiver lab, String password, boolean ssl) {
    return settings(lab.server().port(), password, ssl, ";app=r2dbc-e2e");
  }

  /** The forked application on r2dbc-mssql, exporting to the lab's receiver. */
  static AgentProcess app() {
    return LAB.app().mainClass(R2dbcClient.class);
  }

  static AgentProcess.Result run(
      LabAndReceiver lab, String password, boolean ssl, String... queries) throws Exception {
    AgentProcess p = app().step("open", settings(lab, password, ssl));
    for (String q : queries) {
      p.step("query", q);
    }
    return p.step("close", "-").run().assertOk();
  }

  static List<ReceivedSpan> awaitLoginAnd(LabAndReceiver lab, String requestName) {
    return lab.receiver()
        .awaitSpans(
            s ->
                s.stream().anyMatch(x -> x.name().equals("SQL Server login"))
                    && (requestName == null
                        || s.stream().anyMatch(x -> x.name().equals(requestName))),
            Duration.ofSeconds(30));
  }

  static void assertNoPassword(AgentProcess.Result r, List<ReceivedSpan> spans) {
    assertFalse(r.all().contains(PASSWORD), r.toString());
    for (ReceivedSpan s : spans) {
      assertFalse(s.describe().contains(PASSWORD), s.describe());
    }
  }

  static ReceivedSpan login(List<ReceivedSpan> spans) {
    return Traces.of(spans).findFirst("SQL Server login").orElseThrow();
  }

  /**
   * The login span among {@code spans}: the lab's login with the common attributes, over TLS (its
   * steps are {@link #TLS_STEPS}).
   */
  static ReceivedSpan assertTlsLogin(List<ReceivedSpan> spans) {
    ReceivedSpan login = login(spans);
    assertLoginAttributes(LAB, login);
    assertEquals(TLS_STEPS, Traces.of(spans).childNames(login));
    return login;
  }

  static void assertLoginAttributes(LabAndReceiver lab, ReceivedSpan login) {
    assertEquals("microsoft.sql_server", login.stringAttr("db.system.name"), login.describe());
    assertEquals("127.0.0.1", login.stringAttr("server.address"), login.describe());
    assertEquals((long) lab.server().port(), login.longAttr("server.port"), login.describe());
    assertEquals(USER, login.stringAttr("db.user"), login.describe());
    assertEquals("demo", login.stringAttr("db.namespace"), login.describe());
    assertEquals("r2dbc-e2e", login.stringAttr("tds.application_name"), login.describe());
    assertEquals("sql", login.stringAttr("tds.auth.method"), login.describe());
  }

  /**
   * Login-only TLS: everything after LOGIN7 is plaintext on the wire, LOGIN7 is taken before it is
   * encrypted.
   */
  @Test
  void loginOnlyTlsLoginAndAQueryWithRows() throws Exception {
    AgentProcess.Result r = run(LAB, PASSWORD, false, "SELECT * FROM dbo.big_rows(3)");
    assertTrue(r.stdout.contains("ROWS 3"), r.toString());
    List<ReceivedSpan> spans = awaitLoginAnd(LAB, "SELECT dbo.big_rows");
    ReceivedSpan login = assertTlsLogin(spans);
    assertTrue(
        login.stringAttr("tds.library_name").startsWith("R2DBC Driver for Microsoft SQL Server"),
        login.describe());
    ReceivedSpan tls = Spans.child(spans, login, "tls handshake");
    assertTrue(tls.stringAttr("tls.protocol.version").startsWith("1."), tls.describe());
    ReceivedSpan select =
        spans.stream()
            .filter(s -> s.name().equals("SELECT dbo.big_rows"))
            .findFirst()
            .orElseThrow();
    assertEquals("SQL_BATCH", select.stringAttr("tds.request.type"), select.describe());
    assertEquals(3L, select.longAttr("db.response.returned_rows"), select.describe());
    // r2dbc-mssql's connectTimeout (R2dbcClient's 20 s), the only timeout of its login
    assertEquals(20_000L, login.longAttr("tds.login.timeout_ms"), login.describe());
    assertEquals("ok", login.stringAttr("tds.login.diagnosis"), login.describe());
    assertEquals(
        "SELECT * FROM dbo.big_rows(?)", select.stringAttr("db.query.text"), select.describe());
    assertEquals(login.spanId(), select.links().get(0).spanId());
    assertNoPassword(r, spans);
  }

  @Test
  void fullTlsLoginAndAFailingQuery() throws Exception {
    AgentProcess.Result r = run(LAB, PASSWORD, true, "SELECT 1/0");
    assertTrue(r.stdout.contains("ERROR 8134"), r.toString());
    List<ReceivedSpan> spans = awaitLoginAnd(LAB, "SELECT");
    ReceivedSpan login = assertTlsLogin(spans);
    assertEquals("on", login.stringAttr("tds.encryption.negotiated"), login.describe());
    ReceivedSpan failed =
        spans.stream()
            .filter(s -> "8134".equals(s.stringAttr("db.response.status_code")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(spans.toString()));
    assertEquals("SELECT ?/?", failed.stringAttr("db.query.text"), failed.describe());
    assertNoPassword(r, spans);
  }

  @Test
  void wrongPasswordIsAFailedLogin() throws Exception {
    String wrong = "Canary-wrong-Pa55!";
    AgentProcess.Result r = run(LAB, wrong, false);
    assertTrue(r.stdout.contains("LOGIN FAILED 18456"), r.toString());
    List<ReceivedSpan> spans = awaitLoginAnd(LAB, null);
    ReceivedSpan login = login(spans);
    assertEquals("18456", login.stringAttr("db.response.status_code"), login.describe());
    assertEquals(
        "wrong password (error 18456, state 8)",
        login.stringAttr("tds.login.diagnosis"),
        login.describe());
    assertFalse(r.all().contains(wrong), r.toString());
    for (ReceivedSpan s : spans) {
      assertFalse(s.describe().contains(wrong), s.describe());
    }
  }

  /**
   * After the login the server closes while the driver waits for its first batch: that request span
   * is ERROR.
   */
  @Test
  void serverClosesDuringARequest() throws Exception {
    try (LabServer s = faulty(b -> b.endBefore(Step.SQL_BATCH, Faults.End.CLOSE))) {
      app().step("open", settingsFor(s.port(), "")).run().assertOk();
      ReceivedSpan request =
          Spans.awaitFirst(
              LAB.receiver(),
              x -> "server".equals(x.stringAttr("tds.connection.closed_by")),
              Duration.ofSeconds(30));
      assertEquals("SELECT", request.name(), request.describe());
      assertEquals("ERROR", request.statusCode(), request.describe());
      assertEquals(
          "fin",
          request.event("tds.connection.closed").attr("tds.connection.close"),
          request.describe());
    }
  }

  /** The server answers the TLS handshake with an alert: the login's verdict names it. */
  @Test
  void tlsAlertIsAFailedHandshake() throws Exception {
    try (LabServer s =
        faulty(
            b -> b.encryption(Encryption.ON).tlsAlert(Faults.parseTlsAlert("handshake_failure")))) {
      AgentProcess.Result r =
          app().step("open", settings(s.port(), PASSWORD, true, "")).run().assertOk();
      assertTrue(r.stdout.contains("LOGIN FAILED"), r.toString());
      List<ReceivedSpan> spans = awaitLoginAnd(LAB, null);
      ReceivedSpan login = login(spans);
      String verdict = login.stringAttr("tds.login.diagnosis");
      assertTrue(verdict.startsWith("tls handshake failed: "), login.describe());
      assertTrue(verdict.contains("handshake_failure"), login.describe());
      assertEquals("ERROR", login.statusCode(), login.describe());
    }
  }

  /**
   * {@code tds.pcap} with r2dbc: the client packets are the driver's messages as the agent frames
   * them. The file holds no form of the password, and the replay tool reads the same login out of
   * it.
   */
  @Test
  void captureFileKeepsNoPasswordAndReplays(@TempDir Path dir) throws Exception {
    Path pcap = dir.resolve("r2dbc.pcapng");
    AgentProcess.Result r =
        app()
            .prop("tds.pcap", pcap.toString())
            .step("open", settings(LAB, PASSWORD, false))
            .step("query", "SELECT 1")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("ROWS 1"), r.toString());
    awaitLoginAnd(LAB, null);
    CaptureFiles.assertNoneIn(
        pcap,
        List.of(
            PASSWORD.getBytes(StandardCharsets.UTF_16LE),
            PASSWORD.getBytes(StandardCharsets.US_ASCII),
            CaptureFiles.obfuscate(PASSWORD),
            CaptureFiles.obfuscate(PASSWORD.substring(0, 8))));
    String json = CaptureFiles.replayJson(pcap, dir.resolve("r2dbc.json"));
    assertTrue(json.contains("\"db.user\":\"" + USER + "\""), json);
    assertTrue(json.contains("\"tds.login.outcome\":\"success\""), json);
    assertFalse(json.contains(PASSWORD), json);
  }

  /**
   * The driver in a class loader the agent's cannot see into, as in a Spring Boot jar: the advice
   * names Netty and r2dbc types and still fits (it is described from class files through the
   * driver's loader).
   */
  @Test
  void driverInItsOwnClassLoaderIsTraced() throws Exception {
    AgentProcess.Result r =
        app()
            .isolated()
            .step("open", settings(LAB, PASSWORD, false))
            .step("query", "SELECT 1")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("ROWS 1"), r.toString());
    assertFalse(r.stderr.contains("could not instrument"), r.stderr);
    List<ReceivedSpan> spans = awaitLoginAnd(LAB, "SELECT");
    assertEquals(TLS_STEPS, Traces.of(spans).childNames(login(spans)));
  }

  /** Settings for a server at {@code port} that is not the lab's. */
  static String settingsFor(int port, String extra) {
    return settings(port, PASSWORD, false, extra);
  }

  /** The spans of a run whose login to {@code port} fails. */
  static List<ReceivedSpan> failedAttempt(int port, String extra) throws Exception {
    AgentProcess.Result r = app().step("open", settingsFor(port, extra)).run().assertOk();
    assertTrue(r.stdout.contains("LOGIN FAILED"), r.toString());
    List<ReceivedSpan> spans =
        LAB.receiver()
            .awaitSpans(
                all ->
                    all.stream()
                        .anyMatch(
                            x ->
                                x.name().equals("SQL Server login")
                                    && Long.valueOf(port).equals(x.longAttr("server.port"))),
                Duration.ofSeconds(30));
    assertNoPassword(r, spans);
    return spans;
  }

  static ReceivedSpan loginOn(List<ReceivedSpan> spans, int port) {
    return spans.stream()
        .filter(
            x ->
                x.name().equals("SQL Server login")
                    && Long.valueOf(port).equals(x.longAttr("server.port")))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Nothing listens: r2dbc-mssql's connect fails in Netty before any of its handlers runs, and the
   * attempt is still a login span with the verdict mssql-jdbc's gets.
   */
  @Test
  void connectRefusedIsAFailedLogin() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<ReceivedSpan> spans = failedAttempt(port, ";connectTimeout=5000");
    ReceivedSpan login = loginOn(spans, port);
    assertEquals("tcp connect failed: Connection refused", verdict(login), login.describe());
    assertEquals("ERROR", login.statusCode(), login.describe());
    assertEquals(5_000L, login.longAttr("tds.login.timeout_ms"), login.describe());
    assertEquals("tcp connect", login.stringAttr("tds.login.phase_in_flight"), login.describe());
    assertEquals(List.of("tcp connect"), Traces.of(spans).childNames(login));
  }

  /**
   * A port whose TCP handshake never completes: the connect waits for r2dbc-mssql's connectTimeout
   * (2 s here), which the span names as the budget and the phase it ended.
   */
  @Test
  void noSynAckUntilTheConnectTimeout() throws Exception {
    try (SilentListener silent = SilentListener.start(0)) {
      ReceivedSpan login =
          loginOn(failedAttempt(silent.port(), ";connectTimeout=2000"), silent.port());
      assertTrue(
          verdict(login).startsWith("tcp connect slow or blocked (no SYN-ACK for "),
          login.describe());
      assertEquals("ERROR", login.statusCode(), login.describe());
      assertEquals(2_000L, login.longAttr("tds.login.timeout_ms"), login.describe());
      assertEquals("tcp connect", login.stringAttr("tds.login.phase_at_timeout"), login.describe());
      assertEquals("client", login.stringAttr("tds.login.ended_by"), login.describe());
      assertTrue(login.doubleAttr("tds.login.budget_used") >= 0.9, login.describe());
    }
  }

  static String verdict(ReceivedSpan login) {
    return login.stringAttr("tds.login.diagnosis");
  }

  /** A lab server as the lab's, with {@code faults}. */
  static LabServer faulty(java.util.function.UnaryOperator<LabServer.Builder> faults)
      throws Exception {
    return faults
        .apply(
            LabServer.builder()
                .port(0)
                .login(USER, PASSWORD)
                .database("master", "demo")
                .encryption(Encryption.OFF))
        .build()
        .start();
  }

  /** The server closes (FIN) while the driver waits for the answer to LOGIN7. */
  @Test
  void serverClosesDuringLogin7() throws Exception {
    try (LabServer s = faulty(b -> b.endBefore(Step.LOGIN, Faults.End.CLOSE))) {
      ReceivedSpan login = loginOn(failedAttempt(s.port(), ""), s.port());
      assertEquals(
          "server closed the connection during login7 (no answer yet)",
          verdict(login),
          login.describe());
      assertEquals("ERROR", login.statusCode(), login.describe());
      assertEquals("server", login.stringAttr("tds.login.ended_by"), login.describe());
      assertEquals("server", login.stringAttr("tds.connection.closed_by"), login.describe());
      assertEquals(20_000L, login.longAttr("tds.login.timeout_ms"), login.describe());
    }
  }

  /**
   * The server resets the connection (RST) on PRELOGIN: Netty's read fails and the driver fails the
   * login at once, before the channel's close is seen; the span ends with the failure.
   */
  @Test
  void serverResetsDuringPrelogin() throws Exception {
    try (LabServer s = faulty(b -> b.endBefore(Step.PRELOGIN, Faults.End.RESET))) {
      ReceivedSpan login = loginOn(failedAttempt(s.port(), ""), s.port());
      assertEquals("server reset the connection during prelogin", verdict(login), login.describe());
      assertEquals("ERROR", login.statusCode(), login.describe());
      assertEquals(Boolean.TRUE, login.boolAttr("tds.login.server_reset"), login.describe());
      assertEquals("prelogin", login.stringAttr("tds.login.phase_in_flight"), login.describe());
    }
  }
}
