package io.tdsagent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lab's SMP (MARS) layer with hand-made SMP packets, no FreeTDS needed: negotiation, the
 * client's window honoured, sessions independent of each other, FIN answered with FIN, the window
 * hold, and a protocol error.
 */
class LabMarsRawTest {
  static final int SYN = 1;
  static final int ACK = 2;
  static final int FIN = 4;
  static final int DATA = 8;

  /** One SMP packet as read. */
  static final class Smp {
    final int flags;
    final int sid;
    final long seq;
    final long wndw;
    final byte[] data;

    Smp(int flags, int sid, long seq, long wndw, byte[] data) {
      this.flags = flags;
      this.sid = sid;
      this.seq = seq;
      this.wndw = wndw;
      this.data = data;
    }

    boolean eom() {
      return flags == DATA && (data[1] & 1) != 0;
    }

    @Override
    public String toString() {
      return "flags="
          + flags
          + " sid="
          + sid
          + " seq="
          + seq
          + " wndw="
          + wndw
          + " len="
          + data.length;
    }
  }

  static LabServer.Builder lab() {
    return LabServer.builder().login("sa", "pw").encryption(Encryption.NOT_SUPPORTED);
  }

  static byte[] smp(int flags, int sid, long seq, long wndw, byte[] data) {
    byte[] p = new byte[16 + data.length];
    p[0] = 0x53;
    p[1] = (byte) flags;
    p[2] = (byte) sid;
    p[3] = (byte) (sid >>> 8);
    put32(p, 4, p.length);
    put32(p, 8, seq);
    put32(p, 12, wndw);
    System.arraycopy(data, 0, p, 16, data.length);
    return p;
  }

  static void put32(byte[] b, int i, long v) {
    for (int k = 0; k < 4; k++) {
      b[i + k] = (byte) (v >>> (8 * k));
    }
  }

  static long u32(byte[] b, int i) {
    return (b[i] & 0xFFL)
        | (b[i + 1] & 0xFFL) << 8
        | (b[i + 2] & 0xFFL) << 16
        | (b[i + 3] & 0xFFL) << 24;
  }

  /** A SQL batch as TDS packets of at most {@code size} bytes. */
  static List<byte[]> batch(String sql, int size) {
    byte[] payload = RawTdsClient.sqlBatch(sql);
    List<byte[]> packets = new ArrayList<>();
    int chunk = size - 8;
    for (int pos = 0; pos < payload.length; pos += chunk) {
      int n = Math.min(chunk, payload.length - pos);
      byte[] p = new byte[8 + n];
      p[0] = 0x01;
      p[1] = (byte) (pos + n >= payload.length ? 1 : 0);
      p[2] = (byte) (p.length >>> 8);
      p[3] = (byte) p.length;
      p[6] = (byte) (packets.size() + 1);
      System.arraycopy(payload, pos, p, 8, n);
      packets.add(p);
    }
    return packets;
  }

  static Smp read(DataInputStream in) throws IOException {
    byte[] h = new byte[16];
    in.readFully(h);
    assertEquals(0x53, h[0] & 0xFF, "SMID");
    byte[] data = new byte[(int) u32(h, 4) - 16];
    in.readFully(data);
    return new Smp(h[1] & 0xFF, (h[2] & 0xFF) | (h[3] & 0xFF) << 8, u32(h, 8), u32(h, 12), data);
  }

