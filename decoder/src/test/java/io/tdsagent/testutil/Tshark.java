package io.tdsagent.testutil;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Wireshark's tshark over a capture. Tests that use it require it: a missing tshark fails them
 * with the command that installs it (CI's {@code .ci/run} does).
 */
public final class Tshark {
  private Tshark() {}

  public static String executable() {
    String override = System.getenv("TSHARK");
    if (override != null && Files.isExecutable(Paths.get(override))) {
      return override;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path p = Paths.get(dir, "tshark");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    Missing.skipOrFail(
        "tshark (Wireshark) is required by this test and was not found on PATH"
            + (Missing.ci() ? " in CI: .ci/run should have installed it" : "")
            + ". Install it: sudo apt-get install -y tshark (Debian/Ubuntu), brew install wireshark (macOS),"
            + " or set TSHARK=/path/to/tshark");
    return null;
  }

  /** tshark's standard output for {@code -r capture <args>}; fails the test on a non-zero exit. */
  public static String run(Path capture, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(executable());
    cmd.add("-n"); // no name resolution
    cmd.add("-r");
    cmd.add(capture.toString());
    cmd.addAll(Arrays.asList(args));
    Path out = Files.createTempFile("tshark", ".out");
    Path err = Files.createTempFile("tshark", ".err");
    try {
      Process p =
          new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("tshark did not finish in 60 s: " + cmd);
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(
            "tshark exit " + p.exitValue() + ": " + cmd + "\n" + stderr + "\n" + stdout);
      }
      return stdout;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * {@code -T fields} with the given fields, one row per matching frame, columns split on tab; of a
   * field occurring several times in a frame, the first (Wireshark 4.0 also labels LOGIN7's
   * ibExtension as a server name).
   */
  public static List<String[]> fields(Path capture, int tdsPort, String filter, String... fields)
      throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            Arrays.asList(
                "-d",
                "tcp.port==" + tdsPort + ",tds",
                "-Y",
                filter,
                "-T",
                "fields",
                "-E",
                "separator=/t",
                "-E",
                "occurrence=f"));
    for (String f : fields) {
      args.add("-e");
      args.add(f);
    }
    List<String[]> rows = new ArrayList<>();
    for (String line : run(capture, args.toArray(new String[0])).split("\n")) {
      if (!line.isEmpty()) {
        rows.add(line.split("\t", -1));
      }
    }
    return rows;
  }

  /**
   * Frames tshark flags as malformed, or with an expert item of severity error (checksums
   * validated).
   */
  public static List<String> problems(Path capture, int tdsPort)
      throws IOException, InterruptedException {
    String out =
        run(
            capture,
            "-d",
            "tcp.port==" + tdsPort + ",tds",
            "-o",
            "tcp.check_checksum:TRUE",
            "-o",
            "ip.check_checksum:TRUE",
            "-Y",
            "_ws.malformed || _ws.expert.severity >= \"Error\"");
    List<String> lines = new ArrayList<>();
    for (String l : out.split("\n")) {
      if (!l.isBlank()) {
        lines.add(l.trim());
      }
    }
    return lines;
  }
}
