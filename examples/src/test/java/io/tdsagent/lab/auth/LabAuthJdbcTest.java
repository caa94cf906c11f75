package io.tdsagent.lab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.Step;
import io.tdsagent.lab.auth.ntlm.NtlmCrypto;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Integrated (NTLM) and federated (access token) authentication with real drivers, mssql-jdbc and
 * jTDS 1.3.1, against the in-process lab server. The server logs at FINE into a buffer that the
 * canaries read.
 */
class LabAuthJdbcTest {
  private static final String USER = "alice";
  private static final String PASSWORD = "Ntlm-Canary-7f3e9";
  private static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.lab-canary-token-41c7.";

  private final List<LabServer> servers = new CopyOnWriteArrayList<>();
  private final List<Step> steps = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
  private StreamHandler logHandler;
  private Level oldLevel;

  /** Held: a logger nobody references may be collected, and its level and handler with it. */
  private final Logger lab = Logger.getLogger("io.tdsagent.lab");

  @BeforeEach
  void captureServerLog() {
    oldLevel = lab.getLevel();
    lab.setLevel(Level.FINEST);
    logHandler = new StreamHandler(logBytes, new SimpleFormatter());
    logHandler.setLevel(Level.ALL);
    lab.addHandler(logHandler);
  }

  @AfterEach
  void stop() {
    servers.forEach(LabServer::close);
    lab.removeHandler(logHandler);
    lab.setLevel(oldLevel);
  }

  private LabServer start(LabServer.Builder b) throws Exception {
    LabServer s =
        b.port(0)
            .login(USER, PASSWORD)
            .database("master", "demo")
            .hook((step, spid) -> steps.add(step))
            .build()
            .start();
    servers.add(s);
    return s;
  }

