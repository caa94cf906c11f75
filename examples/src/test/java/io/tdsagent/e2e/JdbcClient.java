package io.tdsagent.e2e;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The application in the end-to-end tests: run in a forked JVM with the agent attached, it does
 * what its arguments say, as pairs of verb and value: {@code connect URL} (log in, run SELECT 1,
 * close), {@code attempt URL} (the same, saying which of the login and the query failed, with the
 * exception's class), {@code open URL} / {@code query SQL} / {@code close -} (one session, several
 * statements), {@code capture on|off} (System.setProperty while running), {@code sleep MILLIS},
 * {@code say TEXT}, {@code threads -} (prints every live thread's name), {@code threadsbaseline -}
 * / {@code threadsgone -} (waits until no thread is left that the baseline did not have), {@code
 * await FILE}, {@code span NAME} (later connects run inside an application span of the
 * application's own OpenTelemetry SDK), {@code unsampledspan NAME} (the same, not sampled), {@code
 * globalspan NAME} (the same through {@code GlobalOpenTelemetry}: the OpenTelemetry Java agent's
 * SDK when it is attached), {@code endspan -}. It prints one line per step; it never prints a URL,
 * which carries the password.
 */
public final class JdbcClient {
  private JdbcClient() {}

  public static void main(String[] args) throws Exception {
    SdkTracerProvider appTracing = null;
    Span appSpan = null;
    Scope appScope = null;
    Connection session = null;
    java.util.Set<String> baseline = new java.util.TreeSet<>();
    System.out.println("JAVA " + Runtime.version().feature());
    for (int i = 0; i + 1 < args.length; i += 2) {
      String verb = args[i];
      String value = args[i + 1];
      switch (verb) {
        case "connect":
          connect(value);
          break;
        case "attempt":
          attempt(value);
          break;
        case "timed": // the same as attempt, saying when (epoch ns) the application asked and when
          // it had an answer
          System.out.println("ASKED " + epochNanos());
          attempt(value);
          System.out.println("ANSWERED " + epochNanos());
          break;
        case "attempts": // N:URL, N threads at once, each one attempt (the first use, if first)
          attempts(
              Integer.parseInt(value.substring(0, value.indexOf(':'))),
              value.substring(value.indexOf(':') + 1));
          break;
        case "open":
          session = open(value);
          System.out.println("OPEN");
          break;
        case "query":
          query(session, value);
          break;
        case "repeat": // N:SQL, N times over
          for (int n = Integer.parseInt(value.substring(0, value.indexOf(':'))); n > 0; n--) {
            query(session, value.substring(value.indexOf(':') + 1));
          }
          break;
        case "close":
          session.close();
          break;
        case "prepared":
          prepared(session, value);
          break;
        case "call":
          call(session, value);
          break;
        case "cancel":
          cancel(session, value);
          break;
        case "capture":
          System.setProperty("tds.capture", value);
          System.out.println("CAPTURE " + value);
          break;
        case "threads": // the names of all live threads, one line each
          for (Thread t : Thread.getAllStackTraces().keySet()) {
            System.out.println("THREAD " + t.getName());
          }
          break;
        case "await": // waits (up to 60 s) until the file exists: the test's go-ahead
          for (int n = 0;
              n < 1200 && !java.nio.file.Files.exists(java.nio.file.Paths.get(value));
              n++) {
            Thread.sleep(50);
          }
          System.out.println("GO");
          break;
        case "say": // a line the test waits for
          System.out.println("SAY " + value);
          break;
        case "threadsbaseline": // remembers the live threads' names
          baseline = threadNames();
          break;
        case "threadsgone": // waits (up to 60 s, collecting garbage) until no thread is alive that
          // was not in the baseline
          // but the JVM's own attach listener, then names those left over
          java.util.Set<String> extra = new java.util.TreeSet<>();
          for (int n = 0; n < 600; n++) {
            extra = threadNames();
            extra.removeAll(baseline);
            extra.remove("Attach Listener");
            if (extra.isEmpty()) {
              break;
            }
            System.gc();
            Thread.sleep(100);
          }
          System.out.println("EXTRA THREADS " + extra);
          break;
        case "sleep":
          Thread.sleep(Long.parseLong(value));
          break;
        case "span":
          appTracing = SdkTracerProvider.builder().build();
          appSpan = appTracing.get("e2e-app").spanBuilder(value).startSpan();
          appScope = appSpan.makeCurrent();
          System.out.println(
              "APPSPAN "
                  + appSpan.getSpanContext().getTraceId()
                  + " "
                  + appSpan.getSpanContext().getSpanId());
          break;
        case "unsampledspan": // as "span", in a trace the application's sampler does not record
          appTracing =
              SdkTracerProvider.builder()
                  .setSampler(io.opentelemetry.sdk.trace.samplers.Sampler.alwaysOff())
                  .build();
          appSpan = appTracing.get("e2e-app").spanBuilder(value).startSpan();
          appScope = appSpan.makeCurrent();
          System.out.println(
              "APPSPAN "
                  + appSpan.getSpanContext().getTraceId()
                  + " "
                  + appSpan.getSpanContext().getSpanId());
          break;
        case "globalspan": // as "span", through GlobalOpenTelemetry: the OpenTelemetry Java agent's
          // SDK when it runs
          appSpan =
              io.opentelemetry.api.GlobalOpenTelemetry.getTracer("e2e-app")
                  .spanBuilder(value)
                  .startSpan();
          appScope = appSpan.makeCurrent();
          System.out.println(
              "APPSPAN "
                  + appSpan.getSpanContext().getTraceId()
                  + " "
                  + appSpan.getSpanContext().getSpanId());
          break;
        case "burst": // N:URL, N connections opened at once, each held until all are open
          burst(
              Integer.parseInt(value.substring(0, value.indexOf(':'))),
              value.substring(value.indexOf(':') + 1));
          break;
        case "endspan":
          if (appScope != null) {
            appScope.close();
            appSpan.end();
            if (appTracing != null) {
              appTracing.close();
            }
          }
          break;
        default:
          throw new IllegalArgumentException("unknown step " + verb);
      }
    }
    System.out.println("DONE");
  }

  private static java.util.Set<String> threadNames() {
    java.util.Set<String> names = new java.util.TreeSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      names.add(t.getName());
    }
    return names;
  }

  /** Runs SQL on the open session and prints the rows and update counts it gave, or the error. */
  private static void query(Connection c, String sql) {
    query(c, sql, true);
  }

  private static void query(Connection c, String sql, boolean print) {
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
      if (print) {
        System.out.println("ROWS " + rows);
      }
    } catch (SQLException e) {
      System.out.println("ERR " + e.getErrorCode() + " " + e.getMessage());
    }
  }

  /**
   * A PreparedStatement run three times with ? = 1, 2, 3 (mssql-jdbc: sp_executesql, sp_prepexec,
   * sp_execute).
   */
  private static void prepared(Connection c, String sql) {
    try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 1; i <= 3; i++) {
        ps.setInt(1, i);
        int rows = 0;
        try (ResultSet r = ps.executeQuery()) {
          while (r.next()) {
            rows++;
          }
        }
        System.out.println("PREPARED " + i + " ROWS " + rows);
      }
    } catch (SQLException e) {
      System.out.println("ERR " + e.getErrorCode() + " " + e.getMessage());
    }
  }

  /** {call proc(?, ?, ?)} with 2 and 3 in, the third an INT output. */
  private static void call(Connection c, String sql) {
    try (java.sql.CallableStatement cs = c.prepareCall(sql)) {
      cs.setInt(1, 2);
      cs.setInt(2, 3);
      cs.registerOutParameter(3, java.sql.Types.INTEGER);
      cs.execute();
      System.out.println("OUT " + cs.getInt(3));
    } catch (SQLException e) {
      System.out.println("ERR " + e.getErrorCode() + " " + e.getMessage());
    }
  }

  /**
   * Runs SQL and cancels it from another thread after 300 ms; then checks the connection still
   * works.
   */
  private static void cancel(Connection c, String sql) throws Exception {
    try (Statement s = c.createStatement()) {
      Thread t =
          new Thread(
              () -> {
                try {
                  Thread.sleep(300);
                  s.cancel();
                } catch (Exception e) {
                  System.out.println("CANCEL FAILED " + e);
                }
              });
      t.start();
      try {
        s.execute(sql);
        System.out.println("NOT CANCELLED");
      } catch (SQLException e) {
        System.out.println("CANCELLED " + e.getErrorCode());
      }
      t.join();
    }
    query(c, "SELECT 1");
  }

  private static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** mssql-jdbc takes accessToken only as a Properties entry, never from the URL: move it there. */
  static Connection open(String url) throws SQLException {
    java.util.Properties props = new java.util.Properties();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile(";accessToken=([^;]*)").matcher(url);
    if (m.find()) {
      props.setProperty("accessToken", m.group(1));
      url = m.replaceFirst("");
    }
    return DriverManager.getConnection(url, props);
  }

  /**
   * One line: {@code ATTEMPT LOGIN-ERR <class> <code> <message>}, or {@code ATTEMPT LOGIN-OK} and
   * the query's outcome.
   */
  /** {@code n} threads released together, each making one {@link #attempt}; all joined. */
  private static void attempts(int n, String url) throws InterruptedException {
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<Thread> threads = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                attempt(url);
              },
              "attempt-" + i);
      threads.add(t);
      t.start();
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
  }

  private static void attempt(String url) {
    Connection c;
    try {
      c = open(url);
    } catch (SQLException e) {
      System.out.println(
          "ATTEMPT LOGIN-ERR "
              + e.getClass().getName()
              + " "
              + e.getErrorCode()
              + " "
              + e.getMessage());
      return;
    }
    String query;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      query = "QUERY-OK " + rs.getInt(1);
    } catch (SQLException e) {
      query = "QUERY-ERR " + e.getClass().getName() + " " + e.getErrorCode() + " " + e.getMessage();
    }
    try {
      c.close();
    } catch (SQLException e) {
      query += " CLOSE-ERR " + e.getClass().getName();
    }
    System.out.println("ATTEMPT LOGIN-OK " + query);
  }

  private static void connect(String url) {
    try (Connection c = open(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      System.out.println("OK " + rs.getInt(1));
    } catch (SQLException e) {
      System.out.println("ERR " + e.getErrorCode() + " " + e.getMessage());
    }
  }

  /**
   * Opens n connections at once, one thread each; each runs {@code SELECT i} and ten {@code SELECT
   * 1}, waits until all are open, and closes. Prints {@code CONN i ClientConnectionId} for each,
   * then {@code BURST ok=K failed=F}.
   */
  private static void burst(int n, String url) throws InterruptedException {
    java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(n);
    java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger failed =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ConcurrentLinkedQueue<String> out =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    List<Thread> threads = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      int id = i;
      Thread t =
          new Thread(
              () -> {
                try (Connection c = open(url)) {
                  opened.countDown();
                  query(c, "SELECT " + id, false);
                  for (int k = 0; k < 10; k++) {
                    query(c, "SELECT 1", false);
                  }
                  out.add(
                      "CONN "
                          + id
                          + " "
                          + ((com.microsoft.sqlserver.jdbc.ISQLServerConnection) c)
                              .getClientConnectionId());
                  ok.incrementAndGet();
                  opened.await(120, java.util.concurrent.TimeUnit.SECONDS);
                } catch (SQLException | InterruptedException e) {
                  opened.countDown();
                  failed.incrementAndGet();
                  out.add("ERR burst " + id + " " + e.getMessage());
                }
              },
              "burst-" + i);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    out.forEach(System.out::println);
    System.out.println("BURST ok=" + ok.get() + " failed=" + failed.get());
  }
}
