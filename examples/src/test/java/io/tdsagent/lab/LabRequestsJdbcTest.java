package io.tdsagent.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.sql.BoundParameter;
import io.tdsagent.lab.sql.Column;
import io.tdsagent.lab.sql.LabCatalog;
import io.tdsagent.lab.sql.QueryResult;
import java.math.BigDecimal;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of request after the login, from the real mssql-jdbc, against the lab server. */
class LabRequestsJdbcTest {
  private static final String USER = "sa";
  private static final String PASSWORD = "Secret-1";

  /** What the custom INSERT route saw: one map of parameter values per execution. */
  private static final List<Map<String, Object>> SINK = new CopyOnWriteArrayList<>();

  private static LabServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        LabServer.builder()
            .port(0)
            .login(USER, PASSWORD)
            .encryption(Encryption.NOT_SUPPORTED)
            .queryPattern(
                "INSERT INTO dbo\\.sink .*",
                (sql, ctx) -> {
                  Map<String, Object> values = new java.util.TreeMap<>();
                  for (BoundParameter p : ctx.parameters().values()) {
                    values.put(p.name(), p.value());
                  }
                  SINK.add(values);
                  return new QueryResult().completion(1, io.tdsagent.lab.token.Done.CMD_INSERT);
                })
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect(String extra) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(USER, PASSWORD, extra));
  }

  private static int queryInt(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getInt(1);
    }
  }

  @Test
  void plainStatementsAndMultiStatementBatch() throws Exception {
    try (Connection c = connect("");
        Statement st = c.createStatement()) {
      assertEquals(42, queryInt(c, "SELECT 42"));
      try (ResultSet rs = st.executeQuery("SELECT N'h\u00e9llo'")) {
        assertTrue(rs.next());
        assertEquals("h\u00e9llo", rs.getString(1));
      }
      assertTrue(st.execute("SELECT 1; SELECT 2; INSERT INTO t VALUES (1), (2)"));
      try (ResultSet rs = st.getResultSet()) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
      assertTrue(st.getMoreResults());
      try (ResultSet rs = st.getResultSet()) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
      }
      assertFalse(st.getMoreResults());
      assertEquals(2, st.getUpdateCount());
      assertEquals(1, st.executeUpdate("UPDATE t SET a = 1"));
    }
  }

  @Test
  void preparedStatementUsesSpExecutesqlThenSpPrepexecThenSpExecute() throws Exception {
    try (Connection c = connect("");
        PreparedStatement ps = c.prepareStatement("SELECT * FROM dbo.typed_rows WHERE id = ?")) {
      for (int id = 1; id <= 3; id++) { // 1: sp_executesql, 2: sp_prepexec, 3: sp_execute
        ps.setInt(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next(), "execution " + id);
          assertEquals(id, rs.getInt("id"));
          assertFalse(rs.next());
        }
      }
    }
    try (Connection c = connect("enablePrepareOnFirstPreparedStatementCall=true");
        PreparedStatement ps = c.prepareStatement("SELECT ?, ? AS b")) {
      for (int i = 0; i < 2; i++) { // sp_prepexec, then sp_execute with the handle
        ps.setLong(1, 10L + i);
        ps.setString(2, "run " + i);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(10L + i, rs.getLong(1));
          assertEquals("run " + i, rs.getString("b"));
        }
      }
      assertTrue(
          ((com.microsoft.sqlserver.jdbc.SQLServerPreparedStatement) ps)
                  .getPreparedStatementHandle()
              > 0);
    }
  }

  @Test
  void prepareMethodPrepareUsesSpPrepare() throws Exception {
    try (Connection c =
            connect("prepareMethod=prepare;enablePrepareOnFirstPreparedStatementCall=true");
        PreparedStatement ps = c.prepareStatement("SELECT TOP (?) * FROM dbo.big_rows")) {
      for (int n = 1; n <= 3; n++) {
        ps.setInt(1, n);
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows++;
          }
        }
        assertEquals(n, rows);
      }
    }
  }

  @Test
  void parameterValuesOfEveryTypeRoundTrip() throws Exception {
    byte[] bytes = {1, 2, 3, (byte) 0xFE};
    UUID guid = UUID.randomUUID();
    String longText = "\u00e9".repeat(5000); // > 4000 characters: nvarchar(max), PLP
    try (Connection c = connect("");
        PreparedStatement ps = c.prepareStatement("SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?")) {
      ps.setInt(1, -7);
      ps.setLong(2, 1L << 40);
      ps.setString(3, "Gr\u00fc\u00dfe");
      ps.setBoolean(4, true);
      ps.setDouble(5, 2.5e-10);
      ps.setBigDecimal(6, new BigDecimal("-12345.6789"));
      ps.setObject(7, LocalDateTime.of(2024, 5, 6, 7, 8, 9, 123_456_700));
      ps.setObject(8, guid);
      ps.setBytes(9, bytes);
      ps.setString(10, longText);
      ps.setNull(11, Types.INTEGER);
      ps.setObject(12, LocalDate.of(2020, 1, 31));
      ps.setShort(13, (short) -300);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(-7, rs.getInt(1));
        assertEquals(1L << 40, rs.getLong(2));
        assertEquals("Gr\u00fc\u00dfe", rs.getString(3));
        assertTrue(rs.getBoolean(4));
        assertEquals(2.5e-10, rs.getDouble(5));
        assertEquals(new BigDecimal("-12345.6789"), rs.getBigDecimal(6));
        assertEquals(
            LocalDateTime.of(2024, 5, 6, 7, 8, 9, 123_456_700),
            rs.getObject(7, LocalDateTime.class));
        assertEquals(guid.toString().toUpperCase(), rs.getString(8));
        assertArrayEquals(bytes, rs.getBytes(9));
        assertEquals(longText, rs.getString(10));
        assertNull(rs.getObject(11));
        assertEquals(LocalDate.of(2020, 1, 31), rs.getObject(12, LocalDate.class));
        assertEquals(-300, rs.getShort(13));
      }
    }
    try (Connection c = connect("sendStringParametersAsUnicode=false");
        PreparedStatement ps = c.prepareStatement("SELECT ?")) {
      ps.setString(1, "caf\u00e9 \u20ac"); // varchar(8000), code page 1252
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals("caf\u00e9 \u20ac", rs.getString(1));
        assertEquals("varchar", rs.getMetaData().getColumnTypeName(1));
      }
    }
  }

  @Test
  void storedProcedureWithOutputParameter() throws Exception {
    try (Connection c = connect("")) {
      for (int i = 0; i < 3; i++) { // sp_executesql, sp_prepexec, sp_execute (or RPC by name)
        try (CallableStatement cs = c.prepareCall("{call dbo.add_numbers(?, ?, ?)}")) {
          cs.setInt(1, 20 + i);
          cs.setInt(2, 22);
          cs.registerOutParameter(3, Types.INTEGER);
          cs.execute();
          assertEquals(42 + i, cs.getInt(3));
        }
      }
      try (CallableStatement cs = c.prepareCall("{? = call dbo.get_rows(?, ?)}")) {
        cs.registerOutParameter(1, Types.INTEGER);
        cs.setInt(2, 5);
        cs.registerOutParameter(3, Types.BIGINT);
        int rows = 0;
        try (ResultSet rs = cs.executeQuery()) {
          while (rs.next()) {
            rows++;
          }
        }
        assertEquals(5, rows);
        assertEquals(5L, cs.getLong(3));
        assertEquals(5, cs.getInt(1));
      }
      try (CallableStatement cs = c.prepareCall("{call dbo.add_numbers(?, ?, ?)}")) {
        cs.setInt("a", 1);
        cs.setInt("b", 2);
        cs.registerOutParameter("sum", Types.INTEGER);
        cs.execute();
        assertEquals(3, cs.getInt("sum"));
      }
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> {
                try (CallableStatement cs = c.prepareCall("{call dbo.nope(?)}")) {
                  cs.setInt(1, 1);
                  cs.execute();
                }
              });
      assertEquals(2812, e.getErrorCode());
    }
  }

  @Test
  void everyTypeRoundTrips() throws Exception {
    try (Connection c = connect("");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM dbo.typed_rows")) {
      List<Column> cols = LabCatalog.TYPED_ROWS.columns();
      assertEquals(cols.size(), rs.getMetaData().getColumnCount());
      for (int i = 0; i < cols.size(); i++) {
        assertEquals(cols.get(i).name(), rs.getMetaData().getColumnName(i + 1));
        assertEquals(
            cols.get(i).type().sqlName(),
            rs.getMetaData().getColumnTypeName(i + 1),
            cols.get(i).name());
      }
      int row = 0;
      while (rs.next()) {
        Object[] expected = LabCatalog.TYPED_ROWS.rows().get(row++);
        for (int i = 0; i < cols.size(); i++) {
          assertValue(cols.get(i), expected[i], rs, i + 1, row);
        }
      }
      assertEquals(LabCatalog.TYPED_ROWS.rows().size(), row);
    }
  }

  private static void assertValue(Column col, Object expected, ResultSet rs, int i, int row)
      throws SQLException {
    String where = "row " + row + " " + col;
    if (expected == null) {
      assertNull(rs.getObject(i), where);
      assertTrue(rs.wasNull(), where);
      return;
    }
    switch (col.type()) {
      case TINYINT:
      case SMALLINT:
      case INT:
        assertEquals(((Number) expected).intValue(), rs.getInt(i), where);
        break;
      case BIGINT:
        assertEquals(((Number) expected).longValue(), rs.getLong(i), where);
        break;
      case BIT:
        assertEquals(expected, rs.getBoolean(i), where);
        break;
      case REAL:
        assertEquals(expected, rs.getFloat(i), where);
        break;
      case FLOAT:
        assertEquals(expected, rs.getDouble(i), where);
        break;
      case DECIMAL:
      case MONEY:
      case SMALLMONEY:
        assertEquals(
            0,
            ((BigDecimal) expected).compareTo(rs.getBigDecimal(i)),
            where + ": " + rs.getBigDecimal(i));
        break;
      case DATE:
        assertEquals(expected, rs.getObject(i, LocalDate.class), where);
        break;
      case TIME:
        assertEquals(expected, rs.getObject(i, LocalTime.class), where);
        break;
      case DATETIME:
      case SMALLDATETIME:
      case DATETIME2:
        assertEquals(expected, rs.getObject(i, LocalDateTime.class), where);
        break;
      case DATETIMEOFFSET:
        assertEquals(expected, rs.getObject(i, OffsetDateTime.class), where);
        break;
      case UNIQUEIDENTIFIER:
        assertEquals(expected.toString().toUpperCase(), rs.getString(i), where);
        break;
      case BINARY:
      case VARBINARY:
        assertArrayEquals((byte[]) expected, rs.getBytes(i), where);
        break;
      case SQL_VARIANT:
        assertEquals(expected, rs.getObject(i), where);
        break;
      default:
        assertEquals(expected, rs.getString(i), where);
        break;
    }
  }

  @Test
  void largeResultIsStreamedAndReadCompletely() throws Exception {
    int n = 100_000;
    try (Connection c = connect("packetSize=32767");
        Statement st = c.createStatement()) {
      long t0 = System.nanoTime();
      long rows = 0;
      long checksum = 0;
      Object[] expected = new Object[10];
      try (ResultSet rs = st.executeQuery("SELECT TOP (" + n + ") * FROM dbo.big_rows")) {
        assertEquals(10, rs.getMetaData().getColumnCount());
        while (rs.next()) {
          checksum += rs.getLong(1) + rs.getInt(2);
          if (rows % 9973 == 0) {
            LabCatalog.bigRow(rows, expected);
            assertEquals(expected[0], rs.getLong(1));
            assertEquals(expected[4], rs.getBigDecimal(5));
            assertEquals(expected[5], rs.getDouble(6));
            assertEquals(expected[6], rs.getObject(7, LocalDateTime.class));
            assertEquals(expected[7].toString().toUpperCase(), rs.getString(8));
            assertEquals(expected[8], rs.getString(9));
            assertEquals(expected[9], rs.getString(10));
          }
          rows++;
        }
      }
      double s = (System.nanoTime() - t0) / 1e9;
      assertEquals(n, rows);
      assertTrue(checksum > 0);
      System.out.printf(
          "big_rows: %d rows x 10 columns read by mssql-jdbc in %.2f s: %.0f rows/s%n",
          rows, s, rows / s);
      assertEquals(1, queryInt(c, "SELECT 1"), "connection usable after the large result");
    }
  }

  @Test
  void errorMidBatch() throws Exception {
    try (Connection c = connect("");
        Statement st = c.createStatement()) {
      assertTrue(st.execute("SELECT 1; SELECT 1/0; SELECT 2"));
      try (ResultSet rs = st.getResultSet()) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> {
                st.getMoreResults();
                try (ResultSet rs = st.getResultSet()) {
                  rs.next();
                }
              });
      assertEquals(8134, e.getErrorCode());
      assertEquals("Divide by zero error encountered.", e.getMessage());
      // As in SQL Server the error ends only its statement: the batch goes on with SELECT 2.
      assertTrue(st.getMoreResults());
      try (ResultSet rs = st.getResultSet()) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
      }
      assertFalse(st.getMoreResults());
      assertEquals(1, queryInt(c, "SELECT 1"), "connection usable after the error");
    }
  }

  @Test
  void raiserrorInfoAndError() throws Exception {
    try (Connection c = connect("");
        Statement st = c.createStatement()) {
      st.execute("RAISERROR('just saying', 10, 1)");
      SQLWarning w = st.getWarnings();
      assertTrue(w != null && w.getMessage().equals("just saying"), String.valueOf(w));
      assertEquals(50000, w.getErrorCode());
      SQLException e =
          assertThrows(SQLException.class, () -> st.execute("RAISERROR(N'it''s broken', 16, 2)"));
      assertEquals(50000, e.getErrorCode());
      assertEquals("it's broken", e.getMessage());
      SQLException syntax = assertThrows(SQLException.class, () -> st.execute("SELECT 1; SELEC 2"));
      assertEquals(102, syntax.getErrorCode());
      SQLException proc = assertThrows(SQLException.class, () -> st.execute("EXEC dbo.nope 1"));
      assertEquals(2812, proc.getErrorCode());
    }
  }

  @Test
  void cancelDuringWaitforLeavesTheConnectionUsable() throws Exception {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (Connection c = connect("");
        Statement st = c.createStatement()) {
      long t0 = System.nanoTime();
      timer.schedule(
          () -> {
            try {
              st.cancel();
            } catch (SQLException e) {
              throw new RuntimeException(e);
            }
          },
          300,
          TimeUnit.MILLISECONDS);
      SQLException e =
          assertThrows(SQLException.class, () -> st.execute("WAITFOR DELAY '00:00:30'"));
      assertTrue(e.getMessage().toLowerCase().contains("cancel"), e.getMessage());
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "cancel took too long");
      assertEquals(1, queryInt(c, "SELECT 1"));

      st.setQueryTimeout(1);
      t0 = System.nanoTime();
      assertThrows(SQLTimeoutException.class, () -> st.execute("WAITFOR DELAY '00:01'"));
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "timeout took too long");
      st.setQueryTimeout(0);
      assertEquals(1, queryInt(c, "SELECT 1"));
    } finally {
      timer.shutdownNow();
    }
  }

  @Test
  void cancelWhileAResultIsStreaming() throws Exception {
    try (Connection c = connect("");
        Statement st = c.createStatement()) {
      st.setQueryTimeout(1);
      long t0 = System.nanoTime();
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> {
                try (ResultSet rs = st.executeQuery("SELECT * FROM dbo.slow_rows")) {
                  while (rs.next()) {
                    rs.getLong(1);
                  }
                }
              });
      assertTrue(
          e instanceof SQLTimeoutException || e.getMessage().contains("timed out"), e.toString());
      assertTrue(System.nanoTime() - t0 < 10_000_000_000L);
      st.setQueryTimeout(0);
      assertEquals(1, queryInt(c, "SELECT 1"));
      try (Statement big = c.createStatement()) {
        ResultSet rs = big.executeQuery("SELECT TOP (1000000) * FROM dbo.big_rows");
        for (int i = 0; i < 10; i++) {
          assertTrue(rs.next());
        }
        big.cancel(); // the server is still streaming: the rest of the million rows is not sent
        assertThrows(
            SQLException.class,
            () -> {
              while (rs.next()) {
                rs.getLong(1);
              }
            });
      }
      assertEquals(1, queryInt(c, "SELECT 1"));
    }
  }

  @Test
  void customProcedureFromTheBuilder() throws Exception {
    try (LabServer s =
            LabServer.builder()
                .port(0)
                .login(USER, PASSWORD)
                .encryption(Encryption.NOT_SUPPORTED)
                .procedure(
                    "app.greet",
                    List.of("@who", "@greeting"),
                    (call, ctx) -> {
                      call.output("@greeting", "hello " + call.arg("@who"));
                      call.results()
                          .rows(io.tdsagent.lab.sql.ResultTable.single(Column.integer("n"), 1));
                      return 3;
                    })
                .build()
                .start();
        Connection c = DriverManager.getConnection(s.jdbcUrl(USER, PASSWORD, ""));
        CallableStatement cs = c.prepareCall("{? = call app.greet(?, ?)}")) {
      cs.registerOutParameter(1, Types.INTEGER);
      cs.setString(2, "lab");
      cs.registerOutParameter(3, Types.NVARCHAR);
      try (ResultSet rs = cs.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
      assertEquals("hello lab", cs.getString(3));
      assertEquals(3, cs.getInt(1));
    }
  }

  @Test
  void batchOfRpcs() throws Exception {
    SINK.clear();
    try (Connection c = connect("");
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO dbo.sink (id, name) VALUES (?, ?)")) {
      for (int i = 0; i < 5; i++) {
        ps.setInt(1, i);
        ps.setString(2, "n" + i);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      assertArrayEquals(new int[] {1, 1, 1, 1, 1}, counts);
    }
    assertEquals(5, SINK.size());
    for (int i = 0; i < 5; i++) {
      assertEquals(Map.of("@P0", i, "@P1", "n" + i), SINK.get(i));
    }
  }
}
