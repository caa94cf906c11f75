package io.tdsagent.agent.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * mssql-jdbc's rule for the login timeout (SQLServerConnection.connect / login), and "unknown"
 * otherwise.
 */
class DriverLoginTimeoutTest {
  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void mssqlJdbcDefaultsAndOverrides() {
    assertEquals(30_000, DriverLoginTimeout.mssqlJdbcMillis(props()));
    assertEquals(30_000, DriverLoginTimeout.mssqlJdbcMillis(props("loginTimeout", "0")));
    assertEquals(2_000, DriverLoginTimeout.mssqlJdbcMillis(props("loginTimeout", "2")));
    assertEquals(
        150_000,
        DriverLoginTimeout.mssqlJdbcMillis(
            props("loginTimeout", "15", "authentication", "ActiveDirectoryInteractive")));
    assertEquals(-1, DriverLoginTimeout.mssqlJdbcMillis(props("loginTimeout", "x")));
  }

  /** The fields mssql-jdbc has: TDSChannel.con, SQLServerConnection.activeConnectionProperties. */
  static final class Connection {
    Properties activeConnectionProperties = props("loginTimeout", "7");
  }

  static final class Channel {
    private final Connection con = new Connection();
  }

  @Test
  void readsTheChannelsConnectionAndLeavesOtherClassesUnknown() {
    assertEquals(7_000, DriverLoginTimeout.millis(new Channel()));
    assertEquals(-1, DriverLoginTimeout.millis(new Object()));
  }

  /** The properties declared privately by a superclass of the connection. */
  static class BaseConnection {
    private final Properties activeConnectionProperties = props("loginTimeout", "9");
  }

  static final class SubConnection extends BaseConnection {}

  static final class SubChannel {
    private final SubConnection con = new SubConnection();
  }

  static final class NoConnectionYet {
    private final Connection con = null;
  }

  @Test
  void findsTheFieldInASuperclassAndNeedsAConnection() {
    assertEquals(9_000, DriverLoginTimeout.millis(new SubChannel()));
    assertEquals(-1, DriverLoginTimeout.millis(new NoConnectionYet()));
  }

  /** jTDS keeps the timeout as an int field of its connection. */
  static final class JtdsLikeConnection {
    private final int loginTimeout;

    JtdsLikeConnection(int seconds) {
      this.loginTimeout = seconds;
    }
  }

  @Test
  void jtdsTimeoutOrUnknownWhenNotSet() {
    assertEquals(3_000, DriverLoginTimeout.jtdsMillis(new JtdsLikeConnection(3)));
    assertEquals(-1, DriverLoginTimeout.jtdsMillis(new JtdsLikeConnection(0)));
    assertEquals(-1, DriverLoginTimeout.jtdsMillis(new Object()));
  }
}
