package io.tdsagent.testutil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a classic pcap (microseconds, little-endian) of one TCP connection at a time, with real
 * IPv4 or IPv6 and TCP headers behind a chosen link layer. Sequence numbers follow the bytes
 * written.
 */
public final class PcapWriter {
  public static final int ETHERNET = 1;
  public static final int RAW = 101;
  public static final int SLL = 113;
  public static final int SLL2 = 276;
  public static final int NULL = 0;

  private final OutputStream out;
  private final int linkType;
  private boolean vlan;
  private boolean ipv6;
  private byte[] client = {10, 0, 0, 9};
  private byte[] server = {10, 0, 0, 5};
  private int clientPort = 50123;
  private int serverPort = 1433;
  private long clientSeq = 1000;
  private long serverSeq = 5000;

  public PcapWriter(OutputStream out, int linkType) throws IOException {
    this.out = out;
    this.linkType = linkType;
    TdsBytes.Out h =
        new TdsBytes.Out()
            .u32le(0xA1B2C3D4L)
            .u16le(2)
            .u16le(4)
            .u32le(0)
            .u32le(0)
            .u32le(262144)
            .u32le(linkType);
    out.write(h.toByteArray());
  }

  public PcapWriter vlan() {
    vlan = true;
    return this;
  }

  public PcapWriter ipv6() {
    ipv6 = true;
    client = new byte[16];
    server = new byte[16];
    client[0] = (byte) 0xfd;
    server[0] = (byte) 0xfd;
    client[15] = 9;
    server[15] = 5;
    return this;
  }

  /** Next connection: new client port and sequence numbers. */
  public PcapWriter connection(int clientPort, int serverPort) {
    this.clientPort = clientPort;
    this.serverPort = serverPort;
    this.clientSeq = 1000 + clientPort;
    this.serverSeq = 5000 + clientPort;
    return this;
  }

  /** SYN at t, SYN-ACK at t + synAck, ACK at t + synAck + ack (microseconds). */
  public PcapWriter handshake(long t, long synAck, long ack) throws IOException {
    segment(true, 0x02, new byte[0], t, clientSeq - 1);
    segment(false, 0x12, new byte[0], t + synAck, serverSeq - 1);
    segment(true, 0x10, new byte[0], t + synAck + ack, clientSeq);
    return this;
  }

  public PcapWriter data(boolean fromClient, byte[] payload, long t) throws IOException {
    long seq = fromClient ? clientSeq : serverSeq;
    segment(fromClient, 0x18, payload, t, seq);
    if (fromClient) {
      clientSeq += payload.length;
    } else {
      serverSeq += payload.length;
    }
    return this;
  }

  /**
   * Payload at an explicit sequence offset from the next expected byte (for reordering and
   * retransmissions).
   */
  public PcapWriter dataAt(boolean fromClient, byte[] payload, long t, long seq)
      throws IOException {
    segment(fromClient, 0x18, payload, t, seq);
    return this;
  }

  public long nextSeq(boolean fromClient) {
    return fromClient ? clientSeq : serverSeq;
  }

  public void advance(boolean fromClient, int bytes) {
    if (fromClient) {
      clientSeq += bytes;
    } else {
      serverSeq += bytes;
    }
  }

  public PcapWriter fin(boolean fromClient, long t) throws IOException {
    segment(fromClient, 0x11, new byte[0], t, fromClient ? clientSeq : serverSeq);
    if (fromClient) {
      clientSeq++;
    } else {
      serverSeq++;
    }
    return this;
  }

  public PcapWriter rst(boolean fromClient, long t) throws IOException {
    segment(fromClient, 0x04, new byte[0], t, fromClient ? clientSeq : serverSeq);
    return this;
  }

  private void segment(boolean fromClient, int flags, byte[] payload, long t, long seq)
      throws IOException {
    byte[] src = fromClient ? client : server;
    byte[] dst = fromClient ? server : client;
    TdsBytes.Out tcp =
        new TdsBytes.Out()
            .u16be(fromClient ? clientPort : serverPort)
            .u16be(fromClient ? serverPort : clientPort)
            .u32be(seq & 0xFFFFFFFFL)
            .u32be(0)
            .u8(0x50)
            .u8(flags)
            .u16be(65535)
            .u16be(0)
            .u16be(0)
            .bytes(payload);
    byte[] seg = tcp.toByteArray();
    TdsBytes.Out ip = new TdsBytes.Out();
    if (ipv6) {
      ip.u32be(0x60000000L).u16be(seg.length).u8(6).u8(64).bytes(src).bytes(dst).bytes(seg);
    } else {
      ip.u8(0x45)
          .u8(0)
          .u16be(20 + seg.length)
          .u16be(0)
          .u16be(0x4000)
          .u8(64)
          .u8(6)
          .u16be(0)
          .bytes(src)
          .bytes(dst)
          .bytes(seg);
    }
    byte[] ipBytes = ip.toByteArray();
    int etherType = ipv6 ? 0x86DD : 0x0800;
    TdsBytes.Out frame = new TdsBytes.Out();
    switch (linkType) {
      case ETHERNET:
        frame.bytes(new byte[12]);
        if (vlan) {
          frame.u16be(0x8100).u16be(42);
        }
        frame.u16be(etherType);
        break;
      case SLL:
        frame.u16be(fromClient ? 4 : 0).u16be(1).u16be(6).bytes(new byte[8]).u16be(etherType);
        break;
      case SLL2:
        frame.u16be(etherType).u16be(0).u32be(1).u16be(1).u8(0).u8(6).bytes(new byte[8]);
        break;
      case NULL:
        frame.u32le(ipv6 ? 30 : 2);
        break;
      default:
        break;
    }
    byte[] f = frame.bytes(ipBytes).toByteArray();
    out.write(
        new TdsBytes.Out()
            .u32le(t / 1_000_000)
            .u32le(t % 1_000_000)
            .u32le(f.length)
            .u32le(f.length)
            .bytes(f)
            .toByteArray());
  }

  public static ByteArrayOutputStream buffer() {
    return new ByteArrayOutputStream();
  }
}
