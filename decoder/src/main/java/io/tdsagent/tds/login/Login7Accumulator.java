package io.tdsagent.tds.login;

import io.tdsagent.tds.wire.BoundedBuffer;

/**
 * Collects a LOGIN7 payload across packets and chunks, scrubbing the password ranges after every
 * append, and wipes itself once decoded (or cleared).
 */
public final class Login7Accumulator {
  private final BoundedBuffer buffer;

  public Login7Accumulator(int maxBytes) {
    this.buffer = new BoundedBuffer(1024, maxBytes);
  }

  /** Returns false if the payload exceeds the cap (nothing is appended then). */
  public boolean append(byte[] buf, int off, int len) {
    boolean ok = buffer.append(buf, off, len);
    Login7Decoder.scrubSecrets(buffer.array(), buffer.size());
    return ok;
  }

  public int size() {
    return buffer.size();
  }

  /** Decodes what was collected and wipes the buffer, whether decoding succeeds or not. */
  public Login7 decodeAndClear() {
    try {
      return Login7Decoder.decodeScrubbed(buffer.array(), buffer.size());
    } finally {
      buffer.clear();
    }
  }

  public void clear() {
    buffer.clear();
  }

  /** For tests: whether any non-zero byte remains in the backing array. */
  boolean isWiped() {
    for (byte b : buffer.array()) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
