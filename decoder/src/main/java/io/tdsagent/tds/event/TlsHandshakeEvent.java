package io.tdsagent.tds.event;

import io.tdsagent.tds.tls.TlsHandshakeMessage;

/**
 * A TLS handshake message seen in clear (inside PRELOGIN packets, or as bare records in a capture).
 */
public final class TlsHandshakeEvent extends TdsEvent {
  private final Direction direction;
  private final TlsHandshakeMessage message;

  public TlsHandshakeEvent(Direction direction, TlsHandshakeMessage message, long timeNanos) {
    super(timeNanos);
    this.direction = direction;
    this.message = message;
  }

  public Direction direction() {
    return direction;
  }

  public TlsHandshakeMessage message() {
    return message;
  }

  @Override
  public String toString() {
    return "TlsHandshakeEvent{" + direction + ", " + message + ", t=" + timeNanos() + '}';
  }
}
