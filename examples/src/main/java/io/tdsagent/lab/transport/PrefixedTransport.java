package io.tdsagent.lab.transport;

import java.io.IOException;

/**
 * A transport whose first bytes were already read (peeked) by the caller: it returns them first.
 */
public final class PrefixedTransport implements Transport {
  private final byte[] prefix;
  private int position;
  private final Transport rest;

  public PrefixedTransport(byte[] prefix, Transport rest) {
    this.prefix = prefix.clone();
    this.rest = rest;
  }

  /** Bytes of the prefix not read yet. */
  public int buffered() {
    return prefix.length - position;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (position < prefix.length && len > 0) {
      int n = Math.min(len, prefix.length - position);
      System.arraycopy(prefix, position, b, off, n);
      position += n;
      return n;
    }
    return rest.read(b, off, len);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    rest.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    rest.flush();
  }
}
