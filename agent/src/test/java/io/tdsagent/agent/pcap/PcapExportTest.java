package io.tdsagent.agent.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.capture.CaptureReader;
import io.tdsagent.capture.CapturedFrame;
import io.tdsagent.capture.FrameDissector;
import io.tdsagent.capture.TcpSegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapExportTest {
  @TempDir Path dir;

  /** A one-packet SQL batch (no ALL_HEADERS: the masker does not care). */
  static byte[] batch(String sql) {
    byte[] text = sql.getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
    byte[] p = new byte[8 + text.length];
    p[0] = 0x01;
    p[1] = 0x01;
    p[2] = (byte) (p.length >> 8);
    p[3] = (byte) p.length;
    System.arraycopy(text, 0, p, 8, text.length);
    return p;
  }

  static List<TcpSegment> read(Path f) throws Exception {
    List<TcpSegment> out = new ArrayList<>();
    try (CaptureReader r = CaptureReader.open(f)) {
      CapturedFrame c;
      while ((c = r.next()) != null) {
        out.add(FrameDissector.tcp(c));
      }
    }
    return out;
  }

  @Test
  void connectionsAreWrittenInTheBackgroundAndTheFileClosedAtShutdown() throws Exception {
    Path f = dir.resolve("out.pcapng");
    PcapExport export = new PcapExport(f, 100, 1 << 20);
    ConnectionRecorder a = export.newRecorder();
    ConnectionRecorder b = export.newRecorder();
    InetSocketAddress server = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 1433);
    a.opened(server);
    b.opened(server);
    byte[] sql = batch("SELECT 1");
    byte[] appBytes = sql.clone();
    a.client(sql, 0, sql.length);
    b.client(sql, 0, 3); // a packet in two pieces
    b.client(sql, 3, sql.length - 3);
    a.server(sql, 0, sql.length);
    a.closed();
    b.abandon();
    export.shutdown();
    assertTrue(java.util.Arrays.equals(appBytes, sql), "the application's bytes are untouched");
    List<TcpSegment> segs = read(f);
    // a: handshake, 2 data, FIN, FIN, ACK; b: handshake, 2 data (as the pieces came), no FIN
    // (abandoned)
    assertEquals(3 + 2 + 3 + 3 + 2, segs.size());
    assertEquals(
        2, segs.stream().filter(s -> s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK)).count());
    assertTrue(
        segs.stream()
            .allMatch(
                s ->
                    s.destination().startsWith("10.1.2.3:1433")
                        || s.source().startsWith("10.1.2.3:1433")));
    assertEquals(
        2,
        segs.stream()
            .map(s -> s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK) ? s.srcPort() : -1)
            .filter(p -> p > 0)
            .distinct()
            .count(),
        "a client port per connection");
    assertFalse(export.isStopped());
    assertEquals(0, export.droppedCount());
  }

  @Test
  void aFullQueueDropsAndCountsWithoutBlocking() {
    PcapExport export =
        new PcapExport(dir.resolve("never.pcapng"), 4, 1 << 20); // no worker: nothing drains
    ConnectionRecorder r = new ConnectionRecorder(export, 50000);
    byte[] sql = batch("SELECT 1");
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      r.client(sql, 0, sql.length);
    }
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "never waits for room");
    assertEquals(96, export.droppedCount());
  }

  @Test
  void anUnwritableFileStopsRecordingWithoutTroublingTheCaller() throws Exception {
    Path f = dir.resolve("no-such-dir").resolve("out.pcapng");
    PcapExport export = new PcapExport(f, 100, 1 << 20);
    ConnectionRecorder r = export.newRecorder();
    r.opened(new InetSocketAddress(InetAddress.getLoopbackAddress(), 1433));
    for (int i = 0; i < 50 && !export.isStopped(); i++) {
      Thread.sleep(20);
    }
    assertTrue(export.isStopped(), "an I/O error ends recording");
    byte[] sql = batch("SELECT 1");
    r.client(sql, 0, sql.length); // quietly ignored
    r.closed();
    export.shutdown();
    assertFalse(Files.exists(f));
  }
}
