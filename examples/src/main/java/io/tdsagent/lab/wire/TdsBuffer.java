package io.tdsagent.lab.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Growable little-endian byte buffer for building TDS payloads and token streams. */
public final class TdsBuffer {
  private byte[] buf;
  private int size;

  public TdsBuffer() {
    this(256);
  }

  public TdsBuffer(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public byte[] array() {
    return buf;
  }

  public int size() {
    return size;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  public void reset() {
    size = 0;
  }

  private void ensure(int extra) {
    if (size + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
    }
  }

  public TdsBuffer byte1(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  public TdsBuffer uint16(int v) {
    ensure(2);
    buf[size++] = (byte) v;
    buf[size++] = (byte) (v >>> 8);
    return this;
  }

  public TdsBuffer uint16BigEndian(int v) {
    ensure(2);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
    return this;
  }

  public TdsBuffer int32(int v) {
    ensure(4);
    buf[size++] = (byte) v;
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 24);
    return this;
  }

  public TdsBuffer int32BigEndian(int v) {
    ensure(4);
    buf[size++] = (byte) (v >>> 24);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
    return this;
  }

  public TdsBuffer int64(long v) {
    int32((int) v);
    int32((int) (v >>> 32));
    return this;
  }

  public TdsBuffer bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public TdsBuffer bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  /** UTF-16LE characters without a length prefix, encoded in place (no intermediate array). */
  public TdsBuffer utf16Chars(CharSequence s) {
    int n = s.length();
    ensure(2 * n);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      buf[size++] = (byte) c;
      buf[size++] = (byte) (c >>> 8);
    }
    return this;
  }

  /** Drops the first {@code n} bytes (already sent), moving the rest to the front. */
  public void discardFront(int n) {
    if (n < 0 || n > size) {
      throw new IllegalArgumentException("discard " + n + " of " + size);
    }
    System.arraycopy(buf, n, buf, 0, size - n);
    size -= n;
  }

  /** Truncates to {@code newSize} bytes (drops what was appended after a mark). */
  public void truncate(int newSize) {
    if (newSize < 0 || newSize > size) {
      throw new IllegalArgumentException("truncate to " + newSize + " of " + size);
    }
    size = newSize;
  }

  /** UTF-16LE characters without a length prefix. */
  public TdsBuffer utf16(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_16LE));
  }

  /** B_VARCHAR: one byte of length in characters, then UTF-16LE. */
  public TdsBuffer bVarchar(String s) {
    String v = s == null ? "" : s;
    if (v.length() > 255) {
      throw new IllegalArgumentException("B_VARCHAR longer than 255 characters");
    }
    byte1(v.length());
    return utf16(v);
  }

  /** US_VARCHAR: two bytes of length in characters, then UTF-16LE. */
  public TdsBuffer usVarchar(String s) {
    String v = s == null ? "" : s;
    if (v.length() > 0xFFFF) {
      throw new IllegalArgumentException("US_VARCHAR longer than 65535 characters");
    }
    uint16(v.length());
    return utf16(v);
  }

  /** B_VARBYTE: one byte of length, then the bytes. */
  public TdsBuffer bVarbyte(byte[] b) {
    byte1(b.length);
    return bytes(b);
  }

  /**
   * Overwrites a little-endian USHORT at {@code pos} (for length fields known only after the body).
   */
  public void patchUint16(int pos, int v) {
    buf[pos] = (byte) v;
    buf[pos + 1] = (byte) (v >>> 8);
  }

  /** Appends another buffer's content. */
  public TdsBuffer append(TdsBuffer other) {
    return bytes(other.buf, 0, other.size);
  }
}
