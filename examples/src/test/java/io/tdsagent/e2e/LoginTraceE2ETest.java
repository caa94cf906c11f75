package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.lab.LabServer;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.otlp.Traces;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent as a user runs it: a forked JVM with {@code -javaagent}, the real mssql-jdbc, the lab
 * server over real sockets and real TLS, spans checked where the OTLP exporter sent them.
 */
class LoginTraceE2ETest {
  static final String USER = "app_user";
  static final String CANARY = "Canary-e2e-Pa55word!";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final List<String> PLAINTEXT_STEPS =
      List.of("tcp connect", "prelogin", "login7", "loginack");
  static final List<String> TLS_STEPS =
      List.of("tcp connect", "prelogin", "tls handshake", "login7", "loginack");
  static final List<String> STRICT_STEPS =
      List.of("tcp connect", "tls handshake", "prelogin", "login7", "loginack");

  @RegisterExtension static final LabAndReceiver LAB = new LabAndReceiver(USER, CANARY);

  static LabServer plain;
  static LabServer tls;

  @BeforeAll
  static void start() throws Exception {
    plain = LAB.lab(LabServer.builder().encryption(Encryption.NOT_SUPPORTED));
    tls = LAB.lab(LabServer.builder().encryption(Encryption.OFF));
  }

  static AgentProcess app() {
    return LAB.app();
  }

  static String url(LabServer server, JdbcEncrypt mode, String extra) {
    return server.jdbcUrl(mode, USER, CANARY, "databaseName=demo;applicationName=e2e-app;" + extra);
  }

  /** The login span with its children, in start order. */
  static ReceivedSpan onlyLogin(List<ReceivedSpan> spans) {
    List<ReceivedSpan> logins =
        spans.stream()
            .filter(s -> s.name().equals("SQL Server login"))
            .collect(Collectors.toList());
    assertEquals(1, logins.size(), () -> "one login span expected, got " + spans);
    return logins.get(0);
  }

  static List<String> childNames(List<ReceivedSpan> spans, ReceivedSpan parent) {
    return Traces.of(spans).childNames(parent);
  }

  static List<ReceivedSpan> awaitLogin() {
    return LAB.receiver()
        .awaitSpans(
            s ->
                s.stream().anyMatch(x -> x.name().equals("SQL Server login"))
                    && s.stream()
                        .filter(x -> x.name().equals("SQL Server login"))
                        .allMatch(
                            l ->
                                s.stream().filter(c -> c.parentSpanId().equals(l.spanId())).count()
                                    >= 2),
            WAIT);
  }

  static void assertNoCanary(AgentProcess.Result r, List<ReceivedSpan> spans) {
    assertFalse(r.stderr.contains(CANARY), "password in the agent's log output");
    for (ReceivedSpan s : spans) {
      assertFalse(s.toString().contains(CANARY), () -> "password in exported span " + s);
      s.attributes()
          .values()
          .forEach(
              v -> assertFalse(String.valueOf(v).contains(CANARY), "password in an attribute"));
    }
  }

  /** A run of the application, the spans it exported and its one login span. */
  record GoodLogin(AgentProcess.Result run, List<ReceivedSpan> spans, ReceivedSpan login) {}

  /**
   * {@code app} logs in to {@code server} with {@code mode} and runs its query; its one login span
   * has the common attributes and exactly {@code steps} under it.
   */
  static GoodLogin goodLogin(
      AgentProcess app, LabServer server, JdbcEncrypt mode, List<String> steps) throws Exception {
    AgentProcess.Result r = app.connect(url(server, mode, "")).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    List<ReceivedSpan> spans = awaitLogin();
    ReceivedSpan login = onlyLogin(spans);
    assertCommonLoginAttributes(login, server);
    assertEquals(steps, childNames(spans, login));
    return new GoodLogin(r, spans, login);
  }

