package io.tdsagent.bench;

import io.tdsagent.bench.client.BenchClient;
import io.tdsagent.lab.LabServer;
import io.tdsagent.otlp.OtlpReceiver;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The whole-process benchmark: the real mssql-jdbc in forked JVMs ({@link BenchClient}) against a
 * lab server and an OTLP/HTTP receiver running in this JVM, with and without agents, interleaved.
 * Each round forks one client per variant, in an order rotated every round; a client warms up, then
 * times batches of operations itself and prints them back. Per round, each variant's median batch
 * is divided by the median of {@code none} in the same round (paired ratios); the report gives the
 * median of those ratios over the rounds and their range. {@code none2} (no agent either) is the
 * A/A control: its ratio to {@code none} is the noise floor. {@code tds-selftime} also has the
 * agent time itself on the driver's thread (its share of each batch needs no ratio across
 * processes), and {@code --client NAME.toggle=capture} pairs batches with capture on and off inside
 * each process.
 *
 * <pre>
 * java -cp benchmarks/target/tds-benchmarks.jar io.tdsagent.bench.WholeProcess [--rounds 7]
 *     [--variants none,tds,tds-selftime,tds-noexport,tds-off,otel,both,none2] [--workloads select1,big,login]
 *     [--jvm-args "-Xms1g -Xmx1g"] [--client select1.ops=4000 ...] [--root .]
 *     [--before-jar other/tds-agent.jar]   (variants before, before-noexport: that build of the agent)
 *     [--agent-jar copy/tds-agent.jar]     (variants tds*: that build instead of agent/target/tds-agent.jar)
 *     [--pin]                               (this JVM on the first CPU, the clients on the last)
 * java -cp benchmarks/target/tds-benchmarks.jar io.tdsagent.bench.WholeProcess --workloads memory --rounds 3 \
 *     --variants none,tds,tds-off --jvm-args "-Xms1g -Xmx1g -XX:+UseSerialGC"
 * </pre>
 *
 * Run from the project root after {@code mvn -B -q install -DskipTests}. Raw results go to {@code
 * benchmarks/target/whole-process/<time>/} (one CSV line per batch, each client's stderr).
 */
public final class WholeProcess {
  /** The variants; each is extra JVM flags for the client. */
  static final List<String> ALL_VARIANTS =
      List.of(
          "none",
          "tds",
          "tds-selftime",
          "tds-all",
          "tds-noexport",
          "tds-off",
          "otel",
          "both",
          "none2",
          "before",
          "before-noexport");

  private final Path root;
  private final Path outDir;
  private final String java;
  private final List<String> jvmArgs;
  private final List<String> clientArgs;
  private final PrintStream out;
  private String endpoint;

  /**
   * Another build of the agent (e.g. main's) for the {@code before*} variants: before/after in one
   * interleaved run.
   */
  private Path beforeJar;

  /**
   * {@code --agent-jar}: the tds-agent build to measure, when not the project's own (a copy stays
   * put while you rebuild).
   */
  private Path agentJar;

  /**
   * {@code --pin}: this JVM (lab server, receiver) on the first CPU, each client on the last, as a
   * database on another machine would be. Without it the scheduler places the client's and server's
   * threads differently with and without an agent's extra busy thread, and on a VM that alone
   * changes a loopback round trip's cost twofold.
   */
  private boolean pin;

  /** The machine's CPUs, read before {@code --pin} narrows this JVM to one. */
  private static final int CPUS = Runtime.getRuntime().availableProcessors();

  WholeProcess(
      Path root,
      Path outDir,
      String java,
      List<String> jvmArgs,
      List<String> clientArgs,
      PrintStream out) {
    this.root = root;
    this.outDir = outDir;
    this.java = java;
    this.jvmArgs = jvmArgs;
    this.clientArgs = clientArgs;
    this.out = out;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, List<String>> a = parse(argv);
    Path root = Paths.get(one(a, "root", ".")).toAbsolutePath().normalize();
    int rounds = Integer.parseInt(one(a, "rounds", "5"));
    List<String> variants =
        List.of(one(a, "variants", "none,tds,tds-noexport,tds-off,otel,both,none2").split(","));
    List<String> workloads = List.of(one(a, "workloads", "select1,big,login").split(","));
    List<String> jvm = List.of(one(a, "jvm-args", "-Xms1g -Xmx1g").trim().split("\\s+"));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path outDir =
        Paths.get(
            one(a, "out", root.resolve("benchmarks/target/whole-process/" + stamp).toString()));
    WholeProcess wp =
        new WholeProcess(
            root,
            outDir,
            one(a, "java", Paths.get(System.getProperty("java.home"), "bin", "java").toString()),
            jvm,
            a.getOrDefault("client", List.of()),
            System.out);
    wp.pin = a.containsKey("pin");
    if (a.containsKey("agent-jar")) {
      wp.agentJar = Paths.get(one(a, "agent-jar", "")).toAbsolutePath();
    }
    if (a.containsKey("before-jar")) {
      wp.beforeJar = Paths.get(one(a, "before-jar", "")).toAbsolutePath();
    }
    Report r = wp.run(rounds, variants, workloads);
    System.out.println();
    System.out.println(r.markdown());
    Files.writeString(outDir.resolve("report.md"), r.markdown());
    System.out.println("raw results: " + outDir);
  }

  Report run(int rounds, List<String> variants, List<String> workloads) throws Exception {
    for (String v : variants) {
      if (!ALL_VARIANTS.contains(v)) {
        throw new IllegalArgumentException("unknown variant " + v + "; known: " + ALL_VARIANTS);
      }
    }
    Files.createDirectories(outDir);
    if (pin) {
      run("taskset", "-a", "-p", "-c", "0", String.valueOf(ProcessHandle.current().pid()));
    }
    Report report = new Report(variants, workloads);
    AtomicLong spans = new AtomicLong();
    try (LabServer server = BenchServer.start();
        OtlpReceiver receiver = OtlpReceiver.start(0)) {
      // Count and forget: the receiver would otherwise keep every span of every run.
      receiver.onBatch(
          batch -> {
            spans.addAndGet(batch.size());
            receiver.clear();
          });
      endpoint = receiver.endpoint();
      String url = BenchServer.url(server);
      out.println(
          "lab server "
              + server
              + "; OTLP receiver "
              + endpoint
              + "; "
              + Runtime.getRuntime().availableProcessors()
              + " cpus; java "
              + System.getProperty("java.version")
              + "; client JVM flags "
              + jvmArgs);
      try (PrintStream csv =
          new PrintStream(Files.newOutputStream(outDir.resolve("batches.csv")), true, "UTF-8")) {
        csv.println(
            "round,variant,workload,batch,ops,wall_nanos,thread_cpu_nanos,process_cpu_nanos");
        for (int round = 0; round < rounds; round++) {
          // One fork per workload: a workload never inherits another's export backlog or JIT state.
          for (String workload : workloads) {
            for (int i = 0; i < variants.size(); i++) {
              String v = variants.get((i + round) % variants.size());
              spans.set(0);
              long t0 = System.nanoTime();
              Fork f = fork(round, v, url, List.of(workload));
              // The client exports its last spans in a shutdown hook; give the receiver a moment to
              // count them.
              Thread.sleep(200);
              report.add(round, v, f);
              for (String[] r : f.results) {
                csv.println(round + "," + v + "," + String.join(",", r));
              }
              out.printf(
                  Locale.ROOT,
                  "round %d %-13s %5.1f s  %s  spans received %d%s%n",
                  round,
                  v,
                  (System.nanoTime() - t0) / 1e9,
                  f.summary(),
                  spans.get(),
                  f.warnings.isEmpty() ? "" : "  WARN " + f.warnings);
            }
          }
        }
      }
    }
    return report;
  }

  /** JVM flags of a variant. */
  List<String> variantFlags(String variant) {
    String tds =
        "-javaagent:"
            + (variant.startsWith("before")
                ? beforeJar
                : agentJar != null ? agentJar : root.resolve("agent/target/tds-agent.jar"));
    String otel = "-javaagent:" + root.resolve("benchmarks/target/lib/opentelemetry-javaagent.jar");
    List<String> export =
        List.of(
            "-Dotel.exporter.otlp.endpoint=" + endpoint,
            "-Dotel.exporter.otlp.protocol=http/protobuf",
            "-Dotel.service.name=tds-bench");
    List<String> f = new ArrayList<>();
    switch (variant) {
      case "none":
      case "none2":
        break;
      case "tds":
      case "before":
        f.add(tds);
        f.addAll(export);
        break;
      case "tds-selftime":
        f.add(tds);
        f.add("-Dtds.selftime=true");
        f.addAll(export);
        break;
      case "tds-all":
        f.add(tds);
        f.add("-Dtds.requests.max_per_second=unlimited");
        f.addAll(export);
        break;
      case "tds-noexport":
      case "before-noexport":
        f.add(tds);
        f.add("-Dotel.traces.exporter=none");
        break;
      case "tds-off":
        f.add(tds);
        f.add("-Dtds.capture=off");
        f.addAll(export);
        break;
      case "otel":
      case "both":
        f.add(otel);
        if (variant.equals("both")) {
          f.add(tds);
        }
        f.addAll(export);
        f.add("-Dotel.metrics.exporter=none");
        f.add("-Dotel.logs.exporter=none");
        break;
      default:
        throw new IllegalArgumentException(variant);
    }
    return f;
  }

  /** One forked client: its RESULT lines (workload, batch, ops, nanos) and MEM lines. */
  static final class Fork {
    final List<String[]> results = new ArrayList<>();
    final List<String[]> mem = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    String summary() {
      Map<String, List<Double>> per = new LinkedHashMap<>();
      for (String[] r : results) {
        per.computeIfAbsent(r[0], k -> new ArrayList<>())
            .add(Double.parseDouble(r[3]) / Double.parseDouble(r[2]));
      }
      StringBuilder sb = new StringBuilder();
      per.forEach(
          (w, v) ->
              sb.append(String.format(Locale.ROOT, "%s %.1f us/op  ", w, Stats.median(v) / 1e3)));
      for (String[] m : mem) {
        sb.append(m[0]).append('=').append(Long.parseLong(m[2]) / 1024).append("KiB ");
      }
      return sb.toString().trim();
    }
  }

  Fork fork(int round, String variant, String url, List<String> workloads)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    if (pin) {
      cmd.addAll(List.of("taskset", "-c", String.valueOf(CPUS - 1)));
    }
    cmd.add(java);
    cmd.addAll(jvmArgs);
    cmd.addAll(variantFlags(variant));
    cmd.add("-cp");
    cmd.add(clientClassPath());
    cmd.add(BenchClient.class.getName());
    cmd.add("url=" + url);
    cmd.add("workloads=" + String.join(",", workloads));
    cmd.addAll(clientArgs);
    String name = "round" + round + "-" + variant + "-" + String.join("+", workloads);
    Path err = outDir.resolve(name + ".stderr.txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(err.toFile());
    Files.writeString(outDir.resolve(name + ".cmd.txt"), String.join(" ", cmd) + "\n");
    Process p = pb.start();
    Fork f = new Fork();
    boolean done = false;
    try (BufferedReader r =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintStream copy =
            new PrintStream(
                Files.newOutputStream(outDir.resolve(name + ".stdout.txt")), true, "UTF-8")) {
      String line;
      while ((line = r.readLine()) != null) {
        copy.println(line);
        String[] t = line.split(" ");
        if (t[0].equals("RESULT")) {
          f.results.add(Arrays.copyOfRange(t, 1, t.length));
        } else if (t[0].equals("MEM")) {
          f.mem.add(Arrays.copyOfRange(t, 1, t.length));
        } else if (t[0].equals("DONE")) {
          done = true;
        }
      }
    }
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException(variant + ": client did not finish");
    }
    if (p.exitValue() != 0 || !done) {
      throw new IllegalStateException(
          variant + ": client failed (exit " + p.exitValue() + "), see " + err + ":\n" + tail(err));
    }
    for (String line : Files.readAllLines(err)) {
      String l = line.toLowerCase(Locale.ROOT);
      if (l.contains("dropped")
          || l.contains("queue full")
          || l.contains("internal error")
          || l.contains("failed to export")) {
        f.warnings.add(line.trim());
      }
    }
    return f;
  }

  private static String tail(Path p) throws IOException {
    List<String> lines = Files.readAllLines(p);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /**
   * This package's client classes and mssql-jdbc: nothing else (no OpenTelemetry API on the
   * application's path).
   */
  String clientClassPath() {
    return clientClassPath(root);
  }

  static String clientClassPath(Path root) {
    Path clientJar = root.resolve("benchmarks/target/tds-bench-client.jar");
    Path driver = root.resolve("benchmarks/target/lib/mssql-jdbc.jar");
    for (Path p : List.of(clientJar, driver, root.resolve("agent/target/tds-agent.jar"))) {
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(
            "missing " + p + ": run mvn -B -q install -DskipTests from the project root");
      }
    }
    return clientJar + File.pathSeparator + driver;
  }

  // ---- report ----------------------------------------------------------------------------------

  /** Medians per fork, ratios paired by round. */
  static final class Report {
    final List<String> variants;
    final List<String> workloads;

    /**
     * What each RESULT line measures per batch: wall time, the driver thread's CPU time, the
     * process's CPU time.
     */
    static final String[] METRICS = {"wall", "thread", "process"};

    /** workload|metric -> variant -> round -> median ns/op of that fork's batches. */
    final Map<String, Map<String, Map<Integer, Double>>> perOp = new LinkedHashMap<>();

    /** stage -> variant -> round -> (heap used at stage - heap used before) / connections. */
    final Map<String, Map<String, Map<Integer, Double>>> memPerConn = new LinkedHashMap<>();

    final Map<String, Map<String, Map<Integer, Double>>> agentShallowPerConn =
        new LinkedHashMap<>();

    /**
     * {@code tds-selftime}: workload -> variant -> round -> {agent ns/op, agent / wall, agent /
     * driver-thread CPU}, medians.
     */
    final Map<String, Map<String, Map<Integer, double[]>>> agentTime = new LinkedHashMap<>();

    /**
     * Toggled forks: workload|metric -> variant -> per adjacent batch pair, capture on / capture
     * off.
     */
    final Map<String, Map<String, List<Double>>> toggled = new LinkedHashMap<>();

    /**
     * Toggled forks: workload|metric -> variant -> {sum of on batches, sum of off batches}, per op.
     */
    final Map<String, Map<String, double[]>> toggledSums = new LinkedHashMap<>();

    Report(List<String> variants, List<String> workloads) {
      this.variants = variants;
      this.workloads = workloads;
    }

    void add(int round, String variant, Fork f) {
      Map<String, List<Double>> per = new LinkedHashMap<>();
      for (String[] r : f.results) {
        double ops = Double.parseDouble(r[2]);
        for (int m = 0; m < METRICS.length; m++) {
          per.computeIfAbsent(r[0] + "|" + METRICS[m], k -> new ArrayList<>())
              .add(Double.parseDouble(r[3 + m]) / ops);
        }
      }
      per.forEach(
          (w, v) ->
              perOp
                  .computeIfAbsent(w, k -> new LinkedHashMap<>())
                  .computeIfAbsent(variant, k -> new TreeMap<>())
                  .put(round, Stats.median(v)));
      addToggled(variant, f);
      addAgentTime(round, variant, f);
      String[] before = null;
      for (String[] m : f.mem) {
        if (m[0].equals("before")) {
          before = m;
        } else if (before != null) {
          double n = Double.parseDouble(m[1]);
          memPerConn
              .computeIfAbsent(m[0], k -> new LinkedHashMap<>())
              .computeIfAbsent(variant, k -> new TreeMap<>())
              .put(round, (Long.parseLong(m[2]) - Long.parseLong(before[2])) / n);
          agentShallowPerConn
              .computeIfAbsent(m[0], k -> new LinkedHashMap<>())
              .computeIfAbsent(variant, k -> new TreeMap<>())
              .put(round, (Long.parseLong(m[4]) - Long.parseLong(before[4])) / n);
        }
      }
    }

    /**
     * Batches that report the agent's own time ({@code -Dtds.selftime=true}): its share of each
     * batch.
     */
    private void addAgentTime(int round, String variant, Fork f) {
      Map<String, List<double[]>> per = new LinkedHashMap<>();
      for (String[] r : f.results) {
        if (r.length > 6 && Long.parseLong(r[6]) >= 0) {
          double ops = Double.parseDouble(r[2]);
          double agent = Double.parseDouble(r[6]);
          per.computeIfAbsent(r[0], k -> new ArrayList<>())
              .add(
                  new double[] {
                    agent / ops, agent / Double.parseDouble(r[3]), agent / Double.parseDouble(r[4])
                  });
        }
      }
      per.forEach(
          (w, rows) -> {
            double[] med = new double[3];
            for (int i = 0; i < 3; i++) {
              List<Double> v = new ArrayList<>();
              for (double[] x : rows) {
                v.add(x[i]);
              }
              med[i] = Stats.median(v);
            }
            agentTime
                .computeIfAbsent(w, k -> new LinkedHashMap<>())
                .computeIfAbsent(variant, k -> new TreeMap<>())
                .put(round, med);
          });
    }

    /**
     * Batches of a fork run with {@code NAME.toggle=capture} come in pairs (batch 2k and 2k+1, one
     * with capture on, one off, in the same process): the ratio of each pair, and of the sums.
     */
    private void addToggled(String variant, Fork f) {
      Map<String, String[]> byBatch = new LinkedHashMap<>();
      for (String[] r : f.results) {
        if (r[0].endsWith("@on") || r[0].endsWith("@off")) {
          byBatch.put(r[1], r);
        }
      }
      for (int b = 0;
          byBatch.containsKey(String.valueOf(b)) && byBatch.containsKey(String.valueOf(b + 1));
          b += 2) {
        String[] x = byBatch.get(String.valueOf(b));
        String[] y = byBatch.get(String.valueOf(b + 1));
        String[] on = x[0].endsWith("@on") ? x : y;
        String[] off = on == x ? y : x;
        if (on == off || !off[0].endsWith("@off")) {
          continue;
        }
        String w = on[0].substring(0, on[0].length() - 3);
        for (int m = 0; m < METRICS.length; m++) {
          double a = Double.parseDouble(on[3 + m]) / Double.parseDouble(on[2]);
          double c = Double.parseDouble(off[3 + m]) / Double.parseDouble(off[2]);
          toggled
              .computeIfAbsent(w + "|" + METRICS[m], k -> new LinkedHashMap<>())
              .computeIfAbsent(variant, k -> new ArrayList<>())
              .add(a / c);
          double[] sums =
              toggledSums
                  .computeIfAbsent(w + "|" + METRICS[m], k -> new LinkedHashMap<>())
                  .computeIfAbsent(variant, k -> new double[2]);
          sums[0] += a;
          sums[1] += c;
        }
      }
    }

    /** Median and range over rounds of variant / none, paired by round. */
    double[] ratio(String workload, String variant) {
      Map<String, Map<Integer, Double>> w = perOp.get(workload);
      if (w == null || w.get("none") == null || w.get(variant) == null) {
        return null;
      }
      List<Double> r = new ArrayList<>();
      for (Map.Entry<Integer, Double> e : w.get(variant).entrySet()) {
        Double base = w.get("none").get(e.getKey());
        if (base != null) {
          r.add(e.getValue() / base);
        }
      }
      return r.isEmpty()
          ? null
          : new double[] {Stats.median(r), Stats.min(r), Stats.max(r), r.size()};
    }

    String markdown() {
      StringBuilder sb = new StringBuilder();
      if (!perOp.isEmpty()) {
        sb.append(
            "Per op: median over rounds of each fork's median batch. Ratios: variant / none of the same round, "
                + "median over rounds [min .. max].\n\n");
        sb.append(
            "| workload | variant | wall per op | wall ratio | driver-thread CPU per op | thread CPU ratio "
                + "| process CPU per op | process CPU ratio | rounds |\n");
        sb.append("|---|---|---:|---|---:|---|---:|---|---:|\n");
        for (String w : workloads()) {
          for (String v : variants) {
            Map<Integer, Double> m = perOp.get(w + "|wall").get(v);
            if (m == null) {
              continue;
            }
            sb.append("| ").append(w).append(" | ").append(v);
            for (String metric : METRICS) {
              Map<Integer, Double> mm = perOp.get(w + "|" + metric).get(v);
              double med = Stats.median(new ArrayList<>(mm.values()));
              double[] r = ratio(w + "|" + metric, v);
              sb.append(" | ")
                  .append(time(med))
                  .append(" | ")
                  .append(
                      r == null
                          ? ""
                          : String.format(Locale.ROOT, "%.3f [%.3f .. %.3f]", r[0], r[1], r[2]));
            }
            sb.append(" | ").append(m.size()).append(" |\n");
          }
        }
      }
      if (!agentTime.isEmpty()) {
        sb.append(
            "\nTime the driver's thread spent inside the agent (`-Dtds.selftime=true`, wall clock inside the entry "
                + "points), per op and as a share of the same batches' wall time and driver-thread CPU: median over rounds "
                + "[min .. max] of each fork's median batch.\n\n");
        sb.append(
            "| workload | variant | agent per op | share of wall | share of driver-thread CPU | rounds |\n");
        sb.append("|---|---|---:|---|---|---:|\n");
        agentTime.forEach(
            (w, byVariant) ->
                byVariant.forEach(
                    (v, rounds) -> {
                      sb.append("| ").append(w).append(" | ").append(v).append(" | ");
                      List<Double> perOpNs = new ArrayList<>();
                      rounds.values().forEach(x -> perOpNs.add(x[0]));
                      sb.append(time(Stats.median(perOpNs)));
                      for (int i = 1; i < 3; i++) {
                        List<Double> share = new ArrayList<>();
                        final int k = i;
                        rounds.values().forEach(x -> share.add(x[k] * 100));
                        sb.append(
                            String.format(
                                Locale.ROOT,
                                " | %.2f%% [%.2f .. %.2f]",
                                Stats.median(share),
                                Stats.min(share),
                                Stats.max(share)));
                      }
                      sb.append(" | ").append(rounds.size()).append(" |\n");
                    }));
      }
      if (!toggled.isEmpty()) {
        sb.append(
            "\nCapture on / capture off in the same process (`NAME.toggle=capture`), per pair of adjacent batches: "
                + "median [min .. max] over all pairs of all rounds; \"sums\": total per op with capture on / total off. "
                + "Without an agent (`none`, `none2`) the pair is an A/A control.\n\n");
        sb.append(
            "| workload | variant | pairs | wall on/off | wall sums | driver-thread CPU on/off | thread sums "
                + "| process CPU on/off | process sums |\n");
        sb.append("|---|---|---:|---|---:|---|---:|---|---:|\n");
        for (String key : toggled.keySet()) {
          if (!key.endsWith("|wall")) {
            continue;
          }
          String w = key.substring(0, key.indexOf('|'));
          for (String v : variants) {
            List<Double> pairs = toggled.get(key).get(v);
            if (pairs == null) {
              continue;
            }
            sb.append("| ").append(w).append(" | ").append(v).append(" | ").append(pairs.size());
            for (String metric : METRICS) {
              List<Double> r = toggled.get(w + "|" + metric).get(v);
              double[] sums = toggledSums.get(w + "|" + metric).get(v);
              sb.append(
                  String.format(
                      Locale.ROOT,
                      " | %.3f [%.3f .. %.3f] | %.3f",
                      Stats.median(r),
                      Stats.min(r),
                      Stats.max(r),
                      sums[0] / sums[1]));
            }
            sb.append(" |\n");
          }
        }
      }
      if (!memPerConn.isEmpty()) {
        sb.append(
            "\n| stage | variant | heap per connection (median) | minus none | io.tdsagent.* shallow per connection |\n");
        sb.append("|---|---|---:|---:|---:|\n");
        for (String stage : memPerConn.keySet()) {
          Map<String, Map<Integer, Double>> s = memPerConn.get(stage);
          for (String v : variants) {
            Map<Integer, Double> m = s.get(v);
            if (m == null) {
              continue;
            }
            List<Double> diffs = new ArrayList<>();
            if (s.get("none") != null) {
              for (Map.Entry<Integer, Double> e : m.entrySet()) {
                Double base = s.get("none").get(e.getKey());
                if (base != null) {
                  diffs.add(e.getValue() - base);
                }
              }
            }
            double shallow =
                Stats.median(new ArrayList<>(agentShallowPerConn.get(stage).get(v).values()));
            sb.append(
                String.format(
                    Locale.ROOT,
                    "| %s | %s | %.0f B | %s | %.0f B |\n",
                    stage,
                    v,
                    Stats.median(new ArrayList<>(m.values())),
                    diffs.isEmpty()
                        ? ""
                        : String.format(
                            Locale.ROOT,
                            "%+.0f B (%.0f .. %.0f)",
                            Stats.median(diffs),
                            Stats.min(diffs),
                            Stats.max(diffs)),
                    shallow));
          }
        }
      }
      return sb.toString();
    }

    private List<String> workloads() {
      List<String> w = new ArrayList<>();
      for (String k : perOp.keySet()) {
        String name = k.substring(0, k.indexOf('|'));
        if (!w.contains(name)) {
          w.add(name);
        }
      }
      return w;
    }

    private static String time(double nanos) {
      return nanos >= 1e6
          ? String.format(Locale.ROOT, "%.2f ms", nanos / 1e6)
          : String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(
          String.join(" ", cmd) + " failed (exit " + p.exitValue() + ")");
    }
  }

  // ---- arguments -------------------------------------------------------------------------------

  private static Map<String, List<String>> parse(String[] argv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    String key = null;
    for (String s : argv) {
      if (s.startsWith("--")) {
        key = s.substring(2);
        m.computeIfAbsent(key, k -> new ArrayList<>());
      } else if (key != null) {
        m.get(key).add(s);
      } else {
        throw new IllegalArgumentException("unexpected " + s);
      }
    }
    return m;
  }

  private static String one(Map<String, List<String>> m, String key, String dflt) {
    List<String> v = m.get(key);
    return v == null || v.isEmpty() ? dflt : String.join(" ", v);
  }
}
