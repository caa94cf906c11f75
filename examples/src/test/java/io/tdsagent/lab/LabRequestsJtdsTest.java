package io.tdsagent.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.sql.Column;
import io.tdsagent.lab.sql.QueryResult;
import io.tdsagent.lab.sql.SqlType;
import io.tdsagent.lab.token.Done;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests after the login from jTDS 1.3.1, which speaks TDS 7.1: the streamed responses in the TDS
 * 7.1 layout (2-byte UserType in COLMETADATA and RETURNVALUE, 4-byte DONE row counts), batches and
 * RPCs without ALL_HEADERS, RPC batches separated by 0x80; results in the types of TDS 7.1 (text,
 * ntext, image for the MAX types, nvarchar for dates and times), as a real server sends them.
 */
class LabRequestsJtdsTest {
  private static final String USER = "sa";
  private static final String PASSWORD = "Secret-1";
  private static final Pattern NUMBERS =
      Pattern.compile("SELECT TOP \\((\\d+)\\) n, name FROM dbo\\.numbers");

  private static LabServer server;

  @BeforeAll
  static void start() throws Exception {
    server =
        LabServer.builder()
            .port(0)
            .login(USER, PASSWORD)
            .database("master", "demo")
            .encryption(Encryption.NOT_SUPPORTED)
            .queryPattern(
                NUMBERS.pattern(),
                (sql, ctx) -> {
                  Matcher m = NUMBERS.matcher(sql);
                  assertTrue(m.matches());
                  return new QueryResult()
                      .streamedRows(
                          List.of(Column.bigint("n"), Column.of("name", SqlType.NVARCHAR, 40)),
                          Long.parseLong(m.group(1)),
                          (i, values) -> {
                            values[0] = i;
                            values[1] = "row " + i;
                          });
                })
            .procedure(
                "dbo.count_to",
                List.of("@n", "@total"),
                (call, ctx) -> {
                  int n = ((Number) call.arg("@n")).intValue();
                  io.tdsagent.lab.sql.ResultTable t =
                      new io.tdsagent.lab.sql.ResultTable(Column.integer("i"));
                  for (int i = 0; i < n; i++) {
                    t.row(i);
                  }
                  call.results().rows(t);
                  call.output("@total", (long) n);
                  return n;
                })
            .queryPattern(
                "UPDATE dbo\\.counter SET n = @P0",
                (sql, ctx) -> new QueryResult().completion(1, Done.CMD_UPDATE))
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Connection connect(String extra) throws SQLException {
    try {
      Class.forName("net.sourceforge.jtds.jdbc.Driver");
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
    return DriverManager.getConnection(
        "jdbc:jtds:sqlserver://"
            + server.host()
            + ":"
            + server.port()
            + "/demo;user="
            + USER
            + ";password="
            + PASSWORD
            + ";loginTimeout=10;socketTimeout=30"
            + extra);
  }

  private static int queryInt(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getInt(1);
    }
  }

  @Test
  void statementsMultiStatementBatchAndErrorMidBatch() throws Exception {
    try (Connection c = connect("");
        Statement st = c.createStatement()) {
      assertEquals(42, queryInt(c, "SELECT 42"));
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

      SQLException e =
          assertThrows(
              SQLException.class,
              () -> {
                st.execute("SELECT 1; SELECT 1/0; SELECT 2");
                while (st.getMoreResults() || st.getUpdateCount() != -1) {
                  // drain: jTDS throws when it reaches the ERROR token
                }
              });
      assertEquals(8134, e.getErrorCode());
      assertEquals(1, queryInt(c, "SELECT 1"), "connection usable after the error");

      st.execute("RAISERROR('just saying', 10, 1)");
      SQLWarning w = st.getWarnings();
      assertTrue(w != null && w.getMessage().equals("just saying"), String.valueOf(w));
    }
  }

  /**
   * dbo.typed_rows as a real server sends it to a TDS 7.1 client: (max) and xml columns as
   * text/ntext/image, date and time columns as nvarchar strings, ROW only (no NBCROW). jTDS reads
   * every value whole.
   */
  @Test
  void typedRowsReachJtdsInTheTypesOfItsTdsVersion() throws Exception {
    List<Object[]> expected = io.tdsagent.lab.sql.LabCatalog.TYPED_ROWS.rows();
    try (Connection c = connect("");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM dbo.typed_rows")) {
      java.sql.ResultSetMetaData md = rs.getMetaData();
      assertEquals("text", md.getColumnTypeName(rs.findColumn("c_varchar_max")));
      assertEquals("ntext", md.getColumnTypeName(rs.findColumn("c_nvarchar_max")));
      assertEquals("image", md.getColumnTypeName(rs.findColumn("c_varbinary_max")));
      assertEquals("ntext", md.getColumnTypeName(rs.findColumn("c_xml")));
      assertEquals("nvarchar", md.getColumnTypeName(rs.findColumn("c_datetime2")));
      int row = 0;
      while (rs.next()) {
        Object[] e = expected.get(row++);
        assertEquals(e[0], rs.getInt("id"));
        assertEquals(e[26], rs.getString("c_varchar_max"));
        assertEquals(e[27], rs.getString("c_nvarchar_max"));
        assertArrayEquals((byte[]) e[30], rs.getBytes("c_varbinary_max"));
        assertEquals(e[31], rs.getString("c_xml"));
        assertEquals(e[25], rs.getString("c_nvarchar"));
        if (row == 1) {
          assertEquals("2024-02-29", rs.getString("c_date"));
          assertEquals("23:59:59.9999999", rs.getString("c_time"));
          assertEquals("2024-02-29 13:45:30.1234567", rs.getString("c_datetime2"));
          assertEquals("2024-02-29 13:45:30.1234567 +05:30", rs.getString("c_datetimeoffset"));
        }
        if (row == 3) {
          assertEquals(null, rs.getString("c_date"));
          assertEquals(null, rs.getBytes("c_varbinary_max"));
        }
      }
      assertEquals(expected.size(), row);
    }
  }

  /**
   * With the fault on, the lab sends PLP values to jTDS, which misreads them (a protocol error or a
   * garbled collation, depending on where it loses its place).
   */
  @Test
  void plpToOldClientsIsAFaultJtdsCannotRead() throws Exception {
    try (LabServer s =
        LabServer.builder()
            .port(0)
            .login(USER, PASSWORD)
            .database("master", "demo")
            .encryption(Encryption.NOT_SUPPORTED)
            .plpToOldClients(true)
            .build()
            .start()) {
      Connection c =
          DriverManager.getConnection(
              "jdbc:jtds:sqlserver://"
                  + s.host()
                  + ":"
                  + s.port()
                  + "/demo;user="
                  + USER
                  + ";password="
                  + PASSWORD
                  + ";loginTimeout=10;socketTimeout=30");
      try {
        assertThrows(
            SQLException.class,
            () -> {
              ResultSet rs = c.createStatement().executeQuery("SELECT * FROM dbo.typed_rows");
              while (rs.next()) {
                rs.getString("c_nvarchar_max");
              }
            });
      } finally {
        try {
          c.close();
        } catch (SQLException ignored) {
          // the connection is broken by the fault
        }
      }
    }
  }

  @Test
  void preparedStatementsUseSpPrepareAndSpExecute() throws Exception {
    try (Connection c = connect("");
        PreparedStatement ps = c.prepareStatement("SELECT ?, ? AS b")) {
      for (int i = 0;
          i < 3;
          i++) { // jTDS prepareSQL=3: sp_prepare (handle as RETURNVALUE), sp_execute
        ps.setInt(1, 40 + i);
        ps.setString(2, "x" + i);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(40 + i, rs.getInt(1));
          assertEquals("x" + i, rs.getString("b"));
          assertFalse(rs.next());
        }
      }
    }
    try (Connection c = connect(";prepareSQL=2");
        PreparedStatement ps = c.prepareStatement("SELECT ?")) {
      ps.setLong(1, 1L << 40); // sp_executesql
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        assertEquals(1L << 40, rs.getLong(1));
      }
    }
  }

  @Test
  void storedProcedureWithOutputParameter() throws Exception {
    try (Connection c = connect("")) {
      for (int i = 0; i < 2; i++) {
        try (CallableStatement cs = c.prepareCall("{call dbo.add_numbers(?, ?, ?)}")) {
          cs.setInt(1, 20 + i);
          cs.setInt(2, 22);
          cs.registerOutParameter(3, Types.INTEGER);
          cs.execute();
          assertEquals(42 + i, cs.getInt(3));
        }
      }
      try (CallableStatement cs = c.prepareCall("{? = call dbo.count_to(?, ?)}")) {
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
    }
  }

  @Test
  void batchOfRpcs() throws Exception {
    try (Connection c = connect("");
        PreparedStatement ps = c.prepareStatement("UPDATE dbo.counter SET n = ?")) {
      for (int i = 0; i < 4; i++) {
        ps.setInt(1, i);
        ps.addBatch();
      }
      assertArrayEquals(new int[] {1, 1, 1, 1}, ps.executeBatch());
      assertEquals(1, queryInt(c, "SELECT 1"));
    }
  }

  @Test
  void largeResultIsStreamedWithTds71Tokens() throws Exception {
    int n = 50_000;
    try (Connection c = connect(";packetSize=8192");
        Statement st = c.createStatement()) {
      long rows = 0;
      try (ResultSet rs = st.executeQuery("SELECT TOP (" + n + ") n, name FROM dbo.numbers")) {
        while (rs.next()) {
          assertEquals(rows, rs.getLong(1));
          if (rows % 4999 == 0) {
            assertEquals("row " + rows, rs.getString(2));
          }
          rows++;
        }
      }
      assertEquals(n, rows);
      assertEquals(1, queryInt(c, "SELECT 1"), "connection usable after the large result");
    }
  }

  /**
   * ssl=request: TLS for the LOGIN7 only. jTDS then closes its SSLSocket, and that close skips
   * whatever bytes have already arrived; without the server's grace period about one login in seven
   * lost its response.
   */
  @Test
  void sslRequestLoginOnlyTlsEveryTime() throws Exception {
    try (LabServer s =
        LabServer.builder()
            .port(0)
            .login(USER, PASSWORD)
            .database("master", "demo")
            .encryption(Encryption.OFF)
            .build()
            .start()) {
      for (int i = 0; i < 12; i++) {
        try (Connection c =
            DriverManager.getConnection(
                "jdbc:jtds:sqlserver://"
                    + s.host()
                    + ":"
                    + s.port()
                    + "/demo;user="
                    + USER
                    + ";password="
                    + PASSWORD
                    + ";loginTimeout=5;ssl=request")) {
          assertEquals(i, queryInt(c, "SELECT " + i), "connection " + i);
        }
      }
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
      // jTDS reports the cancelled batch's bare DONE(ERROR) as "unspecified error" (HY000) and
      // chains the
      // attention ack (DONE ATTN) as HY008 "cancelled".
      List<String> states = new java.util.ArrayList<>();
      for (SQLException x = e; x != null; x = x.getNextException()) {
        states.add(x.getSQLState() + " " + x.getMessage());
      }
      assertTrue(states.stream().anyMatch(x -> x.startsWith("HY008")), states.toString());
      assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "cancel took too long");
      assertEquals(1, queryInt(c, "SELECT 1"));
    } finally {
      timer.shutdownNow();
    }
  }
}
