package io.tdsagent.tds.tls;

/** A TLS handshake message read in clear. */
public abstract class TlsHandshakeMessage {
  private final int handshakeType;
  private final int length;

  protected TlsHandshakeMessage(int handshakeType, int length) {
    this.handshakeType = handshakeType;
    this.length = length;
  }

  /** HandshakeType code (1 client_hello, 2 server_hello, 11 certificate...). */
  public int handshakeType() {
    return handshakeType;
  }

  /** RFC 8446 name, e.g. "server_key_exchange". */
  public String name() {
    return TlsNames.handshakeType(handshakeType);
  }

  /** Body length from the handshake header. */
  public int length() {
    return length;
  }
}
