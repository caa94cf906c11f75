package io.tdsagent.tds.wire;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Bounds-checked cursor over a byte range, shared by every decoder in this project. Positions are
 * relative to the start of the range; every read past the end throws {@link DecodeException} so
 * parsers never need their own length checks.
 */
public final class ByteReader {
  private final byte[] buf;
  private final int start;
  private final int end;
  private int pos;

  public ByteReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public ByteReader(byte[] buf, int off, int len) {
    if (off < 0 || len < 0 || off > buf.length - len) {
      throw new DecodeException("range " + off + "+" + len + " outside buffer of " + buf.length);
    }
    this.buf = buf;
    this.start = off;
    this.end = off + len;
    this.pos = off;
  }

  public int position() {
    return pos - start;
  }

  public int length() {
    return end - start;
  }

  public int remaining() {
    return end - pos;
  }

  public boolean hasRemaining() {
    return pos < end;
  }

  /** Moves to an absolute position within the range (0..length). */
  public ByteReader seek(int position) {
    if (position < 0 || position > end - start) {
      throw new DecodeException("seek to " + position + " outside range of " + (end - start));
    }
    pos = start + position;
    return this;
  }

  public ByteReader skip(int n) {
    require(n);
    pos += n;
    return this;
  }

  private void require(int n) {
    if (n < 0) {
      throw new DecodeException("negative length " + n + " at " + position());
    }
    if (n > end - pos) {
      throw new ShortReadException(
          "need " + n + " bytes at " + position() + ", have " + remaining(), (long) position() + n);
    }
  }

  public int peekU8() {
    require(1);
    return buf[pos] & 0xFF;
  }

  public int u8() {
    require(1);
    return buf[pos++] & 0xFF;
  }

  public int u16le() {
    require(2);
    int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
    pos += 2;
    return v;
  }

  public int u16be() {
    require(2);
    int v = (buf[pos] & 0xFF) << 8 | (buf[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  public int u24be() {
    require(3);
    int v = (buf[pos] & 0xFF) << 16 | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF);
    pos += 3;
    return v;
  }

  public int i32le() {
    require(4);
    int v =
        (buf[pos] & 0xFF)
            | (buf[pos + 1] & 0xFF) << 8
            | (buf[pos + 2] & 0xFF) << 16
            | (buf[pos + 3] & 0xFF) << 24;
    pos += 4;
    return v;
  }

  public long u32le() {
    return i32le() & 0xFFFFFFFFL;
  }

  public int i32be() {
    require(4);
    int v =
        (buf[pos] & 0xFF) << 24
            | (buf[pos + 1] & 0xFF) << 16
            | (buf[pos + 2] & 0xFF) << 8
            | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  public long u32be() {
    return i32be() & 0xFFFFFFFFL;
  }

  public long i64le() {
    long lo = u32le();
    long hi = u32le();
    return hi << 32 | lo;
  }

  /** A copy of the next n bytes. */
  public byte[] bytes(int n) {
    require(n);
    byte[] out = new byte[n];
    System.arraycopy(buf, pos, out, 0, n);
    pos += n;
    return out;
  }

  /** A reader over the next n bytes (no copy); this reader moves past them. */
  public ByteReader slice(int n) {
    require(n);
    ByteReader r = new ByteReader(buf, pos, n);
    pos += n;
    return r;
  }

  /** A reader over [offset, offset+n) of this range, independent of the current position. */
  public ByteReader sliceAt(int offset, int n) {
    if (offset < 0 || n < 0 || offset > end - start - n) {
      throw new DecodeException("slice " + offset + "+" + n + " outside range of " + (end - start));
    }
    return new ByteReader(buf, start + offset, n);
  }

  /** {@code chars} UTF-16LE code units. */
  public String utf16le(int chars) {
    if (chars < 0 || chars > Integer.MAX_VALUE / 2) {
      throw new DecodeException("bad character count " + chars);
    }
    require(chars * 2);
    String s = new String(buf, pos, chars * 2, StandardCharsets.UTF_16LE);
    pos += chars * 2;
    return s;
  }

  /** B_VARCHAR: one-byte character count, UTF-16LE characters. */
  public String bVarchar() {
    return utf16le(u8());
  }

  /** US_VARCHAR: two-byte (LE) character count, UTF-16LE characters. */
  public String usVarchar() {
    return utf16le(u16le());
  }

  /** B_VARBYTE: one-byte length, bytes. */
  public byte[] bVarbyte() {
    return bytes(u8());
  }

  /** US_VARBYTE: two-byte (LE) length, bytes. */
  public byte[] usVarbyte() {
    return bytes(u16le());
  }

  /** L_VARBYTE: four-byte (LE) length, bytes. */
  public byte[] lVarbyte() {
    long n = u32le();
    if (n > remaining()) {
      throw new ShortReadException(
          "L_VARBYTE of " + n + " bytes, have " + remaining(), position() + n);
    }
    return bytes((int) n);
  }

  /** Single-byte characters up to (and consuming) a NUL, or to the end of the range. */
  public String nulTerminatedAscii() {
    int p = pos;
    while (p < end && buf[p] != 0) {
      p++;
    }
    String s = new String(buf, pos, p - pos, StandardCharsets.ISO_8859_1);
    pos = p < end ? p + 1 : p;
    return s;
  }

  /**
   * A GUID in the Windows layout: Data1 (uint32), Data2 and Data3 (uint16) little-endian, Data4 (8
   * bytes) as is; returned as the UUID with the same textual form.
   */
  public UUID guid() {
    long d1 = u32le();
    long d2 = u16le();
    long d3 = u16le();
    long msb = d1 << 32 | d2 << 16 | d3;
    require(8);
    long lsb = 0;
    for (int i = 0; i < 8; i++) {
      lsb = lsb << 8 | (buf[pos++] & 0xFF);
    }
    return new UUID(msb, lsb);
  }
}
