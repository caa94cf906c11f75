package io.tdsagent.agent.export;

import com.sun.net.httpserver.HttpServer;
import io.tdsagent.bench.BenchServer;
import io.tdsagent.bench.LoginRecording;
import io.tdsagent.lab.LabServer;
import io.tdsagent.tds.conversation.ConnectionDecoder;
import io.tdsagent.trace.ConnectionTracer;
import io.tdsagent.trace.SpanPlan;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The export side of one login: the span plans a real recorded mssql-jdbc login makes (the same
 * recording as {@code LoginBenchmark}: PRELOGIN, TLS inside PRELOGIN, LOGIN7, LOGINACK, then the
 * close) turned into OpenTelemetry spans and metrics by {@link SpanPipeline} exactly as its export
 * thread does ({@link SpanPipeline#exportNow}: the SDK set up by the agent's own {@link
 * ExportSetup}, autoconfigure, the agent's sampler, wrapped exporters; the login's verdict; the
 * metrics; the wait for the exporter), then batched by the SDK's batch span processor and sent by
 * the real OTLP http/protobuf exporter over the agent's own HTTP sender to a local HTTP endpoint
 * that reads every byte and answers 200 (a collector's work is not the application's).
 *
 * <p>The benchmark's thread plays the export thread, so the JMH score is that thread's time per
 * login (mapping and metrics, plus any wait for the exporter when it falls behind). The batch span
 * processor encodes and sends on its own thread, on the other core: its CPU is not in the score. So
 * each measurement iteration also reads the process's CPU time and every thread's, and the trial
 * prints "CPU per login" for the process (the receiving endpoint's threads subtracted) and for each
 * part. {@code -prof gc} counts every thread's allocation (the endpoint's: a few KB per batch of
 * 512 spans, a few hundred bytes a login).
 *
 * <pre>
 * java -jar benchmarks/target/tds-benchmarks.jar LoginExportBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LoginExportBenchmark {
  /** {@code otel.traces.sampler} (its argument after a colon): what a user sets. */
  @Param({"parentbased_always_on"})
  public String sampler;

  private LabServer server;
  private HttpServer endpoint;

  /** The endpoint's one dispatcher thread reads into this. */
  private final byte[] sinkBuffer = new byte[64 * 1024];

  private final List<SpanPlan> plans = new ArrayList<>();
  private int spansPerLogin;
  private SpanPipeline pipeline;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private long logins;
  private boolean measuring;
  private long processCpuAtStart;
  private Map<Long, ThreadCpu> cpuAtStart;
  private final Map<String, Long> measuredCpu = new HashMap<>();
  private long measuredProcessCpu;
  private long measuredLogins;

  private static final class ThreadCpu {
    final String group;
    final long nanos;

    ThreadCpu(String group, long nanos) {
      this.group = group;
      this.nanos = nanos;
    }
  }

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    server = BenchServer.start();
    LoginRecording login =
        LoginRecording.record(server, Paths.get(System.getProperty("tds.bench.root", ".")));
    ConnectionDecoder d =
        new ConnectionDecoder(
            ConnectionTracer.fromConnect(
                login.host, login.port, login.calls.get(0).nanos, false, plans::add, () -> null));
    login.feed(d);
    for (SpanPlan p : plans) {
      spansPerLogin += count(p.resolve());
      if (Boolean.getBoolean("tds.bench.printPlans")) {
        print(p.resolve(), "");
      }
    }
    if (spansPerLogin < 5) {
      throw new IllegalStateException("the recorded login made " + plans + ": not a whole login");
    }

    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    endpoint.createContext(
        "/",
        ex -> {
          try (InputStream in = ex.getRequestBody()) {
            while (in.read(sinkBuffer) >= 0) {
              // read every byte, as a collector would, and drop it
            }
          }
          ex.getResponseHeaders().set("Content-Type", "application/x-protobuf");
          ex.sendResponseHeaders(200, -1); // an empty Export*ServiceResponse: full success
          ex.close();
        });
    endpoint.start();
    System.setProperty(
        "otel.exporter.otlp.endpoint", "http://127.0.0.1:" + endpoint.getAddress().getPort());
    // The agent's jar carries only its own sender; this class path also has the SDK's JDK one.
    System.setProperty(
        "io.opentelemetry.sdk.common.export.HttpSenderProvider",
        UrlConnectionSenderProvider.class.getName());
    int colon = sampler.indexOf(':');
    System.setProperty("otel.traces.sampler", colon < 0 ? sampler : sampler.substring(0, colon));
    if (colon >= 0) {
      System.setProperty("otel.traces.sampler.arg", sampler.substring(colon + 1));
    }
    pipeline = SpanPipeline.get();
    login();
    if (pipeline.exportSetup() == null) {
      throw new IllegalStateException("the agent's SDK was not set up: nothing to measure");
    }
    System.out.printf(
        "%n[export side] one login = %d plan(s), %d span(s); OTLP to %s%n",
        plans.size(), spansPerLogin, System.getProperty("otel.exporter.otlp.endpoint"));
  }

  private static void print(SpanPlan p, String indent) {
    System.out.println(indent + p.name() + " " + p.attributes());
    for (SpanPlan.Event e : p.events()) {
      System.out.println(indent + "  event " + e.name() + " " + e.attributes());
    }
    for (SpanPlan c : p.children()) {
      print(c, indent + "  ");
    }
  }

  private static int count(SpanPlan p) {
    int n = 1;
    for (SpanPlan c : p.children()) {
      n += count(c);
    }
    return n;
  }

  @Benchmark
  public int login() {
    for (SpanPlan p : plans) {
      pipeline.exportNow(p);
    }
    logins++;
    return spansPerLogin;
  }

  @Setup(Level.Iteration)
  public void iterationStart(IterationParams ip) {
    measuring = ip.getType() == IterationType.MEASUREMENT;
    logins = 0;
    cpuAtStart = threadCpu();
    processCpuAtStart = os.getProcessCpuTime();
  }

  @TearDown(Level.Iteration)
  public void iterationEnd() {
    long process = os.getProcessCpuTime() - processCpuAtStart;
    Map<Long, ThreadCpu> now = threadCpu();
    if (!measuring) {
      return;
    }
    for (Map.Entry<Long, ThreadCpu> e : now.entrySet()) {
      ThreadCpu before = cpuAtStart.get(e.getKey());
      long delta = e.getValue().nanos - (before == null ? 0 : before.nanos);
      measuredCpu.merge(e.getValue().group, delta, Long::sum);
    }
    measuredProcessCpu += process;
    measuredLogins += logins;
  }

  /** Java threads by part; the JVM's own (GC, JIT) are the process's CPU less all of these. */
  private Map<Long, ThreadCpu> threadCpu() {
    Map<Long, ThreadCpu> m = new HashMap<>();
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (t == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(t.getThreadId());
      if (cpu < 0) {
        continue;
      }
      m.put(t.getThreadId(), new ThreadCpu(group(t.getThreadName()), cpu));
    }
    return m;
  }

  private static String group(String name) {
    if (name.contains("jmh-worker")) {
      return "export thread (the benchmark's)";
    }
    if (name.startsWith("BatchSpanProcessor")) {
      return "batch span processor (OTLP encode, send)";
    }
    if (name.startsWith("HTTP-Dispatcher")) { // handlers run on it: no executor set
      return "receiving endpoint";
    }
    return "other Java threads";
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    ExportSetup e = pipeline.exportSetup();
    SpanPipeline.stop(); // flushes what is batched
    long sent = 0;
    long failed = 0;
    for (ReportingSpanExporter r : e.exporters) {
      sent += r.exportedSpans();
      failed += r.failedSpans();
    }
    if (measuredLogins > 0) {
      long endpointCpu = measuredCpu.getOrDefault("receiving endpoint", 0L);
      long javaThreads = 0;
      for (long v : measuredCpu.values()) {
        javaThreads += v;
      }
      double per = 1e3 * measuredLogins;
      System.out.printf(
          "%n[export side] %,d logins measured: process CPU %.2f µs per login, %.2f µs per span"
              + " (receiving endpoint's %.2f µs not counted)%n",
          measuredLogins,
          (measuredProcessCpu - endpointCpu) / per,
          (measuredProcessCpu - endpointCpu) / per / spansPerLogin,
          endpointCpu / per);
      measuredCpu.forEach(
          (group, nanos) ->
              System.out.printf("[export side]   %-45s %8.2f µs%n", group, nanos / per));
      System.out.printf(
          "[export side]   %-45s %8.2f µs%n",
          "JVM's own threads (GC, JIT)", (measuredProcessCpu - javaThreads) / per);
    }
    System.out.printf("[export side] spans sent %,d, failed %,d%n", sent, failed);
    endpoint.stop(0);
    server.close();
    if (sent == 0 || failed > 0) {
      throw new IllegalStateException("the exporter did not deliver: the figures are not valid");
    }
  }
}
