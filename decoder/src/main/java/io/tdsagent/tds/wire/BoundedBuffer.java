package io.tdsagent.tds.wire;

import java.util.Arrays;

/**
 * A growable byte accumulator with a hard cap, used wherever a whole message or record must be
 * collected before decoding. {@link #clear()} zero-fills what was written so nothing sensitive
 * lingers.
 */
public final class BoundedBuffer {
  private static final byte[] NONE = new byte[0];

  private final int cap;
  private final int initial;

  /**
   * Allocated at the first append: many buffers (carry-overs, a connection's post-login decoders)
   * never are.
   */
  private byte[] data = NONE;

  private int size;

  public BoundedBuffer(int initial, int cap) {
    this.cap = cap;
    this.initial = Math.min(initial, cap);
  }

  /** Appends; returns false (and appends nothing) if the cap would be exceeded. */
  public boolean append(byte[] b, int off, int len) {
    if (len > cap - size) {
      return false;
    }
    if (size + len > data.length) {
      int n = Math.min(cap, Math.max(size + len, Math.max(initial, data.length * 2)));
      byte[] grown = Arrays.copyOf(data, n);
      Arrays.fill(data, (byte) 0);
      data = grown;
    }
    System.arraycopy(b, off, data, size, len);
    size += len;
    return true;
  }

  public byte[] array() {
    return data;
  }

  public int size() {
    return size;
  }

  public int cap() {
    return cap;
  }

  /** Drops the first n bytes, keeping the rest at the front. */
  public void discard(int n) {
    System.arraycopy(data, n, data, 0, size - n);
    Arrays.fill(data, size - n, size, (byte) 0);
    size -= n;
  }

  public void clear() {
    Arrays.fill(data, 0, size, (byte) 0);
    size = 0;
  }

  public ByteReader reader() {
    return new ByteReader(data, 0, size);
  }
}
