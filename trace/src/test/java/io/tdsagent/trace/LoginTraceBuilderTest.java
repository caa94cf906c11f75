package io.tdsagent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.capture.CaptureReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The login span tree built from real traffic: the shared captures replayed through the decoder
 * into the same builder the agent uses (the TCP connect bracket is not in a capture).
 */
class LoginTraceBuilderTest {
  static final Path CAPTURES =
      Paths.get(System.getProperty("tds.captures.dir", "../../shared/captures"));
  static final String CANARY = "Canary-Pa55word!";

  static List<SpanPlan> replay(String file) throws Exception {
    Path p = CAPTURES.resolve(file);
    assertTrue(Files.isRegularFile(p), "capture missing: " + p);
    List<SpanPlan> plans = new ArrayList<>();
    // As the export thread does: the login's span tree is made from the record the driver's thread
    // hands over.
    CaptureReplay.replay(
        p,
        conn ->
            new LoginTraceBuilder("127.0.0.1", 1433, 0, plan -> plans.add(plan.resolve()), null));
    return plans;
  }

  static List<String> childNames(SpanPlan p) {
    return p.children().stream().map(SpanPlan::name).collect(Collectors.toList());
  }

  static SpanPlan child(SpanPlan p, String name) {
    return p.children().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  /**
   * The wire certificate is parsed on the export thread now: one that is not X.509 still reaches
   * the login span, as a decode error, and its TLS span has no names rather than wrong ones.
   */
  @Test
  void aWireCertificateThatDoesNotParseIsADecodeErrorOnTheLoginSpan() {
    List<SpanPlan> plans = new ArrayList<>();
    LoginTraceBuilder b =
        new LoginTraceBuilder("db", 1433, 0, plan -> plans.add(plan.resolve()), null);
    b.tcpConnected(1, null, null);
    b.onEvent(
        new io.tdsagent.tds.event.PhaseEvent(io.tdsagent.tds.event.Phase.TLS_HANDSHAKE, 2, 3));
    b.onEvent(
        new io.tdsagent.tds.event.TlsHandshakeEvent(
            io.tdsagent.tds.event.Direction.SERVER_TO_CLIENT,
            new io.tdsagent.tds.tls.ServerCertificate(9, 1, new byte[] {0x30, 0x01, 0x00}),
            3));
    b.onEvent(
        new io.tdsagent.tds.event.LoginOutcomeEvent(
            io.tdsagent.tds.event.LoginOutcomeEvent.Outcome.SUCCESS, null, null, null, 0, 4));
    assertEquals(1, plans.size());
    SpanPlan login = plans.get(0);
    assertEquals(
        "tls: certificate does not parse as X.509", login.attributes().get("tds.decode_error"));
    SpanPlan tls = child(login, "tls handshake");
    assertFalse(tls.attributes().containsKey("tls.server.subject"), tls.toString());
  }

  @Test
  void babelfishPlainLogin() throws Exception {
    List<SpanPlan> plans = replay("bbf-mssqljdbc-basic.pcapng");
    assertEquals(1, plans.size());
    SpanPlan login = plans.get(0);
    assertEquals("SQL Server login", login.name());
    assertEquals(SpanPlan.Kind.CLIENT, login.kind());
    assertEquals(SpanPlan.Status.UNSET, login.status());
    assertEquals("microsoft.sql_server", login.attributes().get("db.system.name"));
    assertEquals("tdsuser", login.attributes().get("db.user"));
    assertEquals("demo", login.attributes().get("db.namespace"));
    assertEquals("canary-mssql-jdbc", login.attributes().get("tds.application_name"));
    assertEquals("Microsoft JDBC Driver 13.6", login.attributes().get("tds.library_name"));
    assertEquals("7.4", login.attributes().get("tds.version"));
    assertEquals("Microsoft SQL Server", login.attributes().get("tds.server.product"));
    assertEquals("8000", login.attributes().get("tds.packet_size"));
    assertEquals("off", login.attributes().get("tds.encryption.negotiated"));
    assertEquals("sql", login.attributes().get("tds.auth.method"));
    assertEquals(List.of("tcp connect", "prelogin", "login7", "loginack"), childNames(login));
    SpanPlan prelogin = child(login, "prelogin");
    assertEquals("OFF", prelogin.attributes().get("tds.encryption.requested"));
    assertEquals("NOT_SUP", prelogin.attributes().get("tds.encryption.server"));
    assertTrue(prelogin.endNanos() > prelogin.startNanos());
    SpanPlan login7 = child(login, "login7");
    assertEquals(
        8000L, ((Number) login7.attributes().get("tds.packet_size.requested")).longValue());
    assertFalse(login.toString().contains(CANARY));
    // The INFO "Changed database context" travels as an event.
    assertTrue(login.events().stream().anyMatch(e -> e.name().equals("tds.info")));
  }

  @Test
  void loginOnlyEncryptionShowsTheHandshakeInsidePrelogin() throws Exception {
    SpanPlan login = replay("bbf-tls-mssqljdbc-encrypt-false-loginonly.pcapng").get(0);
    assertEquals(
        List.of("tcp connect", "prelogin", "tls handshake", "login7", "loginack"),
        childNames(login));
    assertEquals("login_only", login.attributes().get("tds.encryption.negotiated"));
    SpanPlan tls = child(login, "tls handshake");
    assertEquals("1.2", tls.attributes().get("tls.protocol.version"));
    assertNotNull(tls.attributes().get("tls.cipher"));
    assertEquals(
        "CN=localhost",
        String.valueOf(tls.attributes().get("tls.server.subject")).replace(" ", ""));
    assertFalse(login.toString().contains(CANARY));
  }

  @Test
  void sqlServer2000Login() throws Exception {
    SpanPlan login = replay("tds7-sql2000-sqlauth-login.pcap").get(0);
    assertEquals("testuser", login.attributes().get("db.user"));
    assertEquals("7.1 rev 1", login.attributes().get("tds.version.requested")); // 0x71000001
    assertEquals("Microsoft SQL Server", login.attributes().get("tds.server.product"));
    assertEquals("8.0.2039", login.attributes().get("tds.server.product_version"));
    assertEquals("ODBC", login.attributes().get("tds.library_name"));
  }

  @Test
  void aSessionWithoutLoginGivesNoLoginSpan() throws Exception {
    assertEquals(List.of(), replay("tds-rpc-requests.pcap"));
  }
}
