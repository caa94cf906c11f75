package io.tdsagent.lab.transport;

import java.io.IOException;

/**
 * A byte stream layer under the TDS packets: plain TCP or TLS. Writes are buffered until {@link
 * #flush()}.
 */
public interface Transport {
  /** Reads at least one byte, blocking; returns -1 at end of stream. */
  int read(byte[] b, int off, int len) throws IOException;

  void write(byte[] b, int off, int len) throws IOException;

  void flush() throws IOException;

  /**
   * Reads exactly {@code len} bytes; false if the stream ended before the first byte, EOFException
   * after.
   */
  default boolean readFully(byte[] b, int off, int len) throws IOException {
    int done = 0;
    while (done < len) {
      int n = read(b, off + done, len - done);
      if (n < 0) {
        if (done == 0) {
          return false;
        }
        throw new java.io.EOFException("connection closed after " + done + " of " + len + " bytes");
      }
      done += n;
    }
    return true;
  }
}
