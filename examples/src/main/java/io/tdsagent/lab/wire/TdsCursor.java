package io.tdsagent.lab.wire;

import java.nio.charset.StandardCharsets;

/** Bounds-checked little-endian reader over a message payload. */
public final class TdsCursor {
  private final byte[] data;
  private final int limit;
  private int pos;

  public TdsCursor(byte[] data) {
    this(data, 0, data.length);
  }

  public TdsCursor(byte[] data, int offset, int limit) {
    this.data = data;
    this.pos = offset;
    this.limit = limit;
  }

  public int position() {
    return pos;
  }

  public void position(int p) throws TdsProtocolException {
    if (p < 0 || p > limit) {
      throw new TdsProtocolException("offset " + p + " outside payload of " + limit + " bytes");
    }
    pos = p;
  }

  public int remaining() {
    return limit - pos;
  }

  private void need(int n) throws TdsProtocolException {
    if (n < 0 || pos + n > limit) {
      throw new TdsProtocolException(
          "truncated payload: need " + n + " bytes at " + pos + " of " + limit);
    }
  }

  public int uint8() throws TdsProtocolException {
    need(1);
    return data[pos++] & 0xFF;
  }

  public int uint16() throws TdsProtocolException {
    need(2);
    int v = (data[pos] & 0xFF) | ((data[pos + 1] & 0xFF) << 8);
    pos += 2;
    return v;
  }

  public int uint16BigEndian() throws TdsProtocolException {
    need(2);
    int v = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
    pos += 2;
    return v;
  }

  public int int32() throws TdsProtocolException {
    need(4);
    int v =
        (data[pos] & 0xFF)
            | ((data[pos + 1] & 0xFF) << 8)
            | ((data[pos + 2] & 0xFF) << 16)
            | ((data[pos + 3] & 0xFF) << 24);
    pos += 4;
    return v;
  }

  public int int32BigEndian() throws TdsProtocolException {
    need(4);
    int v =
        ((data[pos] & 0xFF) << 24)
            | ((data[pos + 1] & 0xFF) << 16)
            | ((data[pos + 2] & 0xFF) << 8)
            | (data[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  public long int64() throws TdsProtocolException {
    long lo = int32() & 0xFFFFFFFFL;
    long hi = int32() & 0xFFFFFFFFL;
    return lo | (hi << 32);
  }

  /** Looks at the next byte without consuming it. */
  public int peekUint8() throws TdsProtocolException {
    need(1);
    return data[pos] & 0xFF;
  }

  public byte[] bytes(int n) throws TdsProtocolException {
    need(n);
    byte[] out = java.util.Arrays.copyOfRange(data, pos, pos + n);
    pos += n;
    return out;
  }

  public void skip(int n) throws TdsProtocolException {
    need(n);
    pos += n;
  }

  /** {@code chars} UTF-16LE characters. */
  public String utf16(int chars) throws TdsProtocolException {
    need(chars * 2);
    String s = new String(data, pos, chars * 2, StandardCharsets.UTF_16LE);
    pos += chars * 2;
    return s;
  }

  /** Reads UTF-16LE text from an absolute offset without moving the cursor. */
  public String utf16At(int offset, int chars) throws TdsProtocolException {
    if (chars == 0) {
      return "";
    }
    if (offset < 0 || chars < 0 || offset + chars * 2 > limit) {
      throw new TdsProtocolException(
          "string at " + offset + " (" + chars + " chars) outside payload");
    }
    return new String(data, offset, chars * 2, StandardCharsets.UTF_16LE);
  }

  public byte[] bytesAt(int offset, int len) throws TdsProtocolException {
    if (offset < 0 || len < 0 || offset + len > limit) {
      throw new TdsProtocolException("field at " + offset + " (" + len + " bytes) outside payload");
    }
    return java.util.Arrays.copyOfRange(data, offset, offset + len);
  }
}
