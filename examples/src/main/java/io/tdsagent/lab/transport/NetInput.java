package io.tdsagent.lab.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The socket's input with one shared read-ahead buffer. Every layer (plain TDS, TLS records)
 * consumes from this buffer, so bytes read ahead by one layer are never lost when the connection
 * switches layers (for example from TLS back to plaintext after the first LOGIN7 packet).
 *
 * <p>The buffer is kept in "read mode": position..limit are the unread bytes.
 */
public final class NetInput {
  private final InputStream in;
  private ByteBuffer buf;

  public NetInput(InputStream in, int capacity) {
    this.in = in;
    this.buf = ByteBuffer.allocate(capacity);
    this.buf.flip();
  }

  /** Unread bytes, in read mode. Layers may consume from it directly (SSLEngine.unwrap). */
  public ByteBuffer buffer() {
    return buf;
  }

  public int available() {
    return buf.remaining();
  }

  /** Makes sure the buffer can hold at least {@code capacity} bytes in total. */
  public void ensureCapacity(int capacity) {
    if (buf.capacity() < capacity) {
      ByteBuffer bigger = ByteBuffer.allocate(capacity);
      bigger.put(buf);
      bigger.flip();
      buf = bigger;
    }
  }

  /**
   * One socket read appending to the buffer; returns the number of bytes read or -1 at end of
   * stream.
   */
  public int fill() throws IOException {
    buf.compact();
    try {
      if (!buf.hasRemaining()) {
        throw new IOException("network input buffer full (" + buf.capacity() + " bytes)");
      }
      int n = in.read(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
      if (n > 0) {
        buf.position(buf.position() + n);
      }
      return n;
    } finally {
      buf.flip();
    }
  }

  /** Peeks the next byte without consuming it; -1 at end of stream. */
  public int peek() throws IOException {
    while (!buf.hasRemaining()) {
      if (fill() < 0) {
        return -1;
      }
    }
    return buf.get(buf.position()) & 0xFF;
  }

  /** Copies buffered bytes, reading from the socket only when nothing is buffered. */
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (!buf.hasRemaining()) {
      if (fill() < 0) {
        return -1;
      }
    }
    int n = Math.min(len, buf.remaining());
    buf.get(b, off, n);
    return n;
  }
}
