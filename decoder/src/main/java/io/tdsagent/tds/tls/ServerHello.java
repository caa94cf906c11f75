package io.tdsagent.tds.tls;

/** ServerHello: what the server chose. */
public final class ServerHello extends TlsHandshakeMessage {
  private final int legacyVersion;
  private final int selectedVersion;
  private final int cipherSuite;
  private final String alpnProtocol;
  private final boolean helloRetryRequest;

  ServerHello(
      int length,
      int legacyVersion,
      int selectedVersion,
      int cipherSuite,
      String alpnProtocol,
      boolean helloRetryRequest) {
    super(2, length);
    this.legacyVersion = legacyVersion;
    this.selectedVersion = selectedVersion;
    this.cipherSuite = cipherSuite;
    this.alpnProtocol = alpnProtocol;
    this.helloRetryRequest = helloRetryRequest;
  }

  public int legacyVersion() {
    return legacyVersion;
  }

  /** The negotiated version: supported_versions when present (TLS 1.3), else legacy_version. */
  public int selectedVersion() {
    return selectedVersion;
  }

  public String selectedVersionName() {
    return TlsNames.version(selectedVersion);
  }

  public int cipherSuite() {
    return cipherSuite;
  }

  public String cipherSuiteName() {
    return TlsNames.cipherSuite(cipherSuite);
  }

  /** Selected ALPN protocol, or null. */
  public String alpnProtocol() {
    return alpnProtocol;
  }

  /** A TLS 1.3 HelloRetryRequest (the client will send a second ClientHello). */
  public boolean isHelloRetryRequest() {
    return helloRetryRequest;
  }

  public boolean isTls13() {
    return selectedVersion == 0x0304;
  }

  @Override
  public String toString() {
    return "ServerHello{version="
        + selectedVersionName()
        + ", cipherSuite="
        + cipherSuiteName()
        + (alpnProtocol != null ? ", alpn=" + alpnProtocol : "")
        + (helloRetryRequest ? ", HelloRetryRequest" : "")
        + '}';
  }
}
