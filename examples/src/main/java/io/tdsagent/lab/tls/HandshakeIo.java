package io.tdsagent.lab.tls;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a TLS handshake's records come from and go to: TDS PRELOGIN packets (TDS 7.x) or raw TCP
 * (TDS 8).
 */
public interface HandshakeIo {
  /** Inbound TLS bytes in read mode; the engine unwraps from it. */
  ByteBuffer inbound();

  /** Makes more inbound bytes available (flushing pending output first); false at end of stream. */
  boolean readMore() throws IOException;

  /** Queues TLS bytes produced by the engine. */
  void send(ByteBuffer tlsBytes) throws IOException;

  /** Sends queued bytes now (end of a flight). */
  void flush() throws IOException;
}
