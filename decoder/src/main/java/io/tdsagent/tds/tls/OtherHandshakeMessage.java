package io.tdsagent.tds.tls;

/**
 * A handshake message known by type only (server_key_exchange, client_key_exchange,
 * server_hello_done...).
 */
public final class OtherHandshakeMessage extends TlsHandshakeMessage {
  OtherHandshakeMessage(int handshakeType, int length) {
    super(handshakeType, length);
  }

  @Override
  public String toString() {
    return "TlsHandshake{" + name() + ", length=" + length() + '}';
  }
}
