package io.tdsagent.tds.tls;

/**
 * Both directions of one TLS connection. Shared state lives here: once a TLS 1.3 ServerHello is
 * seen, every later record in either direction is encrypted.
 */
public final class TlsSession {
  private final TlsRecordStream client;
  private final TlsRecordStream server;
  private ServerHello serverHello;

  public TlsSession(int maxBytes, TlsListener clientListener, TlsListener serverListener) {
    this.client = new TlsRecordStream(this, maxBytes, clientListener);
    this.server = new TlsRecordStream(this, maxBytes, serverListener);
  }

  public TlsRecordStream client() {
    return client;
  }

  public TlsRecordStream server() {
    return server;
  }

  /** The ServerHello, once seen. */
  public ServerHello serverHello() {
    return serverHello;
  }

  public boolean isTls13() {
    return serverHello != null && serverHello.isTls13() && !serverHello.isHelloRetryRequest();
  }

  void onServerHello(ServerHello hello) {
    this.serverHello = hello;
    if (isTls13()) {
      server.markEncrypted();
      client.markEncrypted();
    }
  }
}