  static void assertCommonLoginAttributes(ReceivedSpan login, LabServer server) {
    assertEquals("CLIENT", login.kind());
    assertEquals("microsoft.sql_server", login.stringAttr("db.system.name"));
    assertEquals("127.0.0.1", login.stringAttr("server.address"));
    assertEquals((long) server.port(), login.longAttr("server.port"));
    assertEquals("127.0.0.1", login.stringAttr("network.peer.address"));
    assertEquals((long) server.port(), login.longAttr("network.peer.port"));
    assertEquals(USER, login.stringAttr("db.user"));
    assertEquals("e2e-app", login.stringAttr("tds.application_name"));
    assertTrue(
        login.stringAttr("tds.library_name").startsWith("Microsoft JDBC Driver"), login.describe());
    assertTrue(
        login.stringAttr("tds.client_connection_id").matches("[0-9a-f-]{36}"), login.describe());
  }

  @Test
  void plaintextLoginIsASpanTreeWithEachStep() throws Exception {
    GoodLogin in = goodLogin(app(), plain, JdbcEncrypt.FALSE, PLAINTEXT_STEPS);
    AgentProcess.Result r = in.run();
    List<ReceivedSpan> spans = in.spans();
    ReceivedSpan login = in.login();
    assertEquals("demo", login.stringAttr("db.namespace"));
    assertEquals("7.4", login.stringAttr("tds.version"));
    assertEquals("off", login.stringAttr("tds.encryption.negotiated"));
    assertEquals(
        "NOT_SUP", Spans.child(spans, login, "prelogin").stringAttr("tds.encryption.server"));
    assertEquals("success", login.stringAttr("tds.login.outcome"));
    assertNotNull(login.stringAttr("tds.server.product_version"));
    assertEquals("UNSET", login.statusCode());
    // Children sit inside the login and follow each other.
    long previousEnd = login.startEpochNanos();
    for (ReceivedSpan c : Traces.of(spans).childrenOf(login)) {
      assertTrue(c.startEpochNanos() >= previousEnd, c.describe());
      assertTrue(c.endEpochNanos() <= login.endEpochNanos(), c.describe());
      previousEnd = c.endEpochNanos();
    }
    assertNoCanary(r, spans);
  }

  @Test
  void encryptTrueShowsTheTlsHandshakeAfterPrelogin() throws Exception {
    GoodLogin in = goodLogin(app(), tls, JdbcEncrypt.TRUE, TLS_STEPS);
    AgentProcess.Result r = in.run();
    List<ReceivedSpan> spans = in.spans();
    ReceivedSpan login = in.login();
    assertEquals("on", login.stringAttr("tds.encryption.negotiated"));
    assertEquals("ON", login.stringAttr("tds.encryption.requested"));
    String version = login.stringAttr("tls.protocol.version");
    assertTrue(version.equals("1.2") || version.equals("1.3"), version);
    ReceivedSpan handshake = Spans.child(spans, login, "tls handshake");
    assertEquals(version, handshake.stringAttr("tls.protocol.version"));
    assertNotNull(handshake.stringAttr("tls.cipher"));
    assertTrue(handshake.stringAttr("tls.server.subject").contains("CN="), handshake.describe());
    assertNotNull(handshake.stringAttr("tls.server.not_after"));
    assertEquals(Boolean.TRUE, handshake.boolAttr("tls.established"));
    assertFalse(
        handshake.stringAttr("tls.client.supported_ciphers") == null
            && handshake.attr("tls.client.supported_ciphers") == null,
        "ClientHello seen inside PRELOGIN");
    assertNoCanary(r, spans);
  }

  @Test
  void strictRunsTlsBeforePrelogin() throws Exception {
    GoodLogin in = goodLogin(app(), tls, JdbcEncrypt.STRICT, STRICT_STEPS);
    AgentProcess.Result r = in.run();
    List<ReceivedSpan> spans = in.spans();
    ReceivedSpan login = in.login();
    assertEquals("strict", login.stringAttr("tds.encryption.negotiated"));
    assertEquals(Boolean.TRUE, login.boolAttr("tds.strict"));
    ReceivedSpan handshake = Spans.child(spans, login, "tls handshake");
    assertEquals("1.3", handshake.stringAttr("tls.protocol.version"));
    // TLS 1.3 encrypts the certificate on the wire: these come from the driver's TLS session.
    assertTrue(handshake.stringAttr("tls.server.subject").contains("CN="), handshake.describe());
    assertNotNull(handshake.stringAttr("tls.server.issuer"), handshake.describe());
    assertTrue(
        handshake.stringAttr("tls.server.not_after").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"),
        handshake.describe());
    assertNoCanary(r, spans);
  }

