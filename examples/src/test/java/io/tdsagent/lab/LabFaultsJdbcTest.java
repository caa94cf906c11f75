package io.tdsagent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.transport.SilentListener;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each fault the lab server can be told to commit, as the real mssql-jdbc driver meets it. */
class LabFaultsJdbcTest {
  private static final String USER = "sa";
  private static final String PASSWORD = "Secret-1";
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private LabServer start(LabServer.Builder b) throws Exception {
    LabServer s = b.port(0).login(USER, PASSWORD).build().start();
    open.add(s);
    return s;
  }

  private static SQLException refused(String url) {
    return assertThrows(SQLException.class, () -> DriverManager.getConnection(url).close());
  }

  @Test
  void closeBeforeLogin() throws Exception {
    LabServer s = start(LabServer.builder().endBefore(Step.LOGIN, Faults.End.CLOSE));
    SQLException e = refused(s.jdbcUrl(USER, PASSWORD, "connectRetryCount=0"));
    assertTrue(e.getMessage() != null, e.toString());
  }

  @Test
  void resetBeforePrelogin() throws Exception {
    LabServer s = start(LabServer.builder().endBefore(Step.PRELOGIN, Faults.End.RESET));
    SQLException e = refused(s.jdbcUrl(USER, PASSWORD, "connectRetryCount=0"));
    assertTrue(
        String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("reset"), e.toString());
  }

  @Test
  void tlsAlert() throws Exception {
    LabServer s =
        start(
            LabServer.builder()
                .encryption(Encryption.ON)
                .tlsAlert(Faults.parseTlsAlert("protocol_version")));
    SQLException e = refused(s.jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, "connectRetryCount=0"));
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append(' ');
    }
    assertTrue(all.toString().contains("protocol_version"), all.toString());
  }

  @Test
  void loginErrorWithState() throws Exception {
    LabServer s = start(LabServer.builder().loginError(18456, 18));
    SQLException e = refused(s.jdbcUrl(USER, PASSWORD, ""));
    assertEquals(18456, e.getErrorCode());
  }

  @Test
  void routingTakesTheDriverToTheOtherServer() throws Exception {
    LabServer target = start(LabServer.builder().serverName("routed-target"));
    LabServer gateway = start(LabServer.builder().route(LabServer.HOST, target.port()));
    try (Connection c = DriverManager.getConnection(gateway.jdbcUrl(USER, PASSWORD, ""));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1")) {
      assertTrue(rs.next());
    }
    assertEquals(1, gateway.connectionsAccepted());
    assertEquals(1, target.connectionsAccepted());
  }

  @Test
  void aSilentListenerNeverCompletesTheHandshake() throws Exception {
    SilentListener silent = SilentListener.start(0);
    open.add(silent);
    SQLException e =
        refused(
            "jdbc:sqlserver://127.0.0.1:"
                + silent.port()
                + ";user=sa;password=x;encrypt=false;loginTimeout=2;connectRetryCount=0");
    assertTrue(
        String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("timed out"),
        e.toString());
  }
}
