package io.tdsagent.lab.sql;

import io.tdsagent.lab.wire.TdsBuffer;
import java.io.IOException;

/**
 * Where a response's tokens go: a buffer that the owner may send as full packets while the response
 * is still being written. {@link #spill()} may be called anywhere (even inside a token, e.g.
 * between PLP chunks) and only sends full packets; {@link #tokenBoundary()} is called after whole
 * tokens (each ROW) and is where a cancelled request (ATTENTION) is noticed.
 */
public interface TokenOutput {
  TdsBuffer buffer();

  /** Sends complete packets if enough bytes are buffered. */
  void spill() throws IOException;

  /** After a whole token: spill, and throw {@link Cancelled} if the client sent an ATTENTION. */
  void tokenBoundary() throws IOException;

  /**
   * Waits (a WAITFOR, a slow row); throws {@link Cancelled} as soon as the client sends an
   * ATTENTION.
   */
  void pause(long millis) throws IOException;

  /** Thrown by {@link #tokenBoundary()} and {@link #pause(long)} when the request was cancelled. */
  final class Cancelled extends IOException {
    private static final long serialVersionUID = 1L;

    public Cancelled() {
      super("request cancelled by ATTENTION", null);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }
}
