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

/** Unreadable, truncated and corrupt files: a clear message, what could be decoded, never an exception. */
class DamagedCaptureTest {
    @TempDir
    Path dir;

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
        for (Object[] c : new Object[][] {
            {"random.bin", random, "unknown capture magic"},
            {"zip.pcap", new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0}, "unknown capture magic 0x504b0304"},
            {"empty.pcap", new byte[0], "file shorter than a capture header"},
            {"short.pcap", new byte[] {(byte) 0xD4, (byte) 0xC3, (byte) 0xB2, (byte) 0xA1, 2, 0}, "capture truncated"},
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
        Run mixed = Run.of("--json", dir.resolve("random.bin").toString(), Captures.path("tds7-sql2000-sqlauth-login.pcap").toString());
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

    /** Cut everywhere (stepping through the file): partial results, a message, no exception. */
    @Test
    void truncatedAtManyOffsets() throws IOException {
        for (String name : new String[] {"tds7-sql2000-sqlauth-login.pcap", "bbf-mssqljdbc-basic.pcapng"}) {
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
        for (String name : new String[] {"tds7-sql2000-sqlauth-login.pcap", "bbf-tedious-rpc.pcapng", "tds-rpc-requests.pcap"}) {
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
