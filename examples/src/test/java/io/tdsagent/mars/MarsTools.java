package io.tdsagent.mars;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The outside tools the MARS tests drive: FreeTDS's ODBC driver (the only MARS client on this
 * machine kind), python3 with pyodbc to drive it, and tcpdump for the capture. Missing ones skip
 * the tests on a workstation and fail them under CI ({@code CI=true}), where {@code .ci/run}
 * installs them.
 */
final class MarsTools {
  static final String INSTALL =
      "apt-get install -y tdsodbc unixodbc python3-pyodbc tcpdump (see .ci/run)";

  private MarsTools() {}

  static boolean ci() {
    return io.tdsagent.testutil.Missing.ci();
  }

  /** Skips (workstation) or fails (CI) when a tool is missing. */
  static <T> T require(T found, String what) {
    if (found == null) {
      io.tdsagent.testutil.Missing.skipOrFail(
          what + " not found: the MARS tests need it; install with " + INSTALL);
    }
    return found;
  }

  /** FreeTDS's ODBC driver library, or null. */
  static Path freeTdsDriver() {
    List<Path> candidates = new ArrayList<>();
    for (String arch : new String[] {"x86_64-linux-gnu", "aarch64-linux-gnu"}) {
      candidates.add(Paths.get("/usr/lib/" + arch + "/odbc/libtdsodbc.so"));
    }
    candidates.add(Paths.get("/usr/lib64/libtdsodbc.so.0"));
    candidates.add(Paths.get("/usr/local/lib/libtdsodbc.so"));
    for (Path p : candidates) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * A python3 that can import pyodbc (the distribution's first: a pyenv one usually cannot), or
   * null.
   */
  static String pythonWithPyodbc() {
    for (String py : new String[] {"/usr/bin/python3", "python3"}) {
      try {
        Process p = new ProcessBuilder(py, "-c", "import pyodbc").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return py;
        }
        p.destroyForcibly();
      } catch (IOException e) {
        // not there
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  static String tcpdump() {
    for (String p : new String[] {"/usr/bin/tcpdump", "/usr/sbin/tcpdump"}) {
      if (Files.isExecutable(Paths.get(p))) {
        return p;
      }
    }
    return null;
  }

  /**
   * Runs a command to its end; returns stdout, fails the test with stderr on a non-zero exit or
   * timeout.
   */
  static String run(List<String> cmd, long timeoutSeconds)
      throws IOException, InterruptedException {
    Path err = Files.createTempFile("mars-cmd-", ".err");
    try {
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      byte[][] out = new byte[1][];
      Thread reader =
          new Thread(
              () -> {
                try {
                  out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                  out[0] = new byte[0];
                }
              });
      reader.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(
            "timed out after "
                + timeoutSeconds
                + " s: "
                + String.join(" ", cmd)
                + "\n"
                + tail(err));
      }
      reader.join(5000);
      String stdout = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        fail(
            "exit "
                + p.exitValue()
                + ": "
                + abbreviate(String.join(" ", cmd))
                + "\nstdout: "
                + stdout
                + "\nstderr: "
                + tail(err));
      }
      return stdout;
    } finally {
      Files.deleteIfExists(err);
    }
  }

  static String tail(Path f) throws IOException {
    String s = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
    return s.length() > 4000 ? "..." + s.substring(s.length() - 4000) : s;
  }

  static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
