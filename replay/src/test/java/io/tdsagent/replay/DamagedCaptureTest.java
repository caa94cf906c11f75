package io.tdsagent.replay;

import static io.tdsagent.replay.Run.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.testutil.Captures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unreadable, truncated and corrupt files: a clear message, what could be decoded, never an
 * exception.
 */
class DamagedCaptureTest {
  @TempDir Path dir;

  private Path file(String name, byte[] b) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, b);
    return p;
  }

  @Test
  void notACapture() throws IOException {
    byte[] random = new byte[4096];
    new Random(7).nextBytes(random);
    random[0] = 0x17; // not a magic by chance
    for (Object[] c :
        new Object[][] {
          {"random.bin", random, "unknown capture magic"},
          {
            "zip.pcap", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0}, "unknown capture magic 0x504b0304"
          },
          {"empty.pcap", new byte[0], "file shorter than a capture header"},
          {
            "short.pcap",
            new byte[] {(byte) 0xD4, (byte) 0xC3, (byte) 0xB2, (byte) 0xA1, 2, 0},
            "capture truncated"
          },
        }) {
      Run r = Run.of("--json", file((String) c[0], (byte[]) c[1]).toString());
      assertEquals(1, r.code, r.toString());
      assertTrue(r.err.contains("not a readable pcap/pcapng capture: " + c[2]), r.err);
      assertEquals("", r.out);
    }
    Run missing = Run.of(dir.resolve("nope.pcap").toString());
    assertEquals(1, missing.code);
    assertTrue(missing.err.contains("no such file"), missing.err);
    // one bad file among good ones: the good ones are still replayed
    Run mixed =
        Run.of(
            "--json",
            dir.resolve("random.bin").toString(),
            Captures.path("tds7-sql2000-sqlauth-login.pcap").toString());
    assertEquals(1, mixed.code);
    assertEquals(1, named(mixed.spans(), "SQL Server login").size());
  }

  @Test
  void usage() {
    assertEquals(2, Run.of().code);
    assertEquals(2, Run.of("--bogus", "x").code);
    assertEquals(2, Run.of("--otlp").code);
    assertEquals(0, Run.of("--help").code);
  }

  /** A little-endian pcapng block: type, total length, body (zeros), trailing total length. */
  private static byte[] block(int type, int total, byte[] bodyStart) {
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(total).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(type).putInt(total);
    b.put(bodyStart, 0, Math.min(bodyStart.length, total - 12));
    b.putInt(total - 4, total);
    return b.array();
  }

  private static byte[] concat(byte[]... parts) {
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  /**
   * Blocks whose total length is too short for their fixed fields (an EPB of 12-28 bytes, an SPB of
   * 12, an IDB of 12-16) are reported as damage, never read past. The first case is the 64-byte
   * file SHB + IDB + a 16-byte EPB.
   */
  @Test
  void blocksTooShortForTheirFieldsAreDamage() throws IOException {
    byte[] shbBody = {
      0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1
    }; // BOM, 1.0, length -1
    byte[] shb = block(0x0A0D0D0A, 28, shbBody);
    byte[] idb = block(1, 20, new byte[] {1, 0, 0, 0, 0, 0, 4, 0}); // Ethernet, snaplen 0x40000
    byte[] ones = new byte[64];
    Arrays.fill(
        ones, (byte) 0x01); // interface 1 would not exist: 0x01 in every field fails later checks
    byte[] zeros = new byte[64];
    byte[] first = concat(shb, idb, block(6, 16, zeros));
    assertEquals(64, first.length);
    List<byte[]> files = new java.util.ArrayList<>();
    files.add(first);
    for (int total = 12; total < 32; total += 4) {
      for (byte[] body : new byte[][] {zeros, ones}) {
        files.add(concat(shb, idb, block(6, total, body)));
      }
    }
    files.add(concat(shb, idb, block(3, 12, zeros)));
    files.add(concat(shb, block(1, 12, zeros)));
    files.add(concat(shb, block(1, 16, zeros)));
    for (int i = 0; i < files.size(); i++) {
      Run r = Run.of("--json", file("short" + i + ".pcapng", files.get(i)).toString());
      int ii = i;
      assertEquals(
          0, r.code, () -> "file " + ii + ": " + r); // a damaged capture shows what it could read
      assertTrue(
          r.err.contains("capture damaged after 0 frames: pcapng"), () -> "file " + ii + ": " + r);
      assertFalse(r.err.contains("Exception"), r.err);
    }
  }

  /** Cut everywhere (stepping through the file): partial results, a message, no exception. */
  @Test
  void truncatedAtManyOffsets() throws IOException {
    for (String name :
        new String[] {"tds7-sql2000-sqlauth-login.pcap", "bbf-mssqljdbc-basic.pcapng"}) {
      byte[] whole = Files.readAllBytes(Captures.path(name));
      int loginSeen = 0;
      int damaged = 0;
      for (int cut = 0; cut < whole.length; cut += 37) {
        Path p = file("cut" + cut + name, Arrays.copyOf(whole, cut));
        Run r = Run.of("--json", p.toString());
        assertTrue(r.code == 0 || r.code == 1, r.toString());
        if (r.code == 1) {
          assertTrue(r.err.contains("not a readable pcap/pcapng capture"), r.err);
          continue;
        }
        List<Map<String, Object>> spans = r.spans(); // every line is valid JSON
        if (r.err.contains("capture damaged after")) {
          damaged++;
          assertTrue(r.err.contains("showing the"), r.err);
        }
        loginSeen += named(spans, "SQL Server login").size();
        assertFalse(r.out.contains("Canary-Pa55word!"));
      }
      assertTrue(damaged > 10, name + ": " + damaged);
      assertTrue(loginSeen > 5, name + ": " + loginSeen);
    }
  }

  /** Random bytes written over parts of real captures. */
  @Test
  void corruptedCapturesNeverThrow() throws IOException {
    Random rnd = new Random(42);
    for (String name :
        new String[] {
          "tds7-sql2000-sqlauth-login.pcap", "bbf-tedious-rpc.pcapng", "tds-rpc-requests.pcap"
        }) {
      byte[] whole = Files.readAllBytes(Captures.path(name));
      for (int i = 0; i < 40; i++) {
        byte[] b = whole.clone();
        int at = 24 + rnd.nextInt(b.length - 64);
        int n = 1 + rnd.nextInt(i % 2 == 0 ? 4 : 200);
        for (int k = 0; k < n && at + k < b.length; k++) {
          b[at + k] = (byte) rnd.nextInt(256);
        }
        Run r = Run.of("--json", file("bad" + i + name, b).toString());
        assertEquals(0, r.code, r.toString());
        r.spans();
        Run human = Run.of(dir.resolve("bad" + i + name).toString());
        assertEquals(0, human.code, human.toString());
      }
    }
  }
}
