package io.tdsagent.bench.client;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * The application of the whole-process benchmark, run in a forked JVM with or without an agent. Its
 * class path is this package and mssql-jdbc only. It times its own loops with {@link
 * System#nanoTime()} and prints one line per measured batch on stdout:
 *
 * <pre>
 * RESULT workload batch ops wallNanos threadCpuNanos processCpuNanos agentNanos
 * MEM    stage connections heapUsedBytes tdsagentInstances tdsagentShallowBytes
 * </pre>
 *
 * {@code agentNanos}: time spent inside the tds-agent's entry points over the batch, when it runs
 * with {@code -Dtds.selftime=true}; -1 otherwise.
 *
 * <p>Arguments are {@code key=value}: {@code url}, {@code workloads} (comma-separated names below),
 * and per workload {@code NAME.warmup} (operations, and {@code NAME.warmupSeconds}, default 15:
 * whichever ends later), {@code NAME.batches}, {@code NAME.ops} (operations per batch), {@code
 * NAME.sql}, {@code NAME.toggle=capture} (batches alternate {@code tds.capture} on and off, see
 * {@link Params#toggle}) and {@code NAME.pauseMillis}.
 *
 * <ul>
 *   <li>{@code select1}: one connection, {@code SELECT 1} round trips (executeQuery, next, getInt);
 *   <li>{@code big}: one connection, a large result read fully (every column of every row with
 *       getObject);
 *   <li>{@code login}: connect and close;
 *   <li>{@code prepared}: one connection, a PreparedStatement executed repeatedly (needs RPC on the
 *       server);
 *   <li>{@code memory}: heap used after a full GC with N connections open, after their login, after
 *       a large result on each, and after they are closed.
 * </ul>
 */
public final class BenchClient {
  private static long sink;

  private BenchClient() {}

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      args.put(eq < 0 ? a : a.substring(0, eq), eq < 0 ? "" : a.substring(eq + 1));
    }
    String url = args.get("url");
    for (String w : args.getOrDefault("workloads", "select1").split(",")) {
      Params p = new Params(w, args);
      switch (w) {
        case "select1":
          rows(url, p, "SELECT 1", false);
          break;
        case "big":
          rows(url, p, "SELECT TOP (100000) * FROM dbo.big_rows", false);
          break;
        case "prepared":
          rows(url, p, "SELECT TOP (1) * FROM dbo.big_rows WHERE id > ?", true);
          break;
        case "login":
          login(url, p);
          break;
        case "memory":
          memory(url, args);
          break;
        default:
          throw new IllegalArgumentException("unknown workload " + w);
      }
    }
    threadCpu();
    System.out.println("DONE " + (sink == 42 ? "" : "ok"));
  }

  /**
   * CPU time of each live thread over the whole run, and of the process: where an agent's cost
   * went.
   */
  private static void threadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(t.getThreadId());
      sum += Math.max(0, cpu);
      if (cpu > 10_000_000L) {
        System.out.println(
            "THREADCPU " + cpu / 1_000_000 + " ms " + t.getThreadName().replace(' ', '_'));
      }
    }
    long process =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    System.out.println(
        "THREADCPU "
            + (process - sum) / 1_000_000
            + " ms (not_a_live_java_thread:_GC,_JIT,_ended)");
  }

  /**
   * Warm-up, batch count and size of one workload, with defaults overridable from the command line.
   */
  static final class Params {
    final String name;
    final int warmup;

    /**
     * Warm-up lasts at least this long too: an exporter sends a batch every few seconds, and the
     * JIT compiles its code (and recompiles the driver's and the agent's hot paths) over the first
     * several of them.
     */
    final long warmupNanos;

    final int batches;
    final int ops;

    /**
     * {@code NAME.toggle=capture}: measured batches alternate between {@code tds.capture} on and
     * off in one process (on, off, off, on, ...: a drift over the run weighs on both alike),
     * reported as {@code NAME@on} and {@code NAME@off}. Same JIT state, same machine noise: the
     * pair differs only in what capture costs. Without an agent the pair is an A/A control.
     */
    final boolean toggle;

    /**
     * {@code NAME.pauseMillis}: idle time before each batch (export of the previous batch drains;
     * the switch's poller sees a change).
     */
    final long pauseMillis;

    final Map<String, String> args;

    Params(String name, Map<String, String> args) {
      this.name = name;
      this.args = args;
      int[] d = defaults(name);
      this.warmup = Integer.parseInt(args.getOrDefault(name + ".warmup", String.valueOf(d[0])));
      this.warmupNanos =
          (long) (Double.parseDouble(args.getOrDefault(name + ".warmupSeconds", "15")) * 1e9);
      this.batches = Integer.parseInt(args.getOrDefault(name + ".batches", String.valueOf(d[1])));
      this.ops = Integer.parseInt(args.getOrDefault(name + ".ops", String.valueOf(d[2])));
      this.toggle = "capture".equals(args.get(name + ".toggle"));
      this.pauseMillis =
          Long.parseLong(args.getOrDefault(name + ".pauseMillis", toggle ? "300" : "0"));
    }

    /**
     * Sets batch {@code b} up (capture on or off when toggling, then the pause); returns its name
     * in the results.
     */
    String batch(int b) {
      String n = name;
      if (toggle) {
        boolean on = b % 4 == 0 || b % 4 == 3;
        System.setProperty("tds.capture", on ? "on" : "off");
        n = name + (on ? "@on" : "@off");
      }
      pause(pauseMillis);
      return n;
    }

    /**
     * During warm-up, toggling switches every {@code ops} operations, so both paths are compiled
     * alike.
     */
    void warmUp(int i) {
      if (toggle && i % ops == 0) {
        System.setProperty("tds.capture", (i / ops) % 2 == 0 ? "on" : "off");
      }
    }

    private static void pause(long millis) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /**
     * Whether warm-up operation {@code i}, begun {@code since} ({@link System#nanoTime()}), is
     * still warm-up.
     */
    boolean warming(int i, long since) {
      return i < warmup || System.nanoTime() - since < warmupNanos;
    }

    String sql(String dflt) {
      return args.getOrDefault(name + ".sql", dflt);
    }

    private static int[] defaults(String name) {
      switch (name) {
        case "select1":
        case "prepared":
          return new int[] {20_000, 10, 4_000};
        case "big":
          return new int[] {
            30, 10, 1
          }; // the JIT recompiles the decoder's row path well into the first ten
        case "login":
          return new int[] {300, 10, 100};
        default:
          return new int[] {0, 0, 0};
      }
    }
  }

  /**
   * Wall time, this thread's CPU time (the driver's thread: the agent's decoding and tracing run on
   * it) and the process's CPU time (all threads: the agent's export thread, GC and JIT included)
   * over one batch. On a shared machine CPU time is far less disturbed by other load than wall
   * time.
   */
  static final class Clocks {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final java.lang.invoke.MethodHandle AGENT_NANOS = agentNanos();
    final long agent = agentNanos(AGENT_NANOS);
    final long wall = System.nanoTime();
    final long thread = THREADS.getCurrentThreadCpuTime();
    final long process = OS.getProcessCpuTime();

    void print(String name, Params p, int batch) {
      long w = System.nanoTime() - wall;
      long t = THREADS.getCurrentThreadCpuTime() - thread;
      long c = OS.getProcessCpuTime() - process;
      long a = agent < 0 ? -1 : agentNanos(AGENT_NANOS) - agent;
      System.out.println(
          "RESULT " + name + " " + batch + " " + p.ops + " " + w + " " + t + " " + c + " " + a);
    }

    /**
     * The tds-agent's {@code SelfTime.nanos()} (time the application's threads spent inside the
     * agent, with {@code -Dtds.selftime=true}), found by name: this client does not link to the
     * agent. Null without the agent.
     */
    private static java.lang.invoke.MethodHandle agentNanos() {
      try {
        Class<?> c =
            Class.forName(
                "io.tdsagent.agent.tap.SelfTime", true, ClassLoader.getSystemClassLoader());
        return java.lang.invoke.MethodHandles.publicLookup()
            .findStatic(c, "nanos", java.lang.invoke.MethodType.methodType(long.class));
      } catch (ReflectiveOperationException | LinkageError e) {
        return null;
      }
    }

    private static long agentNanos(java.lang.invoke.MethodHandle h) {
      try {
        return h == null ? -1 : (long) h.invokeExact();
      } catch (Throwable e) {
        return -1;
      }
    }
  }

  /** Warm-up, then {@code batches} timed batches of {@code ops} queries on one connection. */
  private static void rows(String url, Params p, String dflt, boolean prepared)
      throws SQLException {
    String sql = p.sql(dflt);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        PreparedStatement ps = prepared ? c.prepareStatement(sql) : null) {
      long since = System.nanoTime();
      for (int i = 0; p.warming(i, since); i++) {
        p.warmUp(i);
        sink += query(s, ps, sql, i);
      }
      for (int b = 0; b < p.batches; b++) {
        String name = p.batch(b);
        Clocks t = new Clocks();
        for (int i = 0; i < p.ops; i++) {
          sink += query(s, ps, sql, i);
        }
        t.print(name, p, b);
      }
    }
  }

  private static long query(Statement s, PreparedStatement ps, String sql, int i)
      throws SQLException {
    ResultSet rs;
    if (ps != null) {
      ps.setInt(1, i);
      rs = ps.executeQuery();
    } else {
      rs = s.executeQuery(sql);
    }
    long h = 0;
    try (ResultSet r = rs) {
      int cols = r.getMetaData().getColumnCount();
      while (r.next()) {
        for (int c = 1; c <= cols; c++) {
          Object o = r.getObject(c);
          h += o == null ? 1 : o.hashCode();
        }
      }
    }
    return h;
  }

  private static void login(String url, Params p) throws SQLException {
    long since = System.nanoTime();
    for (int i = 0; p.warming(i, since); i++) {
      p.warmUp(i);
      DriverManager.getConnection(url).close();
    }
    for (int b = 0; b < p.batches; b++) {
      String name = p.batch(b);
      Clocks t = new Clocks();
      for (int i = 0; i < p.ops; i++) {
        DriverManager.getConnection(url).close();
      }
      t.print(name, p, b);
    }
  }

  /**
   * Heap used after a full GC: before, with N connections after login (one SELECT 1 each), after a
   * large result on each, and after closing them all. With and without the agent, the difference
   * per connection is what the agent keeps per connection.
   */
  private static void memory(String url, Map<String, String> args) throws Exception {
    int n = Integer.parseInt(args.getOrDefault("memory.connections", "200"));
    String big = args.getOrDefault("memory.sql", "SELECT TOP (100000) * FROM dbo.big_rows");
    int bigEach = Integer.parseInt(args.getOrDefault("memory.bigPerConnection", "1"));
    // Warm up: classes loaded, the exporter configured, the driver's caches filled.
    for (int i = 0; i < 20; i++) {
      try (Connection c = DriverManager.getConnection(url);
          Statement s = c.createStatement()) {
        sink += query(s, null, "SELECT 1", i);
        if (i == 0) {
          sink += query(s, null, big, i);
        }
      }
    }
    Thread.sleep(500);
    mem("before", 0);
    List<Connection> open = new ArrayList<>();
    List<Statement> statements = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Connection c = DriverManager.getConnection(url);
      Statement s = c.createStatement();
      sink += query(s, null, "SELECT 1", i);
      open.add(c);
      statements.add(s);
    }
    Thread.sleep(500); // let the export thread drain its queue
    mem("after_login", n);
    for (int k = 0; k < bigEach; k++) {
      for (Statement s : statements) {
        sink += query(s, null, big, k);
      }
    }
    Thread.sleep(500);
    mem("after_big_result", n);
    for (Statement s : statements) {
      sink += query(s, null, "SELECT 1", 0);
    }
    Thread.sleep(500);
    mem("after_select1_again", n);
    for (Connection c : open) {
      c.close();
    }
    open.clear();
    statements.clear();
    Thread.sleep(500);
    mem("after_close", n);
  }

  private static void mem(String stage, int connections) throws Exception {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long[] agent = histogram("io.tdsagent.");
    System.out.println(
        "MEM " + stage + " " + connections + " " + used + " " + agent[0] + " " + agent[1]);
    for (String line : topAgentClasses()) {
      System.out.println("HISTO " + stage + " " + line);
    }
  }

  private static String histogramText() throws Exception {
    return (String)
        ManagementFactory.getPlatformMBeanServer()
            .invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                "gcClassHistogram",
                new Object[] {new String[0]},
                new String[] {String[].class.getName()});
  }

  /**
   * Instances and shallow bytes of the classes under {@code prefix} (the agent's, relocated ones
   * included).
   */
  private static long[] histogram(String prefix) throws Exception {
    long[] sum = new long[2];
    for (String line : histogramText().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[3].startsWith(prefix)) {
        sum[0] += Long.parseLong(f[1]);
        sum[1] += Long.parseLong(f[2]);
      }
    }
    return sum;
  }

  private static List<String> topAgentClasses() throws Exception {
    List<String> out = new ArrayList<>();
    for (String line : histogramText().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[3].startsWith("io.tdsagent.") && Long.parseLong(f[2]) >= 4096) {
        out.add(f[1] + " " + f[2] + " " + f[3]);
      }
    }
    return out;
  }
}
