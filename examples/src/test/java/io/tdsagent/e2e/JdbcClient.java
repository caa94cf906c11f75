package io.tdsagent.e2e;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The application in the end-to-end tests: run in a forked JVM with the agent attached, it does
 * what its arguments say, as pairs of verb and value:
 * {@code connect URL} (log in, run SELECT 1, close), {@code open URL} / {@code query SQL} /
 * {@code close -} (one session, several statements), {@code capture on|off} (System.setProperty
 * while running), {@code sleep MILLIS}, {@code span NAME} (later connects run inside an
 * application span of the application's own OpenTelemetry SDK), {@code endspan -}.
 * It prints one line per step; it never prints a URL, which carries the password.
 */
public final class JdbcClient {
  private JdbcClient() {}

  public static void main(String[] args) throws Exception {
    SdkTracerProvider appTracing = null;
    Span appSpan = null;
    Scope appScope = null;
    Connection session = null;
    System.out.println("JAVA " + Runtime.version().feature());
    for (int i = 0; i + 1 < args.length; i += 2) {
      String verb = args[i];
      String value = args[i + 1];
      switch (verb) {
        case "connect":
          connect(value);
          break;
        case "open":
          session = DriverManager.getConnection(value);
          System.out.println("OPEN");
          break;
        case "query":
          query(session, value);
          break;
        case "close":
          session.close();
          break;
        case "capture":
          System.setProperty("tds.capture", value);
          System.out.println("CAPTURE " + value);
          break;
        case "sleep":
          Thread.sleep(Long.parseLong(value));
          break;
        case "span":
          appTracing = SdkTracerProvider.builder().build();
          appSpan = appTracing.get("e2e-app").spanBuilder(value).startSpan();
          appScope = appSpan.makeCurrent();
          System.out.println("APPSPAN " + appSpan.getSpanContext().getTraceId() + " " + appSpan.getSpanContext().getSpanId());
          break;
        case "endspan":
          if (appScope != null) {
            appScope.close();
            appSpan.end();
            appTracing.close();
          }
          break;
        default:
          throw new IllegalArgumentException("unknown step " + verb);
      }
    }
    System.out.println("DONE");
  }

  /** Runs SQL on the open session and prints the rows and update counts it gave, or the error. */
  private static void query(Connection c, String sql) {
    try (Statement s = c.createStatement()) {
      boolean rs = s.execute(sql);
      int rows = 0;
      while (true) {
        if (rs) {
          try (ResultSet r = s.getResultSet()) {
            while (r.next()) {
              rows++;
            }
          }
        } else if (s.getUpdateCount() < 0) {
          break;
        }
        rs = s.getMoreResults();
      }
      System.out.println("ROWS " + rows);
    } catch (SQLException e) {
      System.out.println("ERR " + e.getErrorCode() + " " + e.getMessage());
    }
  }

  private static void connect(String url) {
    try (Connection c = DriverManager.getConnection(url);
         Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      System.out.println("OK " + rs.getInt(1));
    } catch (SQLException e) {
      System.out.println("ERR " + e.getErrorCode() + " " + e.getMessage());
    }
  }
}
