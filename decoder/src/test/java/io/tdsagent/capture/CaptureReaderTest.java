package io.tdsagent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tdsagent.tds.event.Direction;
import io.tdsagent.testutil.TdsBytes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Synthetic captures for the layouts the real ones do not cover. */
class CaptureReaderTest {

  private static byte[] tcp(int srcPort, int dstPort, long seq, int flags, byte[] payload) {
    return new TdsBytes.Out()
        .u16be(srcPort)
        .u16be(dstPort)
        .u32be(seq)
        .u32be(0)
        .u8(0x50)
        .u8(flags)
        .u16be(65535)
        .u16be(0)
        .u16be(0)
        .bytes(payload)
        .toByteArray();
  }

  private static byte[] ipv6(byte[] src, byte[] dst, byte[] tcp) {
    return new TdsBytes.Out()
        .u32be(0x60000000L)
        .u16be(tcp.length)
        .u8(6)
        .u8(64)
        .bytes(src)
        .bytes(dst)
        .bytes(tcp)
        .toByteArray();
  }

  private static byte[] ipv4(int src, int dst, byte[] tcp) {
    return new TdsBytes.Out()
        .u8(0x45)
        .u8(0)
        .u16be(20 + tcp.length)
        .u16be(1)
        .u16be(0x4000)
        .u8(64)
        .u8(6)
        .u16be(0)
        .u32be(src)
        .u32be(dst)
        .bytes(tcp)
        .toByteArray();
  }

  private static byte[] sll2(byte[] ip) {
    return new TdsBytes.Out()
        .u16be(0x86DD)
        .u16be(0)
        .u32be(1)
        .u16be(1)
        .u8(0)
        .u8(6)
        .bytes(new byte[8])
        .bytes(ip)
        .toByteArray();
  }

  /** Big-endian, nanosecond pcap. */
  private static byte[] pcapBeNanos(int linkType, List<byte[]> frames) {
    TdsBytes.Out o =
        new TdsBytes.Out()
            .u32be(0xA1B23C4DL)
            .u16be(2)
            .u16be(4)
            .u32be(0)
            .u32be(0)
            .u32be(65535)
            .u32be(linkType);
    long t = 5;
    for (byte[] f : frames) {
      o.u32be(1_700_000_000L).u32be(t++).u32be(f.length).u32be(f.length).bytes(f);
    }
    return o.toByteArray();
  }

  private static final class Collect implements TcpStreamListener {
    final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
    final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
    final List<String> notes = new ArrayList<>();
    final List<Long> times = new ArrayList<>();

    @Override
    public void onData(TcpConnection c, Direction d, byte[] buf, int off, int len, long ts) {
      (d == Direction.CLIENT_TO_SERVER ? toServer : toClient).write(buf, off, len);
      times.add(ts);
      notes.add(c.client() + ">" + c.server());
    }

    @Override
    public void onGap(TcpConnection c, Direction d, long missing, long ts) {
      notes.add("gap " + d + " " + missing);
    }

    @Override
    public void onClose(TcpConnection c, long ts) {
      notes.add("close");
    }
  }

  private static Collect run(byte[] capture) throws Exception {
    Collect c = new Collect();
    TcpReassembler tcp = new TcpReassembler(c);
    try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(capture))) {
      CapturedFrame f;
      while ((f = r.next()) != null) {
        TcpSegment s = FrameDissector.tcp(f);
        if (s != null) {
          tcp.accept(s);
        }
      }
    }
    tcp.finish();
    return c;
  }

  @Test
  void bigEndianNanosSll2Ipv6WithReorderAndRetransmission() throws Exception {
    byte[] cli = new byte[16];
    cli[15] = 1;
    byte[] srv = new byte[16];
    srv[0] = (byte) 0xfd;
    srv[15] = 2;
    List<byte[]> frames =
        List.of(
            sll2(ipv6(cli, srv, tcp(50000, 1433, 999, 0x02, new byte[0]))), // SYN
            sll2(ipv6(srv, cli, tcp(1433, 50000, 5000, 0x12, new byte[0]))), // SYN-ACK
            sll2(ipv6(cli, srv, tcp(50000, 1433, 1003, 0x18, "DEF".getBytes()))), // out of order
            sll2(ipv6(cli, srv, tcp(50000, 1433, 1000, 0x18, "ABC".getBytes()))),
            sll2(ipv6(cli, srv, tcp(50000, 1433, 1000, 0x18, "ABC".getBytes()))), // retransmission
            sll2(
                ipv6(
                    cli,
                    srv,
                    tcp(50000, 1433, 1004, 0x18, "EFG".getBytes()))), // overlapping retransmission
            sll2(ipv6(srv, cli, tcp(1433, 50000, 5001, 0x19, "xyz".getBytes()))));
    Collect c = run(pcapBeNanos(276, frames));
    assertEquals("ABCDEFG", c.toServer.toString());
    assertEquals("xyz", c.toClient.toString());
    assertEquals("[0:0:0:0:0:0:0:1]:50000>[fd00:0:0:0:0:0:0:2]:1433", c.notes.get(0));
    assertEquals(
        List.of(1_700_000_000_000_000_008L, 1_700_000_000_000_000_008L),
        c.times.subList(0, 2),
        "nanosecond timestamps; DEF is readable once ABC arrives");
  }

  @Test
  void loopbackIpv4WithoutHandshakeAndAGap() throws Exception {
    List<byte[]> frames = new ArrayList<>();
    byte[] family = {2, 0, 0, 0};
    // server speaks first in the capture: port 1433 still identifies it
    frames.add(
        TdsBytes.concat(
            family, ipv4(0x7f000001, 0x7f000001, tcp(1433, 40000, 77, 0x18, "r1".getBytes()))));
    frames.add(
        TdsBytes.concat(
            family, ipv4(0x7f000001, 0x7f000001, tcp(40000, 1433, 10, 0x18, "q1".getBytes()))));
    frames.add(
        TdsBytes.concat(
            family, ipv4(0x7f000001, 0x7f000001, tcp(40000, 1433, 22, 0x18, "q2".getBytes()))));
    TdsBytes.Out o =
        new TdsBytes.Out()
            .u32le(0xA1B2C3D4L)
            .u16le(2)
            .u16le(4)
            .u32le(0)
            .u32le(0)
            .u32le(65535)
            .u32le(0);
    for (byte[] f : frames) {
      o.u32le(1).u32le(2).u32le(f.length).u32le(f.length).bytes(f);
    }
    Collect c = run(o.toByteArray());
    assertEquals("q1q2", c.toServer.toString());
    assertEquals("r1", c.toClient.toString());
    assertEquals("127.0.0.1:40000>127.0.0.1:1433", c.notes.get(0));
    // q2 (seq 22) waits for bytes 12..21 that never come: reported as a gap when the capture ends
    assertEquals(
        List.of(
            "127.0.0.1:40000>127.0.0.1:1433",
            "127.0.0.1:40000>127.0.0.1:1433",
            "gap CLIENT_TO_SERVER 10",
            "127.0.0.1:40000>127.0.0.1:1433",
            "close"),
        c.notes);
  }

  @Test
  void notACapture() {
    assertThrows(
        CaptureFormatException.class,
        () -> CaptureReader.open(new ByteArrayInputStream("hello".getBytes())));
  }
}
