package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An application JVM started without the agent, for {@code java -jar tds-agent.jar attach} to find:
 * it runs a script (of {@link JdbcClient} steps) that prints {@code SAY} lines and waits for files
 * the test creates ({@link #go}); its output goes to a file in a folder of its own, removed with
 * it.
 */
final class AttachableApp implements AutoCloseable {
  private final String java;
  private final Path dir;
  private final Path out;
  private Process process;

  /** A folder for the application; {@code javaHome} is the JDK it and the attach tool run on. */
  AttachableApp(String javaHome, String prefix) throws Exception {
    this.java = Paths.get(javaHome, "bin", "java").toString();
    this.dir = Files.createTempDirectory(prefix);
    this.out = dir.resolve("app.out");
  }

  /** On this JVM's own JDK. */
  AttachableApp(String prefix) throws Exception {
    this(System.getProperty("java.home"), prefix);
  }

  /** The file whose creation ({@link #signal}) lets an {@code await} step go on. */
  String go(String name) {
    return dir.resolve(name).toString();
  }

  Path file(String name) {
    return dir.resolve(name);
  }

  /** Starts {@code java -Xmx256m ARGS}, without the OTEL_ and TDS_ variables of this JVM. */
  AttachableApp start(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m"));
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TDS_"));
    process = pb.start();
    return this;
  }

  long pid() {
    return process.pid();
  }

  void signal(String name) throws Exception {
    Files.createFile(dir.resolve(name));
  }

  /** Waits for the application to print the line (a hang guard, not a timing bound). */
  void awaitLine(String line) throws Exception {
    for (int n = 0; n < 1200; n++) {
      String s = Files.readString(out, StandardCharsets.UTF_8);
      if (s.lines().anyMatch(line::equals)) {
        return;
      }
      if (!process.isAlive()) {
        throw new AssertionError("the application ended before " + line + ":\n" + s);
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no " + line + " in 120 s:\n" + Files.readString(out, StandardCharsets.UTF_8));
  }

  /**
   * {@code attach <pid>} exporting to {@code endpoint} with raw SQL text and capture on, then
   * {@code extra}; returns what the tool printed.
   */
  String attach(String endpoint, String... extra) throws Exception {
    List<Object> args =
        new ArrayList<>(
            List.of(
                "attach",
                pid(),
                "--set",
                "otel.exporter.otlp.endpoint=" + endpoint,
                "--set",
                "otel.bsp.schedule.delay=50",
                "--set",
                "tds.sql=raw",
                "--capture",
                "on"));
    args.addAll(Arrays.asList(extra));
    return tool(args.toArray());
  }

  /** {@code java -jar tds-agent.jar ARGS}, as the README shows it; returns what it printed. */
  String tool(Object... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(java, "-jar", AgentProcess.AGENT_JAR.toAbsolutePath().toString()));
    for (Object a : args) {
      cmd.add(a.toString());
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the attach tool did not finish: " + cmd);
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + "\n" + printed);
    return printed;
  }

  /** Waits for the application to end (a hang guard), asserts it exited 0; returns its output. */
  String finish() throws Exception {
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the application did not finish");
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  @Override
  public void close() throws Exception {
    if (process != null) {
      process.destroyForcibly();
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }
}
