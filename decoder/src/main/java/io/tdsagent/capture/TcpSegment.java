package io.tdsagent.capture;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** A TCP segment dissected from a frame. Addresses are raw (4 or 16 bytes). */
public final class TcpSegment {
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int ACK = 0x10;

  private final byte[] srcAddr;
  private final byte[] dstAddr;
  private final int srcPort;
  private final int dstPort;
  private final long seq;
  private final int flags;
  private final byte[] payload;
  private final long timestampNanos;

  TcpSegment(
      byte[] srcAddr,
      byte[] dstAddr,
      int srcPort,
      int dstPort,
      long seq,
      int flags,
      byte[] payload,
      long timestampNanos) {
    this.srcAddr = srcAddr;
    this.dstAddr = dstAddr;
    this.srcPort = srcPort;
    this.dstPort = dstPort;
    this.seq = seq;
    this.flags = flags;
    this.payload = payload;
    this.timestampNanos = timestampNanos;
  }

  public byte[] srcAddr() {
    return srcAddr.clone();
  }

  public byte[] dstAddr() {
    return dstAddr.clone();
  }

  public int srcPort() {
    return srcPort;
  }

  public int dstPort() {
    return dstPort;
  }

  /** Sequence number, unsigned 32-bit. */
  public long seq() {
    return seq;
  }

  public int flags() {
    return flags;
  }

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** TCP payload (not copied). */
  public byte[] payload() {
    return payload;
  }

  public long timestampNanos() {
    return timestampNanos;
  }

  /** "addr:port" of the source. */
  public String source() {
    return endpoint(srcAddr, srcPort);
  }

  public String destination() {
    return endpoint(dstAddr, dstPort);
  }

  static String endpoint(byte[] addr, int port) {
    try {
      String a = InetAddress.getByAddress(addr).getHostAddress();
      return (addr.length == 16 ? "[" + a + "]" : a) + ":" + port;
    } catch (UnknownHostException e) {
      return Arrays.toString(addr) + ":" + port;
    }
  }

  @Override
  public String toString() {
    return "TcpSegment{"
        + source()
        + " -> "
        + destination()
        + ", seq="
        + seq
        + ", flags=0x"
        + Integer.toHexString(flags)
        + ", len="
        + payload.length
        + '}';
  }
}