  static void send(RawTdsClient c, byte[]... packets) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : packets) {
      b.write(p);
    }
    c.out().write(b.toByteArray());
    c.out().flush();
  }

  @Test
  void marsIsAgreedWhenAskedAndOnlyThen() throws Exception {
    try (LabServer server = lab().build().start();
        RawTdsClient asks = new RawTdsClient(server, "sa", "pw", 4096, true);
        RawTdsClient plain = new RawTdsClient(server, "sa", "pw", 4096, false)) {
      assertEquals(1, asks.marsAnswer);
      assertEquals(0, plain.marsAnswer);
    }
    try (LabServer server = lab().mars(false).build().start();
        RawTdsClient asks = new RawTdsClient(server, "sa", "pw", 4096, true)) {
      assertEquals(0, asks.marsAnswer);
      // and the connection stays on plain TDS
      asks.send(0x01, RawTdsClient.sqlBatch("SELECT 1"));
      assertEquals(0x81, asks.readMessage()[0] & 0xFF); // COLMETADATA
    }
  }

  /**
   * Session 1 grants the server one packet and reads nothing more: its large result stops after one
   * DATA, while session 2's request is answered in full meanwhile. An ACK then lets session 1
   * finish.
   */
  @Test
  void windowsAreHonouredAndSessionsIndependent() throws Exception {
    try (LabServer server = lab().build().start();
        RawTdsClient c = new RawTdsClient(server, "sa", "pw", 4096, true)) {
      DataInputStream in = c.in();
      send(
          c,
          smp(SYN, 1, 0, 1, new byte[0]),
          smp(DATA, 1, 1, 1, batch("SELECT TOP 500 * FROM dbo.big_rows", 4096).get(0)),
          smp(SYN, 2, 0, 100, new byte[0]),
          smp(DATA, 2, 1, 100, batch("SELECT TOP 200 * FROM dbo.big_rows", 4096).get(0)));
      int session1 = 0;
      boolean session2Done = false;
      long seq2 = 0;
      while (!session2Done) {
        Smp p = read(in);
        assertEquals(DATA, p.flags, p.toString());
        assertEquals(
            4 + 8 + ((p.data[2] & 0xFF) << 8 | (p.data[3] & 0xFF)) - 4 - 8,
            p.data.length,
            "one whole TDS packet per DATA: " + p);
        if (p.sid == 1) {
          session1++;
          assertEquals(1, p.seq);
        } else {
          assertEquals(++seq2, p.seq, p.toString());
          session2Done = p.eom();
        }
      }
      assertTrue(session1 <= 1, "session 1 sent " + session1 + " packets on a window of 1");
      c.socket().setSoTimeout(300);
      if (session1 == 0) {
        assertEquals(1, read(in).sid);
      }
      assertThrows(SocketTimeoutException.class, () -> read(in), "session 1 went past its window");
      c.socket().setSoTimeout(10_000);
      send(c, smp(ACK, 1, 1, 1_000, new byte[0]));
      Smp p;
      long seq = 1;
      do {
        p = read(in);
        assertEquals(1, p.sid);
        assertEquals(++seq, p.seq);
      } while (!p.eom());
      assertEquals(2, server.marsSessionsOpened());
    }
  }

  /** The client's FIN: the server answers FIN on that SID, and the SID can be opened again. */
  @Test
  void finIsAnsweredWithFinAndTheSidReused() throws Exception {
    try (LabServer server = lab().build().start();
        RawTdsClient c = new RawTdsClient(server, "sa", "pw", 4096, true)) {
      DataInputStream in = c.in();
      for (int round = 0; round < 2; round++) {
        send(c, smp(SYN, 0, 0, 4, new byte[0]), smp(DATA, 0, 1, 4, batch("SELECT 1", 4096).get(0)));
        Smp answer = read(in);
        assertEquals(DATA, answer.flags);
        assertTrue(answer.eom());
        assertTrue(answer.wndw >= 5, "window after one packet read: " + answer.wndw);
        send(c, smp(FIN, 0, 1, 5, new byte[0]));
        Smp fin = read(in);
        assertEquals(FIN, fin.flags, fin.toString());
        assertEquals(0, fin.sid);
        assertEquals(1, fin.seq);
      }
      assertEquals(2, server.marsSessionsOpened());
    }
  }

  /**
   * A request of 7 packets on a window of 4: each ACK that reopens the window comes after the hold.
   */
  @Test
  void windowHoldDelaysTheAck() throws Exception {
    Duration hold = Duration.ofMillis(300);
    try (LabServer server = lab().marsWindowHold(hold).build().start();
        RawTdsClient c = new RawTdsClient(server, "sa", "pw", 4096, true)) {
      DataInputStream in = c.in();
      List<byte[]> packets = batch("SELECT N'" + "y".repeat(13_000) + "'", 4096);
      assertEquals(7, packets.size());
      send(c, smp(SYN, 0, 0, 4, new byte[0]));
      // timed from before the first DATA: the server cannot start holding earlier, however slowly
      // we send
      long start = System.nanoTime();
      for (int i = 0; i < 4; i++) {
        send(c, smp(DATA, 0, i + 1, 4, packets.get(i)));
      }
      Smp ack = read(in);
      long waited = (System.nanoTime() - start) / 1_000_000;
      assertEquals(ACK, ack.flags, ack.toString());
      assertEquals(6, ack.wndw, ack.toString());
      assertTrue(
          waited >= hold.toMillis() - 1, "ACK after " + waited + " ms"); // 1 ms: rounding to ms
      send(c, smp(DATA, 0, 5, 4, packets.get(4)), smp(DATA, 0, 6, 4, packets.get(5)));
      ack = read(in);
      assertEquals(ACK, ack.flags, ack.toString());
      assertEquals(8, ack.wndw);
      // (with 2 left the server ACKs again: SMP does not know the 7th packet ends the message)
      assertEquals(10, read(in).wndw);
      send(c, smp(DATA, 0, 7, 4, packets.get(6)));
      Smp answer = read(in);
      assertEquals(DATA, answer.flags, answer.toString());
      assertEquals(11, answer.wndw, "7 packets read: 4 more granted");
    }
  }

  @Test
  void dataOutOfSequenceDropsTheConnection() throws Exception {
    try (LabServer server = lab().build().start();
        RawTdsClient c = new RawTdsClient(server, "sa", "pw", 4096, true)) {
      send(c, smp(SYN, 0, 0, 4, new byte[0]), smp(DATA, 0, 2, 4, batch("SELECT 1", 4096).get(0)));
      c.socket().setSoTimeout(5000);
      assertEquals(-1, c.in().read(), "the server should close the connection");
    }
  }
}
