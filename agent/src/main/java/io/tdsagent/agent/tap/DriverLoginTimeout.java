package io.tdsagent.agent.tap;

import java.lang.reflect.Field;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The driver's login timeout for one connection attempt, read from the connection's own settings
 * once, when its channel opens. mssql-jdbc: {@code
 * TDSChannel.con.activeConnectionProperties["loginTimeout"]} in seconds, where an absent, empty or
 * zero value means the driver's default of 30 s, and ActiveDirectoryInteractive multiplies it by 10
 * (as {@code SQLServerConnection.connect} and {@code login} do). jTDS: {@code
 * JtdsConnection.loginTimeout} when set (its 0 means no timeout of its own). Other drivers, or a
 * driver whose fields do not match: unknown (-1), said once at FINE; a value is never guessed.
 */
final class DriverLoginTimeout {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  static final long UNKNOWN = -1;
  private static final int MSSQL_JDBC_DEFAULT_SECONDS = 30;
  private static volatile boolean failureLogged;

  /**
   * The two fields on the way to the properties, per channel class; null when the class has none.
   */
  private static final ClassValue<Field[]> PATH =
      new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> channelClass) {
          try {
            Field con = channelClass.getDeclaredField("con");
            con.setAccessible(true);
            Field props = findField(con.getType(), "activeConnectionProperties");
            props.setAccessible(true);
            return new Field[] {con, props};
          } catch (ReflectiveOperationException | RuntimeException e) {
            logOnce(channelClass, e);
            return null;
          }
        }
      };

  private DriverLoginTimeout() {}

  /** Milliseconds, or {@link #UNKNOWN}. Never throws. */
  static long millis(Object channel) {
    try {
      Field[] path = PATH.get(channel.getClass());
      if (path == null) {
        return UNKNOWN;
      }
      Object con = path[0].get(channel);
      Object p = con == null ? null : path[1].get(con);
      if (!(p instanceof Properties)) {
        return UNKNOWN;
      }
      return mssqlJdbcMillis((Properties) p);
    } catch (ReflectiveOperationException | RuntimeException e) {
      logOnce(channel.getClass(), e);
      return UNKNOWN;
    }
  }

  /**
   * jTDS: {@code JtdsConnection.loginTimeout} in seconds; 0 (no timeout of its own) leaves it
   * unknown.
   */
  private static final ClassValue<Field> JTDS =
      new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> connectionClass) {
          try {
            Field f = findField(connectionClass, "loginTimeout");
            f.setAccessible(true);
            return f.getType() == int.class ? f : null;
          } catch (ReflectiveOperationException | RuntimeException e) {
            logOnce(connectionClass, e);
            return null;
          }
        }
      };

  static long jtdsMillis(Object connection) {
    try {
      Field f = JTDS.get(connection.getClass());
      if (f == null) {
        return UNKNOWN;
      }
      int seconds = f.getInt(connection);
      return seconds > 0 ? seconds * 1000L : UNKNOWN;
    } catch (ReflectiveOperationException | RuntimeException e) {
      logOnce(connection.getClass(), e);
      return UNKNOWN;
    }
  }

  /** The driver's own rule, from the connection's properties. */
  static long mssqlJdbcMillis(Properties p) {
    int seconds = MSSQL_JDBC_DEFAULT_SECONDS;
    String v = p.getProperty("loginTimeout");
    if (v != null && !v.trim().isEmpty()) {
      try {
        int n = Integer.parseInt(v.trim());
        if (n > 0) {
          seconds = n;
        } else if (n < 0) {
          return UNKNOWN; // the driver refuses the connection anyway
        }
      } catch (NumberFormatException e) {
        return UNKNOWN;
      }
    }
    if ("ActiveDirectoryInteractive".equalsIgnoreCase(p.getProperty("authentication"))) {
      seconds *= 10;
    }
    return seconds * 1000L;
  }

  private static Field findField(Class<?> c, String name) throws NoSuchFieldException {
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      try {
        return k.getDeclaredField(name);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(c.getName() + "." + name);
  }

  private static void logOnce(Class<?> c, Throwable t) {
    if (!failureLogged) {
      failureLogged = true;
      LOG.log(
          Level.FINE,
          "tds-agent: the login timeout of "
              + c.getName()
              + " connections cannot be read; tds.login.timeout_ms is left out (said once)",
          t);
    }
  }
}
