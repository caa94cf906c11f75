package io.tdsagent.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.testutil.PcapWriter;
import io.tdsagent.testutil.TdsBytes;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 50 MB capture replays in a JVM whose heap is smaller than the file: memory follows open
 * connections.
 */
class LargeCaptureTest {
  private static final long SIZE = 50L << 20;

  @TempDir Path dir;

  @Test
  void fiftyMegabytesInAThirtyTwoMegabyteHeap() throws Exception {
    Path file = dir.resolve("large.pcap");
    int connections = 0;
    int requests = 0;
    byte[] request =
        TdsBytes.packet(0x01, 1, SyntheticReplayTest.batch("SELECT * FROM big_table WHERE id > 0"));
    byte[] response =
        TdsBytes.message(0x04, SyntheticReplayTest.rows(3000), 8000); // ~15 KB, several packets
    long t = SyntheticReplayTest.T0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      PcapWriter w = new PcapWriter(out, PcapWriter.ETHERNET);
      while (Files.size(file) < SIZE) {
        w.connection(20000 + connections, 1433).handshake(t, 50, 50);
        SyntheticReplayTest.loginFor(w, t);
        for (int i = 0; i < 200; i++) {
          t += 1000;
          w.data(true, request, t).data(false, response, t + 400);
          requests++;
        }
        w.fin(true, t + 900).fin(false, t + 950);
        connections++;
        t += 10_000;
        out.flush();
      }
    }
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx32m",
                "-cp",
                System.getProperty("java.class.path"),
                ReplayMain.class.getName(),
                "--json",
                file.toString())
            .redirectErrorStream(false)
            .start();
    long lines = 0;
    long rows = 0;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines++;
        if (line.contains("\"db.response.returned_rows\":3000")) {
          rows++;
        }
      }
    }
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    assertEquals(requests, rows, err);
    assertEquals(
        requests + 6L * connections,
        lines,
        connections + " connections"); // root, login and its 4 phases
    assertTrue(Files.size(file) >= SIZE);
  }
}
