package io.tdsagent.e2e;

import io.r2dbc.mssql.MssqlConnectionConfiguration;
import io.r2dbc.mssql.MssqlConnectionFactory;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The reactive application in the end-to-end tests (r2dbc-mssql on Netty), run in a forked JVM with
 * the agent attached. Steps are pairs of verb and value: {@code open
 * host=..;port=..;database=..;user=..;
 * password=..;ssl=true|false;app=..;cursors=false;connectTimeout=MS} (log in; a failed login prints
 * {@code LOGIN FAILED}), {@code query SQL} (prints each row and {@code ROWS n}, or {@code ERROR
 * number}), {@code repeat N:SQL} (wall time of N runs), {@code close -}. It never prints the
 * settings.
 */
public final class R2dbcClient {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private R2dbcClient() {}

  public static void main(String[] args) {
    Connection session = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String verb = args[i];
      String value = args[i + 1];
      switch (verb) {
        case "open":
          try {
            session = Mono.from(factory(value).create()).block(WAIT);
            System.out.println("OPEN");
          } catch (R2dbcException e) {
            System.out.println("LOGIN FAILED " + e.getErrorCode() + " " + e.getMessage());
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
              System.out.println("  CAUSE " + c);
            }
          }
          break;
        case "query":
          if (session != null) {
            query(session, value);
          }
          break;
        case "repeat": // N:SQL, N times over, rows not printed; prints the wall time
          if (session != null) {
            int n = Integer.parseInt(value.substring(0, value.indexOf(':')));
            String sql = value.substring(value.indexOf(':') + 1);
            long t0 = System.nanoTime();
            for (int k = 0; k < n; k++) {
              Connection c = session;
              Flux.from(c.createStatement(sql).execute())
                  .flatMap(result -> result.getRowsUpdated())
                  .blockLast(WAIT);
            }
            System.out.println("REPEAT " + n + " " + (System.nanoTime() - t0) / 1_000_000 + " ms");
          }
          break;
        case "close":
          if (session != null) {
            Mono.from(session.close()).block(WAIT);
            System.out.println("CLOSED");
          }
          break;
        default:
          throw new IllegalArgumentException("unknown step " + verb);
      }
    }
    System.out.println("DONE");
  }

  private static MssqlConnectionFactory factory(String settings) {
    Map<String, String> s = new HashMap<>();
    for (String kv : settings.split(";")) {
      int eq = kv.indexOf('=');
      s.put(kv.substring(0, eq), kv.substring(eq + 1));
    }
    MssqlConnectionConfiguration.Builder b =
        MssqlConnectionConfiguration.builder()
            .host(s.get("host"))
            .port(Integer.parseInt(s.get("port")))
            .database(s.get("database"))
            .username(s.get("user"))
            .password(s.get("password"))
            .applicationName(s.getOrDefault("app", "r2dbc-e2e"))
            .connectTimeout(
                Duration.ofMillis(Long.parseLong(s.getOrDefault("connectTimeout", "20000"))))
            // SELECTs run through sp_cursoropen unless told otherwise; the lab server has no server
            // cursors.
            .preferCursoredExecution(Boolean.parseBoolean(s.getOrDefault("cursors", "false")));
    if (Boolean.parseBoolean(s.get("ssl"))) {
      b.enableSsl().trustServerCertificate();
    }
    return new MssqlConnectionFactory(b.build());
  }

  private static void query(Connection session, String sql) {
    try {
      List<String> rows =
          Flux.from(session.createStatement(sql).execute())
              .flatMap(
                  result ->
                      result.map(
                          (row, meta) -> {
                            List<String> cells = new ArrayList<>();
                            for (int c = 0; c < meta.getColumnMetadatas().size(); c++) {
                              cells.add(String.valueOf(row.get(c)));
                            }
                            return String.join("|", cells);
                          }))
              .collectList()
              .block(WAIT);
      for (String r : rows) {
        System.out.println("ROW " + r);
      }
      System.out.println("ROWS " + rows.size());
    } catch (R2dbcException e) {
      System.out.println("ERROR " + e.getErrorCode() + " " + e.getMessage());
    }
  }
}
