package io.tdsagent.tds.tls;

/** ServerHello: what the server chose. */
public final class ServerHello extends TlsHandshakeMessage {
    private final int legacyVersion;
    private final int selectedVersion;
    private final int cipherSuite;
    private final String alpnProtocol;
    private final boolean helloRetryRequest;

    public ServerHello(int length, int legacyVersion, int selectedVersion, int cipherSuite, String alpnProtocol,
                       boolean helloRetryRequest) {
        super(2, length);
        this.legacyVersion = legacyVersion;
        this.selectedVersion = selectedVersion;
        this.cipherSuite = cipherSuite;
        this.alpnProtocol = alpnProtocol;
        this.helloRetryRequest = helloRetryRequest;
    }

    public int getLegacyVersion() {
        return legacyVersion;
    }

    /** The negotiated version: supported_versions when present (TLS 1.3), else legacy_version. */
    public int getSelectedVersion() {
        return selectedVersion;
    }

    public String getSelectedVersionName() {
        return TlsNames.version(selectedVersion);
    }

    public int getCipherSuite() {
        return cipherSuite;
    }

    public String getCipherSuiteName() {
        return TlsNames.cipherSuite(cipherSuite);
    }

    /** Selected ALPN protocol, or null. */
    public String getAlpnProtocol() {
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
        return "ServerHello{version=" + getSelectedVersionName() + ", cipherSuite=" + getCipherSuiteName()
                + (alpnProtocol != null ? ", alpn=" + alpnProtocol : "") + (helloRetryRequest ? ", HelloRetryRequest" : "") + '}';
    }
}
