package io.tdsagent.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real Collector and the real Jaeger, as a user without Docker runs them: {@code
 * examples/backends/build.sh} builds both from their Go modules (cached), {@code
 * examples/backends/run.sh} starts them with the repository's {@code otel-collector.yaml},
 * unchanged. Only addresses differ from a user's: every port is a free one, through the {@code
 * ${env:...}} names of the two configuration files.
 */
final class Backends implements AutoCloseable {
  static final Path ROOT =
      Paths.get(System.getProperty("tds.project.root", "..")).toAbsolutePath().normalize();
  static final Path SCRIPTS = ROOT.resolve("examples/backends");

  /** A cold build of both on a busy 2-core machine takes many minutes; a cached one, a second. */
  private static final long BUILD_MINUTES = 45;

  private static final long START_SECONDS = 180;

  final int otlpHttpPort;
  final int otlpGrpcPort;
  final int jaegerQueryPort;
  private final Process process;
  private final Path logs;
  private final StringBuilder output = new StringBuilder();

  private Backends(Map<String, Integer> ports, Process process, Path logs) {
    this.otlpHttpPort = ports.get("OTELCOL_OTLP_HTTP_PORT");
    this.otlpGrpcPort = ports.get("OTELCOL_OTLP_GRPC_PORT");
    this.jaegerQueryPort = ports.get("JAEGER_QUERY");
    this.process = process;
    this.logs = logs;
  }

  /**
   * Builds the back ends (or finds them cached). Without Go the test is skipped, loudly, except
   * under CI=true, where that fails it: CI must run these tests.
   */
  static Path build() throws IOException, InterruptedException {
    Path log = Files.createTempFile("tds-backends-build", ".log");
    Process p =
        new ProcessBuilder(SCRIPTS.resolve("build.sh").toString())
            .redirectError(log.toFile())
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p));
    if (!p.waitFor(BUILD_MINUTES, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("build.sh did not finish in " + BUILD_MINUTES + " min; log " + log);
    }
    String stderr = Files.readString(log, StandardCharsets.UTF_8);
    if (p.exitValue() == 3) {
      io.tdsagent.testutil.Missing.skipOrFail(
          "the Jaeger/Collector end-to-end tests need Go to build the back ends: " + stderr.trim());
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "examples/backends/build.sh failed (exit " + p.exitValue() + "):\n" + stderr);
    }
    Files.deleteIfExists(log);
    return Paths.get(out.join().trim());
  }

  /** build(), then run.sh on free ports; returns once it printed READY (both listen). */
  static Backends start() throws IOException, InterruptedException {
    build();
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (String name :
        List.of(
            "OTELCOL_OTLP_GRPC_PORT",
            "OTELCOL_OTLP_HTTP_PORT",
            "OTELCOL_METRICS_PORT",
            "JAEGER_OTLP_GRPC",
            "JAEGER_OTLP_HTTP",
            "JAEGER_QUERY",
            "JAEGER_QUERY_GRPC",
            "JAEGER_HEALTH")) {
      ports.put(name, freePort());
    }
    Path logs = Files.createTempDirectory("tds-backends");
    ProcessBuilder pb =
        new ProcessBuilder(SCRIPTS.resolve("run.sh").toString()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    // Only the addresses differ from a user's run: nothing else from this environment reaches the
    // configurations.
    env.keySet().removeIf(k -> k.startsWith("OTELCOL_") || k.startsWith("JAEGER_"));
    env.put("TDS_BACKENDS_LOGS", logs.toString());
    env.put("OTELCOL_OTLP_GRPC_PORT", ports.get("OTELCOL_OTLP_GRPC_PORT").toString());
    env.put("OTELCOL_OTLP_HTTP_PORT", ports.get("OTELCOL_OTLP_HTTP_PORT").toString());
    env.put("OTELCOL_METRICS_PORT", ports.get("OTELCOL_METRICS_PORT").toString());
    env.put("JAEGER_OTLP_GRPC_ENDPOINT", "localhost:" + ports.get("JAEGER_OTLP_GRPC"));
    env.put("JAEGER_OTLP_HTTP_ENDPOINT", "localhost:" + ports.get("JAEGER_OTLP_HTTP"));
    env.put("JAEGER_QUERY_HTTP_ENDPOINT", "localhost:" + ports.get("JAEGER_QUERY"));
    env.put("JAEGER_QUERY_GRPC_ENDPOINT", "localhost:" + ports.get("JAEGER_QUERY_GRPC"));
    env.put("JAEGER_HEALTH_ENDPOINT", "localhost:" + ports.get("JAEGER_HEALTH"));
    Backends b = new Backends(ports, pb.start(), logs);
    b.awaitReady();
    return b;
  }

  private void awaitReady() throws InterruptedException {
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              // run.sh's output is read to the end, so that it never blocks on a full pipe
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  synchronized (output) {
                    output.append(line).append('\n');
                  }
                  if (line.startsWith("READY")) {
                    ready.complete(true);
                  }
                }
              } catch (IOException e) {
                // run.sh went away
              }
              ready.complete(false);
            },
            "run.sh output");
    reader.setDaemon(true);
    reader.start();
    boolean ok;
    try {
      ok = ready.get(START_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      ok = false;
    }
    if (!ok) {
      close();
      throw new AssertionError(
          "run.sh did not print READY in "
              + START_SECONDS
              + " s:\n"
              + output()
              + "\nlogs in "
              + logs);
    }
  }

  String collectorHttpEndpoint() {
    return "http://127.0.0.1:" + otlpHttpPort;
  }

  JaegerQuery jaeger() {
    return new JaegerQuery("http://127.0.0.1:" + jaegerQueryPort);
  }

  String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  /**
   * Everything the Collector logged so far (its debug exporter writes the metrics it received
   * there).
   */
  String collectorLog() throws IOException {
    Path log = logs.resolve("otelcol.log");
    return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** What the Collector and Jaeger logged, for failure messages. */
  String logTail() {
    StringBuilder sb = new StringBuilder();
    for (String name : List.of("otelcol.log", "jaeger.log")) {
      try {
        List<String> lines = Files.readAllLines(logs.resolve(name), StandardCharsets.UTF_8);
        sb.append("--- ").append(name).append('\n');
        lines
            .subList(Math.max(0, lines.size() - 30), lines.size())
            .forEach(l -> sb.append(l).append('\n'));
      } catch (IOException e) {
        sb.append("--- ").append(name).append(": ").append(e).append('\n');
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    List<ProcessHandle> children = new ArrayList<>();
    process.descendants().forEach(children::add);
    process.destroy(); // SIGTERM: run.sh stops both back ends
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.forEach(
        c -> {
          if (c.isAlive()) {
            c.destroyForcibly();
          }
        });
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String readAll(Process p) {
    try {
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