  private String serverLog() {
    logHandler.flush();
    return logBytes.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String query(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  private static String ntlmUrl(LabServer s, String password) {
    return s.jdbcUrl(
        null,
        null,
        "integratedSecurity=true;authenticationScheme=NTLM;domain=LAB;user="
            + USER
            + ";password="
            + password
            + ";databaseName=demo");
  }

  @Test
  void mssqlJdbcNtlmLogsIn() throws Exception {
    LabServer s = start(LabServer.builder());
    try (Connection c = DriverManager.getConnection(ntlmUrl(s, PASSWORD))) {
      assertEquals("LAB\\" + USER, query(c, "SELECT SUSER_NAME()"));
      assertEquals("demo", query(c, "SELECT DB_NAME()"));
    }
    assertTrue(
        steps.containsAll(List.of(Step.SSPI_CHALLENGE, Step.SSPI_AUTHENTICATE)), steps.toString());
    assertTrue(serverLog().contains("NTLMv2"), "verified as NTLMv2 (with its MIC)");
  }

  @Test
  void mssqlJdbcNtlmWrongPasswordIs18456State8() throws Exception {
    LabServer s = start(LabServer.builder());
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(ntlmUrl(s, "Wrong-" + PASSWORD)).close());
    assertEquals(18456, e.getErrorCode(), e.toString());
    assertTrue(e.getMessage().contains("LAB\\" + USER), e.getMessage());
  }

  @Test
  void slowDomainControllerDelaysTheChallenge() throws Exception {
    LabServer fast = start(LabServer.builder());
    LabServer slow = start(LabServer.builder().delay(Step.SSPI_CHALLENGE, Duration.ofMillis(700)));
    DriverManager.getConnection(ntlmUrl(fast, PASSWORD)).close(); // warm up the driver
    long t0 = System.nanoTime();
    DriverManager.getConnection(ntlmUrl(fast, PASSWORD)).close();
    long fastMs = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    DriverManager.getConnection(ntlmUrl(slow, PASSWORD)).close();
    long slowMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(
        slowMs >= 700 && slowMs > fastMs + 500, "fast " + fastMs + " ms, slow " + slowMs + " ms");
  }

  @Test
  void mssqlJdbcAccessTokenLogsIn() throws Exception {
    LabServer s = start(LabServer.builder().accessToken(TOKEN, "alice@lab.local"));
    Properties p = new Properties();
    p.setProperty("accessToken", TOKEN);
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(null, null, ""), p)) {
      assertEquals("alice@lab.local", query(c, "SELECT SUSER_NAME()"));
    }
    assertTrue(steps.contains(Step.FEDAUTH), steps.toString());
  }

  @Test
  void mssqlJdbcWrongAccessTokenIs18456() throws Exception {
    LabServer s = start(LabServer.builder().accessToken(TOKEN));
    Properties p = new Properties();
    p.setProperty("accessToken", TOKEN + "x");
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(s.jdbcUrl(null, null, ""), p).close());
    assertEquals(18456, e.getErrorCode(), e.toString());
  }

  private static Connection jtds(LabServer s, String extra) throws SQLException {
    try {
      Class.forName("net.sourceforge.jtds.jdbc.Driver");
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
    return DriverManager.getConnection(
        "jdbc:jtds:sqlserver://"
            + s.host()
            + ":"
            + s.port()
            + "/demo;loginTimeout=10;socketTimeout=20"
            + extra);
  }

  @Test
  void jtdsSqlLogin() throws Exception {
    LabServer s = start(LabServer.builder());
    try (Connection c = jtds(s, ";user=" + USER + ";password=" + PASSWORD)) {
      assertEquals(USER, query(c, "SELECT SUSER_NAME()"));
      assertEquals("1", query(c, "SELECT 1"));
    }
  }

  @Test
  void jtdsNtlmv2() throws Exception {
    LabServer s = start(LabServer.builder());
    try (Connection c =
        jtds(s, ";domain=LAB;useNTLMv2=true;user=" + USER + ";password=" + PASSWORD)) {
      assertEquals("LAB\\" + USER, query(c, "SELECT SUSER_NAME()"));
    }
    assertTrue(serverLog().contains("NTLMv2"));
  }

  @Test
  void jtdsNtlmv1ByDefault() throws Exception {
    LabServer s = start(LabServer.builder());
    try (Connection c = jtds(s, ";domain=LAB;user=" + USER + ";password=" + PASSWORD)) {
      assertEquals("LAB\\" + USER, query(c, "SELECT SUSER_NAME()"));
    }
    assertTrue(serverLog().contains("(NTLMv1)"));
  }

  @Test
  void jtdsNtlmWrongPasswordFails() throws Exception {
    LabServer s = start(LabServer.builder());
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> jtds(s, ";domain=LAB;useNTLMv2=true;user=" + USER + ";password=nope").close());
    assertEquals(18456, e.getErrorCode(), e.toString());
  }

  @Test
  void secretsNeverReachTheServerLog() throws Exception {
    LabServer s = start(LabServer.builder().accessToken(TOKEN));
    DriverManager.getConnection(ntlmUrl(s, PASSWORD)).close();
    assertThrows(
        SQLException.class, () -> DriverManager.getConnection(ntlmUrl(s, PASSWORD + "9")).close());
    jtds(s, ";domain=LAB;user=" + USER + ";password=" + PASSWORD).close();
    Properties p = new Properties();
    p.setProperty("accessToken", TOKEN);
    DriverManager.getConnection(s.jdbcUrl(null, null, ""), p).close();
    DriverManager.getConnection(s.jdbcUrl(USER, PASSWORD, "")).close();
    String log = serverLog();
    assertTrue(
        log.contains("NTLM") && log.contains("FEDAUTH"), "the log was captured: " + log.length());
    String ntHash = HexFormat.of().formatHex(NtlmCrypto.ntowfv1(PASSWORD));
    for (String secret :
        List.of(PASSWORD, ntHash, ntHash.toUpperCase(), TOKEN, "lab-canary-token")) {
      assertFalse(log.contains(secret), "server log contains a secret");
    }
  }
}
