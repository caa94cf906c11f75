package io.tdsagent.smp;

import io.tdsagent.tds.wire.ByteReader;

/**
 * The 16-byte SMP header (MC-SMP 2.2.1). All integers little-endian; SEQNUM and WNDW unsigned
 * 32-bit.
 */
public final class SmpHeader {
  public static final int SIZE = 16;
  public static final int SMID = 0x53;
  public static final int SYN = 0x01;
  public static final int ACK = 0x02;
  public static final int FIN = 0x04;
  public static final int DATA = 0x08;

  private final int flags;
  private final int sid;
  private final long length;
  private final long seqNum;
  private final long wndw;

  public SmpHeader(int flags, int sid, long length, long seqNum, long wndw) {
    this.flags = flags;
    this.sid = sid;
    this.length = length;
    this.seqNum = seqNum;
    this.wndw = wndw;
  }

  /** Reads a header; SMID is not checked here (see {@link #problem}). */
  public static SmpHeader read(ByteReader r) {
    r.u8(); // SMID
    int flags = r.u8();
    int sid = r.u16le();
    long length = r.u32le();
    long seq = r.u32le();
    long wndw = r.u32le();
    return new SmpHeader(flags, sid, length, seq, wndw);
  }

  /**
   * Why the {@code n} available bytes at {@code off} cannot start an SMP header, or null if they
   * can (a shorter prefix is judged on what it has). Senders never combine flags (2.2.1.1), and
   * only DATA has a payload.
   */
  public static String problem(byte[] b, int off, int n, long maxLength) {
    if (n >= 1 && (b[off] & 0xFF) != SMID) {
      return "SMID 0x" + Integer.toHexString(b[off] & 0xFF) + " instead of 0x53";
    }
    if (n >= 2) {
      int f = b[off + 1] & 0xFF;
      if (f != SYN && f != ACK && f != FIN && f != DATA) {
        return "FLAGS 0x" + Integer.toHexString(f);
      }
      if (n >= 8) {
        long len =
            (b[off + 4] & 0xFF)
                | (b[off + 5] & 0xFF) << 8
                | (b[off + 6] & 0xFF) << 16
                | (long) (b[off + 7] & 0xFF) << 24;
        if (len < SIZE || (f != DATA && len != SIZE) || len > maxLength) {
          return "LENGTH " + len + " for FLAGS 0x" + Integer.toHexString(f);
        }
      }
    }
    return null;
  }

  public int flags() {
    return flags;
  }

  public boolean isSyn() {
    return flags == SYN;
  }

  public boolean isAck() {
    return flags == ACK;
  }

  public boolean isFin() {
    return flags == FIN;
  }

  public boolean isData() {
    return flags == DATA;
  }

  public int sid() {
    return sid;
  }

  /** Whole packet, header included. */
  public long length() {
    return length;
  }

  public long dataLength() {
    return length - SIZE;
  }

  public long seqNum() {
    return seqNum;
  }

  /** The highest SEQNUM the sender of this header lets its peer use. */
  public long wndw() {
    return wndw;
  }

  public static String flagName(int flags) {
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
        return "0x" + Integer.toHexString(flags);
    }
  }

  @Override
  public String toString() {
    return "SMP{"
        + flagName(flags)
        + " sid="
        + sid
        + " len="
        + length
        + " seq="
        + seqNum
        + " wndw="
        + wndw
        + '}';
  }
}