  @Test
  void wrongPasswordIsAnErrorWithNumberAndState() throws Exception {
    String bad =
        plain.jdbcUrl(
            JdbcEncrypt.FALSE,
            USER,
            "not-the-password",
            "databaseName=demo;applicationName=e2e-app");
    AgentProcess.Result r = app().connect(bad).run().assertOk();
    assertTrue(r.stdout.contains("ERR 18456"), r.toString());
    List<ReceivedSpan> spans = awaitLogin();
    ReceivedSpan login = onlyLogin(spans);
    assertEquals("ERROR", login.statusCode());
    assertEquals("18456", login.stringAttr("db.response.status_code"));
    assertEquals("18456", login.stringAttr("error.type"));
    assertEquals(8L, login.longAttr("tds.error.state"));
    assertEquals(14L, login.longAttr("tds.error.class"));
    assertTrue(
        login.statusMessage().contains("Login failed for user '" + USER + "'"), login.describe());
    assertEquals("failure", login.stringAttr("tds.login.outcome"));
    ReceivedSpan error = Spans.child(spans, login, "login error");
    assertEquals("ERROR", error.statusCode());
    assertEquals("18456", error.stringAttr("db.response.status_code"));
  }

  @Test
  void unknownDatabaseIs4060() throws Exception {
    String url = plain.jdbcUrl(JdbcEncrypt.FALSE, USER, CANARY, "databaseName=nosuchdb");
    AgentProcess.Result r = app().connect(url).run().assertOk();
    assertTrue(r.stdout.contains("ERR 4060"), r.toString());
    ReceivedSpan login = onlyLogin(awaitLogin());
    assertEquals("ERROR", login.statusCode());
    assertEquals("4060", login.stringAttr("db.response.status_code"));
    assertEquals("nosuchdb", login.stringAttr("db.namespace"));
    assertEquals("nosuchdb", login.stringAttr("tds.database.requested"));
    // no LOGINACK: the version comes from the server's PRELOGIN answer
    assertEquals(
        "16.0.1000",
        login.stringAttr("tds.server.product_version"),
        login.describe()); // the lab default
  }

