package io.tdsagent.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link JdbcClient} (or another main) in a new JVM with {@code
 * -javaagent:agent/target/tds-agent.jar}, as a user would, exporting over OTLP/HTTP to the given
 * endpoint. Output is kept for assertions (and for the canary checks: what the agent logs goes to
 * stderr).
 */
final class AgentProcess {
  static final Path AGENT_JAR =
      Paths.get(System.getProperty("tds.agent.jar", "../agent/target/tds-agent.jar"));

  private final Map<String, String> props = new LinkedHashMap<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<String> steps = new ArrayList<>();
  private final List<String> jvmArgs = new ArrayList<>();
  private String javaHome = System.getProperty("java.home");
  private boolean agent = true;

  /** Attached first, before tds-agent; as its extension when {@link #extension}. */
  private Path otelAgent;

  private boolean extension;
  private Path driverJar;
  private String mainClass = JdbcClient.class.getName();
  private boolean isolated;
  private boolean belowPlatform;

  static AgentProcess exportingTo(String endpoint) {
    AgentProcess p = new AgentProcess();
    p.prop("otel.exporter.otlp.endpoint", endpoint)
        .prop("otel.exporter.otlp.protocol", "http/protobuf")
        .prop("otel.bsp.schedule.delay", "50")
        .prop("otel.service.name", "tds-e2e");
    return p;
  }

  /** The agent with no settings at all: what it does by default. */
  static AgentProcess bare() {
    return new AgentProcess();
  }

  AgentProcess prop(String key, String value) {
    props.put(key, value);
    return this;
  }

  AgentProcess env(String key, String value) {
    env.put(key, value);
    return this;
  }

  AgentProcess javaHome(String home) {
    this.javaHome = home;
    return this;
  }

  /** Runs the application with this mssql-jdbc jar instead of the build's own version. */
  AgentProcess driver(Path jar) {
    this.driverJar = jar;
    return this;
  }

  /**
   * Runs another application main (e.g. {@link R2dbcClient}) with the same class path and steps.
   */
  AgentProcess mainClass(Class<?> main) {
    this.mainClass = main.getName();
    return this;
  }

  /**
   * The application in a class loader of its own ({@link IsolatedLauncher}), its libraries hidden
   * from the agent's.
   */
  AgentProcess isolated() {
    this.isolated = true;
    return this;
  }

  /**
   * The application in a class loader whose parent is the platform loader, as an application
   * server's web-app or module loader: it sees neither the system class path nor the agent's
   * classes.
   */
  AgentProcess isolatedBelowPlatform() {
    this.isolated = true;
    this.belowPlatform = true;
    return this;
  }

  AgentProcess jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  static final Path OTEL_AGENT_JAR = Paths.get("target", "otel", "opentelemetry-javaagent.jar");

  /**
   * {@code -javaagent:opentelemetry-javaagent.jar} first, then {@code -javaagent:tds-agent.jar}.
   */
  AgentProcess besideOtelAgent() {
    this.otelAgent = OTEL_AGENT_JAR;
    return this;
  }

  /**
   * {@code -javaagent:opentelemetry-javaagent.jar -Dotel.javaagent.extensions=tds-agent.jar}, as
   * the README says.
   */
  AgentProcess asOtelExtension() {
    this.otelAgent = OTEL_AGENT_JAR;
    this.extension = true;
    return this;
  }

  AgentProcess withoutAgent() {
    this.agent = false;
    return this;
  }

  AgentProcess step(String verb, String value) {
    steps.add(verb);
    steps.add(value);
    return this;
  }

  AgentProcess connect(String url) {
    return step("connect", url);
  }

  Result run() throws IOException, InterruptedException {
    if (agent && !Files.isRegularFile(AGENT_JAR)) {
      throw new IllegalStateException(
          "no agent jar at " + AGENT_JAR.toAbsolutePath() + ": build with mvn package first");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(javaHome, "bin", "java").toString());
    if (otelAgent != null) {
      if (!Files.isRegularFile(otelAgent)) {
        throw new IllegalStateException(
            "no OpenTelemetry Java agent at "
                + otelAgent.toAbsolutePath()
                + ": the examples build copies it there (mvn generate-test-resources)");
      }
      cmd.add("-javaagent:" + otelAgent.toAbsolutePath());
    }
    if (agent && extension) {
      cmd.add("-Dotel.javaagent.extensions=" + AGENT_JAR.toAbsolutePath());
    } else if (agent) {
      cmd.add("-javaagent:" + AGENT_JAR.toAbsolutePath());
    }
    cmd.add("-Xmx256m");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.addAll(jvmArgs);
    for (Map.Entry<String, String> e : props.entrySet()) {
      cmd.add("-D" + e.getKey() + "=" + e.getValue());
    }
    Path launcherDir = null;
    if (isolated) {
      launcherDir = Files.createTempDirectory("tds-e2e-launcher");
      String name = IsolatedLauncher.class.getName().replace('.', '/') + ".class";
      Path target = launcherDir.resolve(name);
      Files.createDirectories(target.getParent());
      try (java.io.InputStream in =
          IsolatedLauncher.class.getClassLoader().getResourceAsStream(name)) {
        Files.copy(in, target);
      }
      cmd.add("-Dtds.e2e.app.cp=" + classPath());
      cmd.add("-Dtds.e2e.app.main=" + mainClass);
      if (belowPlatform) {
        cmd.add("-Dtds.e2e.app.parent=platform");
      }
      cmd.add("-cp");
      cmd.add(launcherDir.toString());
      cmd.add(IsolatedLauncher.class.getName());
    } else {
      cmd.add("-cp");
      cmd.add(classPath());
      cmd.add(mainClass);
    }
    cmd.addAll(steps);
    Path out = Files.createTempFile("tds-e2e", ".out");
    Path err = Files.createTempFile("tds-e2e", ".err");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TDS_"));
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("forked JVM did not finish in 120 s: " + String.join(" ", cmd));
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      if (launcherDir != null) {
        try (java.util.stream.Stream<Path> files = Files.walk(launcherDir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }

  private String classPath() {
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Paths.get(e).getFileName().toString();
      // the trace model and the replay tool are on the tests' class path (the live == replay test),
      // not an
      // application's: the agent brings its own trace model
      if (e.contains("/trace/target/")
          || e.contains("/replay/target/")
          || name.startsWith("tds-trace-")
          || name.startsWith("tds-replay-")) {
        continue;
      }
      entries.add(driverJar != null && name.startsWith("mssql-jdbc-") ? driverJar.toString() : e);
    }
    return String.join(File.pathSeparator, entries);
  }

  /** An application span's ids, as the forked application printed them. */
  record AppSpan(String traceId, String spanId) {}

  static final class Result {
    final int exitCode;
    final String stdout;
    final String stderr;

    Result(int exitCode, String stdout, String stderr) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    List<String> lines() {
      return Arrays.asList(stdout.split("\\R"));
    }

    /** The application span a {@code span} step opened (its {@code APPSPAN} line). */
    AppSpan appSpan() {
      String[] f =
          lines().stream()
              .filter(l -> l.startsWith("APPSPAN "))
              .findFirst()
              .orElseThrow(() -> new AssertionError(this))
              .split(" ");
      return new AppSpan(f[1], f[2]);
    }

    Result assertOk() {
      if (exitCode != 0 || !stdout.contains("DONE")) {
        throw new AssertionError(
            "forked JVM failed (exit "
                + exitCode
                + ")\n--- stdout\n"
                + stdout
                + "\n--- stderr\n"
                + stderr);
      }
      return this;
    }

    String all() {
      return stdout + File.separator + stderr;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }
}
