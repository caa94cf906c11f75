package io.tdsagent.lab.smp;

import io.tdsagent.lab.wire.TdsProtocolException;

/**
 * The 16-byte SMP header (MC-SMP 2.2.1): SMID 0x53, FLAGS (exactly one of SYN, ACK, FIN, DATA),
 * SID, LENGTH (the whole packet, header included), SEQNUM, WNDW; integers little-endian, SEQNUM and
 * WNDW unsigned 32-bit.
 */
public final class SmpHeader {
  public static final int SIZE = 16;
  public static final int SMID = 0x53;
  public static final int SYN = 0x01;
  public static final int ACK = 0x02;
  public static final int FIN = 0x04;
  public static final int DATA = 0x08;

  /** Window a session starts with, both ways (MC-SMP 3.1.3.1). */
  public static final long INITIAL_WINDOW = 4;

  final int flags;
  final int sid;
  final long length;
  final long seq;
  final long wndw;

  private SmpHeader(int flags, int sid, long length, long seq, long wndw) {
    this.flags = flags;
    this.sid = sid;
    this.length = length;
    this.seq = seq;
    this.wndw = wndw;
  }

  /** Reads and checks a header; {@code maxLength} bounds a DATA packet. */
  static SmpHeader parse(byte[] b, long maxLength) throws TdsProtocolException {
    if ((b[0] & 0xFF) != SMID) {
      throw new TdsProtocolException(
          String.format("SMP: SMID 0x%02X instead of 0x53", b[0] & 0xFF));
    }
    int flags = b[1] & 0xFF;
    SmpHeader h = new SmpHeader(flags, u16(b, 2), u32(b, 4), u32(b, 8), u32(b, 12));
    if (flags != SYN && flags != ACK && flags != FIN && flags != DATA) {
      throw new TdsProtocolException(String.format("SMP: FLAGS 0x%02X", flags));
    }
    if (flags == DATA ? h.length <= SIZE || h.length > maxLength : h.length != SIZE) {
      throw new TdsProtocolException(
          "SMP: LENGTH " + h.length + " for " + name(flags) + " on SID " + h.sid);
    }
    return h;
  }

  static void encode(byte[] b, int flags, int sid, long length, long seq, long wndw) {
    b[0] = (byte) SMID;
    b[1] = (byte) flags;
    b[2] = (byte) sid;
    b[3] = (byte) (sid >>> 8);
    put32(b, 4, length);
    put32(b, 8, seq);
    put32(b, 12, wndw);
  }

  static String name(int flags) {
    switch (flags) {
      case SYN:
        return "SYN";
      case ACK:
        return "ACK";
      case FIN:
        return "FIN";
      case DATA:
        return "DATA";
      default:
        return String.format("0x%02X", flags);
    }
  }

  /** Wrap-aware "a comes after b" for 32-bit sequence numbers. */
  static boolean after(long a, long b) {
    return (int) (a - b) > 0;
  }

  private static int u16(byte[] b, int i) {
    return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8;
  }

  private static long u32(byte[] b, int i) {
    return (b[i] & 0xFFL)
        | (b[i + 1] & 0xFFL) << 8
        | (b[i + 2] & 0xFFL) << 16
        | (b[i + 3] & 0xFFL) << 24;
  }

  private static void put32(byte[] b, int i, long v) {
    b[i] = (byte) v;
    b[i + 1] = (byte) (v >>> 8);
    b[i + 2] = (byte) (v >>> 16);
    b[i + 3] = (byte) (v >>> 24);
  }

  @Override
  public String toString() {
    return name(flags) + " sid=" + sid + " len=" + length + " seq=" + seq + " wndw=" + wndw;
  }
}