  @Test
  void connectionRefusedIsATcpError() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String url =
        "jdbc:sqlserver://127.0.0.1:"
            + closedPort
            + ";user="
            + USER
            + ";password="
            + CANARY
            + ";loginTimeout=2;encrypt=false";
    AgentProcess.Result r = app().connect(url).run().assertOk();
    assertTrue(r.stdout.contains("ERR"), r.toString());
    List<ReceivedSpan> spans =
        LAB.receiver()
            .awaitSpans(s -> s.stream().anyMatch(x -> x.name().equals("tcp connect")), WAIT);
    ReceivedSpan tcp = spans.stream().filter(x -> x.name().equals("tcp connect")).findFirst().get();
    assertEquals("ERROR", tcp.statusCode());
    assertNotNull(tcp.stringAttr("error.type"));
    ReceivedSpan login =
        spans.stream().filter(x -> x.name().equals("SQL Server login")).findFirst().get();
    assertEquals("ERROR", login.statusCode());
    assertNoCanary(r, spans);
  }

  @Test
  void captureOffExportsNothingAndTheApplicationRuns() throws Exception {
    AgentProcess.Result r =
        app()
            .prop("tds.capture", "off")
            .connect(url(plain, JdbcEncrypt.FALSE, ""))
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    // The forked JVM flushed its exporter before exiting; anything it sent has arrived.
    assertEquals(List.of(), LAB.receiver().spans());
  }

  /**
   * A login with {@code tds.agent.enabled=false} (and {@code debug}): it works, nothing is sent.
   */
  static AgentProcess.Result switchedOff(boolean debug) throws Exception {
    AgentProcess p = app().prop("tds.agent.enabled", "false");
    if (debug) {
      p.prop("tds.debug", "true");
    }
    AgentProcess.Result r = p.connect(url(plain, JdbcEncrypt.FALSE, "")).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    assertEquals(List.of(), LAB.receiver().spans());
    return r;
  }

  @Test
  void agentDisabledInstallsNothing() throws Exception {
    AgentProcess.Result r = switchedOff(false);
    assertFalse(
        r.stderr.contains("tds-agent"), "switched off, the agent says nothing: " + r.stderr);
  }

  /** With the agent's debug output on, being switched off is said. */
  @Test
  void agentDisabledSaysSoWithDebugOn() throws Exception {
    AgentProcess.Result r = switchedOff(true);
    assertTrue(
        r.stderr.contains("disabled by tds.agent.enabled=false; no instrumentation installed"),
        r.stderr);
  }

  @Test
  void captureSwitchedOffAndOnWhileRunning() throws Exception {
    AgentProcess.Result r =
        app()
            .connect(url(plain, JdbcEncrypt.FALSE, "applicationName=first"))
            .step("capture", "off")
            .step("sleep", "300")
            .connect(url(plain, JdbcEncrypt.FALSE, "applicationName=second"))
            .step("capture", "on")
            .step("sleep", "300")
            .connect(url(plain, JdbcEncrypt.FALSE, "applicationName=third"))
            .run()
            .assertOk();
    assertEquals(3, r.lines().stream().filter(l -> l.equals("OK 1")).count(), r.toString());
    List<ReceivedSpan> spans = LAB.receiver().spans();
    List<String> apps =
        spans.stream()
            .filter(s -> s.name().equals("SQL Server login"))
            .map(s -> s.stringAttr("tds.application_name"))
            .sorted()
            .collect(Collectors.toList());
    assertEquals(List.of("first", "third"), apps);
  }

  @Test
  void loginIsAChildOfTheApplicationsCurrentSpan() throws Exception {
    AgentProcess.Result r =
        app()
            .step("span", "handle-request")
            .connect(url(plain, JdbcEncrypt.FALSE, ""))
            .step("endspan", "-")
            .run()
            .assertOk();
    AgentProcess.AppSpan app = r.appSpan();
    ReceivedSpan login = onlyLogin(awaitLogin());
    assertEquals(app.traceId(), login.traceId());
    assertEquals(app.spanId(), login.parentSpanId());
  }

  @Test
  void runsOnTheNewerJdk() throws Exception {
    java.nio.file.Path home = Jdks.newer();
    AgentProcess.Result r =
        goodLogin(app().javaHome(home.toString()), tls, JdbcEncrypt.TRUE, TLS_STEPS).run();
    assertTrue(r.stdout.contains("JAVA " + Jdks.feature(home)), r.stdout);
    // The newest JDKs warn on stderr about every library that still calls sun.misc.Unsafe: not the
    // agent's.
    assertFalse(r.stderr.contains("sun.misc.Unsafe"), r.stderr);
  }

  @Test
  void loggingExporterWritesSpansToTheLogAndNoPassword() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .prop("otel.traces.exporter", "logging")
            .connect(url(plain, JdbcEncrypt.FALSE, ""))
            .step("sleep", "1500")
            .run()
            .assertOk();
    assertTrue(r.stderr.contains("SQL Server login"), r.stderr);
    assertFalse(r.all().contains(CANARY));
    assertEquals(List.of(), LAB.receiver().spans());
  }

  @Test
  void loggingOtlpExporterWritesOtlpJson() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .prop("otel.traces.exporter", "logging-otlp")
            .connect(url(plain, JdbcEncrypt.FALSE, ""))
            .step("sleep", "1500")
            .run()
            .assertOk();
    assertTrue(r.stderr.contains("\"name\":\"SQL Server login\""), r.stderr);
    assertFalse(r.all().contains(CANARY));
  }

  @Test
  void environmentVariablesConfigureExportToo() throws Exception {
    AgentProcess p =
        new AgentProcess()
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", LAB.receiver().endpoint())
            .env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .env("OTEL_SERVICE_NAME", "env-configured")
            .env("OTEL_BSP_SCHEDULE_DELAY", "50");
    p.connect(url(plain, JdbcEncrypt.FALSE, "")).run().assertOk();
    ReceivedSpan login = onlyLogin(awaitLogin());
    assertEquals("env-configured", login.resourceAttributes().get("service.name"));
    assertNull(login.attr("password"));
  }
}
