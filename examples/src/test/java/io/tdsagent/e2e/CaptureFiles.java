package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.testutil.SecretScanner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Checks on a capture file the agent wrote ({@code tds.pcap}): which bytes it does not hold, and
 * what the replay tool reads out of it.
 */
final class CaptureFiles {
  private CaptureFiles() {}

  /** TDS password obfuscation: swap nibbles, XOR 0xA5. */
  static byte[] obfuscate(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_16LE);
    for (int i = 0; i < b.length; i++) {
      int v = b[i] & 0xFF;
      b[i] = (byte) ((((v << 4) | (v >> 4)) & 0xFF) ^ 0xA5);
    }
    return b;
  }

  /** None of {@code passwordForms} (a password or a piece of it, in some form) is in the file. */
  static void assertNoneIn(Path capture, List<byte[]> passwordForms) throws Exception {
    byte[] file = Files.readAllBytes(capture);
    for (byte[] needle : passwordForms) {
      assertEquals(
          -1,
          SecretScanner.indexOf(file, needle),
          "the password (or a piece of it) is in the capture");
    }
  }

  /**
   * {@code java -jar tds-replay.jar --json CAPTURE}, its output written to {@code out}: finished (a
   * hang guard) and exit 0; returns the output.
   */
  static String replayJson(Path capture, Path out) throws Exception {
    Process p =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("tds.replay.jar", "../replay/target/tds-replay.jar"),
                "--json",
                capture.toString())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "replay finished");
    String json = Files.readString(out);
    assertEquals(0, p.exitValue(), json);
    return json;
  }
}
