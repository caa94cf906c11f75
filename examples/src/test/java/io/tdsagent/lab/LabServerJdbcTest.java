package io.tdsagent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.sql.Column;
import io.tdsagent.lab.sql.QueryResult;
import io.tdsagent.lab.sql.ResultTable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real mssql-jdbc driver against the in-process lab server on loopback. */
class LabServerJdbcTest {
  private static final String USER = "sa";
  private static final String PASSWORD = "Secret-1";

  private final List<LabServer> servers = new CopyOnWriteArrayList<>();
  private final List<Step> steps = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(LabServer::close);
  }

  private LabServer start(Encryption encryption) throws Exception {
    return start(LabServer.builder().encryption(encryption));
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

  private static int selectOne(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1")) {
      assertTrue(rs.next());
      int v = rs.getInt(1);
      assertFalse(rs.next());
      return v;
    }
  }

  private static String selectString(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  @Test
  void plaintextLoginSelectOneAndVersion() throws Exception {
    LabServer s = start(Encryption.NOT_SUPPORTED);
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(USER, PASSWORD, ""))) {
      assertEquals(1, selectOne(c));
      assertTrue(selectString(c, "SELECT @@VERSION").contains("16.0.1000"));
      assertEquals("master", selectString(c, "select db_name();"));
      assertEquals("master", c.getCatalog());
      assertEquals("Microsoft SQL Server", c.getMetaData().getDatabaseProductName());
      assertEquals("16.00.1000", c.getMetaData().getDatabaseProductVersion());
      assertEquals(16, c.getMetaData().getDatabaseMajorVersion());
    }
    assertFalse(steps.contains(Step.TLS_HANDSHAKE), "no TLS expected: " + steps);
    assertEquals(List.of(Step.PRELOGIN, Step.LOGIN), steps.subList(0, 2));
  }

  @Test
  void encryptTrueUsesTlsForTheWholeSession() throws Exception {
    LabServer s = start(Encryption.OFF);
    try (Connection c =
        DriverManager.getConnection(s.jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, ""))) {
      assertEquals(1, selectOne(c));
      assertTrue(selectString(c, "SELECT @@VERSION").startsWith("Microsoft SQL Server"));
    }
    assertEquals(List.of(Step.PRELOGIN, Step.TLS_HANDSHAKE, Step.LOGIN), steps.subList(0, 3));
  }

  @Test
  void encryptTrueValidatesTheCertificateWithTheTrustStore() throws Exception {
    LabServer s = start(Encryption.OFF);
    try (Connection c =
        DriverManager.getConnection(s.jdbcUrl(JdbcEncrypt.TRUE_VALIDATED, USER, PASSWORD, ""))) {
      assertEquals(1, selectOne(c));
    }
  }

  @Test
  void encryptFalseWithServerOffEncryptsTheLoginOnly() throws Exception {
    LabServer s = start(Encryption.OFF);
    try (Connection c =
        DriverManager.getConnection(s.jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, ""))) {
      assertEquals(1, selectOne(c));
      assertTrue(selectString(c, "SELECT @@VERSION").contains("tds-lab"));
    }
    assertEquals(List.of(Step.PRELOGIN, Step.TLS_HANDSHAKE, Step.LOGIN), steps.subList(0, 3));
  }

  @Test
  void encryptFalseWithServerRequiredEncryptsEverything() throws Exception {
    LabServer s = start(Encryption.REQUIRED);
    try (Connection c =
        DriverManager.getConnection(s.jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, ""))) {
      assertEquals(1, selectOne(c));
    }
    assertTrue(steps.contains(Step.TLS_HANDSHAKE));
  }

  @Test
  void strictTds8() throws Exception {
    LabServer s = start(Encryption.OFF);
    try (Connection c =
        DriverManager.getConnection(
            s.jdbcUrl(JdbcEncrypt.STRICT, USER, PASSWORD, "databaseName=demo"))) {
      assertEquals(1, selectOne(c));
      assertEquals("demo", c.getCatalog());
    }
    assertEquals(List.of(Step.TLS_HANDSHAKE, Step.PRELOGIN, Step.LOGIN), steps.subList(0, 3));
  }

  @Test
  void strictWithoutPinnedCertificateFails() throws Exception {
    LabServer s = start(Encryption.OFF);
    String url =
        "jdbc:sqlserver://127.0.0.1:"
            + s.port()
            + ";user=sa;password=Secret-1;loginTimeout=5;"
            + "encrypt=strict;trustServerCertificate=true";
    // strict ignores trustServerCertificate: the self-signed certificate is not in the default
    // trust store
    assertThrows(SQLException.class, () -> DriverManager.getConnection(url).close());
  }

  @Test
  void serverWithoutEncryptionRefusesEncryptTrueAndStrict() throws Exception {
    LabServer s = start(Encryption.NOT_SUPPORTED);
    assertThrows(
        SQLException.class,
        () -> DriverManager.getConnection(s.jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, "")).close());
    assertThrows(
        SQLException.class,
        () ->
            DriverManager.getConnection(s.jdbcUrl(JdbcEncrypt.STRICT, USER, PASSWORD, "")).close());
  }

  @Test
  void wrongPasswordIs18456() throws Exception {
    LabServer s = start(Encryption.OFF);
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(s.jdbcUrl(USER, "wrong", "")).close());
    assertEquals(18456, e.getErrorCode());
    assertTrue(e.getMessage().contains("Login failed for user 'sa'."), e.getMessage());
  }

  @Test
  void unknownLoginIs18456() throws Exception {
    LabServer s = start(Encryption.OFF);
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> DriverManager.getConnection(s.jdbcUrl("nobody", PASSWORD, "")).close());
    assertEquals(18456, e.getErrorCode());
    assertTrue(e.getMessage().contains("Login failed for user 'nobody'."), e.getMessage());
  }

  @Test
  void unknownDatabaseIs4060Then18456() throws Exception {
    LabServer s = start(Encryption.OFF);
    SQLException e =
        assertThrows(
            SQLException.class,
            () ->
                DriverManager.getConnection(s.jdbcUrl(USER, PASSWORD, "databaseName=nope"))
                    .close());
    assertEquals(4060, e.getErrorCode());
    assertTrue(
        e.getMessage().contains("Cannot open database \"nope\" requested by the login."),
        e.getMessage());
    assertNotNull(e.getNextException());
    assertEquals(18456, e.getNextException().getErrorCode());
  }

  @Test
  void unknownQueriesGiveSqlServerErrors() throws Exception {
    LabServer s = start(Encryption.OFF);
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(USER, PASSWORD, ""));
        Statement st = c.createStatement()) {
      SQLException proc = assertThrows(SQLException.class, () -> st.execute("no_such_proc"));
      assertEquals(2812, proc.getErrorCode());
      SQLException syntax =
          assertThrows(SQLException.class, () -> st.executeQuery("SELECT * FROM t WHERE"));
      assertEquals(102, syntax.getErrorCode());
      assertEquals(1, selectOne(c), "the session survives errors");
    }
  }

  @Test
  void useDatabaseAndSettings() throws Exception {
    LabServer s = start(Encryption.OFF);
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(USER, PASSWORD, ""))) {
      c.setCatalog("demo");
      assertEquals("demo", c.getCatalog());
      assertEquals("demo", selectString(c, "SELECT DB_NAME()"));
      c.setTransactionIsolation(Connection.TRANSACTION_READ_UNCOMMITTED);
      c.setAutoCommit(false);
      c.commit();
      c.setAutoCommit(true);
      assertThrows(SQLException.class, () -> c.setCatalog("nope"));
    }
  }

  @Test
  void multiPacketMessagesBothWays() throws Exception {
    ResultTable many = new ResultTable(Column.integer("n"), Column.nvarchar("text", 200));
    for (int i = 0; i < 2000; i++) {
      many.row(i, "row " + i + " " + "x".repeat(100));
    }
    LabServer s =
        start(
            LabServer.builder()
                .encryption(Encryption.ON)
                .query("SELECT n, text FROM many", (sql, ctx) -> QueryResult.of(many)));
    try (Connection c =
            DriverManager.getConnection(
                s.jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, "packetSize=512"));
        Statement st = c.createStatement()) {
      // a batch far larger than one packet
      try (ResultSet rs = st.executeQuery("SELECT" + " ".repeat(20_000) + "1")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
      int count = 0;
      try (ResultSet rs = st.executeQuery("select n, text from many")) {
        while (rs.next()) {
          assertEquals(count, rs.getInt("n"));
          assertTrue(rs.getString("text").startsWith("row " + count + " "));
          count++;
        }
      }
      assertEquals(2000, count);
    }
  }

  @Test
  void queryTimeoutSendsAttentionAndGetsItAcknowledged() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean first =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    LabServer s =
        start(
            LabServer.builder()
                .encryption(Encryption.OFF)
                .hook(
                    (step, spid) -> {
                      if (step == Step.SQL_BATCH && first.getAndSet(false)) {
                        try {
                          Thread.sleep(1600); // the batch "runs" longer than the 1 s query timeout
                        } catch (InterruptedException e) {
                          throw new java.io.InterruptedIOException();
                        }
                      }
                    }));
    try (Connection c = DriverManager.getConnection(s.jdbcUrl(USER, PASSWORD, ""));
        Statement st = c.createStatement()) {
      st.setQueryTimeout(1);
      SQLException e = assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1"));
      assertTrue(e.getMessage().toLowerCase().contains("timed out"), e.getMessage());
      st.setQueryTimeout(0);
      assertEquals(1, selectOne(c), "connection usable after the attention");
    }
  }

  @Test
  void delayedLoginStillConnectsAndFailingHookDropsTheConnection() throws Exception {
    LabServer slow = start(LabServer.builder().delay(Step.LOGIN, Duration.ofMillis(300)));
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(slow.jdbcUrl(USER, PASSWORD, ""))) {
      assertEquals(1, selectOne(c));
    }
    assertTrue(System.nanoTime() - t0 >= 300_000_000L);
    LabServer failing =
        start(
            LabServer.builder()
                .hook(
                    (step, spid) -> {
                      if (step == Step.LOGIN) {
                        throw new java.io.IOException("failure on demand");
                      }
                    }));
    assertThrows(
        SQLException.class,
        () -> DriverManager.getConnection(failing.jdbcUrl(USER, PASSWORD, "")).close());
  }

  @Test
  void closeDropsOpenConnectionsPromptly() throws Exception {
    LabServer s = start(Encryption.OFF);
    Connection c = DriverManager.getConnection(s.jdbcUrl(USER, PASSWORD, ""));
    assertEquals(1, s.activeConnections());
    long t0 = System.nanoTime();
    s.close();
    assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "close took too long");
    assertThrows(SQLException.class, () -> selectOne(c));
    c.close();
    assertFalse(java.nio.file.Files.exists(s.certificatePemFile()), "PEM file deleted on close");
  }
}
