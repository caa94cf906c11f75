package io.tdsagent.mars;

import io.tdsagent.lab.LabServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A real FreeTDS client for the lab server, as the FreeTDS tests use it: FreeTDS's ODBC driver
 * driven by a python3 script with pyodbc, tcpdump for the loopback capture, and the replay jar that
 * reads the capture back. {@link #require()} finds the tools once per test class (skip on a
 * workstation, fail under CI).
 */
final class FreeTdsClient {
  static final Path REPLAY_JAR =
      Paths.get(System.getProperty("tds.replay.jar", "../replay/target/tds-replay.jar"));

  final String python;
  final Path driver;
  final String tcpdump;

  private FreeTdsClient(String python, Path driver, String tcpdump) {
    this.python = python;
    this.driver = driver;
    this.tcpdump = tcpdump;
  }

  static FreeTdsClient require() {
    Path driver =
        MarsTools.require(MarsTools.freeTdsDriver(), "FreeTDS ODBC driver (libtdsodbc.so)");
    String python = MarsTools.require(MarsTools.pythonWithPyodbc(), "python3 with pyodbc");
    String tcpdump = MarsTools.require(MarsTools.tcpdump(), "tcpdump");
    return new FreeTdsClient(python, driver, tcpdump);
  }

  /**
   * Copies the client script {@code /mars/<script>} into {@code dir} and runs it with the driver,
   * the lab server's port and {@code args}; returns what it printed, trimmed.
   */
  String run(Path dir, String script, LabServer server, String... args) throws Exception {
    Path file = dir.resolve(script);
    try (InputStream in = FreeTdsClient.class.getResourceAsStream("/mars/" + script)) {
      Files.copy(in, file);
    }
    List<String> command =
        new ArrayList<>(
            List.of(python, file.toString(), driver.toString(), Integer.toString(server.port())));
    command.addAll(Arrays.asList(args));
    return MarsTools.run(command, 60).trim();
  }

  /** The replay jar on a capture, as README.md tells users to run it: JSON lines, SQL text kept. */
  static String replayJson(Path pcap) throws Exception {
    return MarsTools.run(
        List.of(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            REPLAY_JAR.toString(),
            "--json",
            "--raw-sql",
            pcap.toString()),
        60);
  }
}
