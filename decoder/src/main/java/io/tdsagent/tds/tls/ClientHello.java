package io.tdsagent.tds.tls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** ClientHello: what the client offers. */
public final class ClientHello extends TlsHandshakeMessage {
    private final int legacyVersion;
    private final List<Integer> supportedVersions;
    private final List<Integer> cipherSuites;
    private final String serverName;
    private final List<String> alpnProtocols;

    public ClientHello(int length, int legacyVersion, List<Integer> supportedVersions, List<Integer> cipherSuites,
                       String serverName, List<String> alpnProtocols) {
        super(1, length);
        this.legacyVersion = legacyVersion;
        this.supportedVersions = Collections.unmodifiableList(new ArrayList<>(supportedVersions));
        this.cipherSuites = Collections.unmodifiableList(new ArrayList<>(cipherSuites));
        this.serverName = serverName;
        this.alpnProtocols = Collections.unmodifiableList(new ArrayList<>(alpnProtocols));
    }

    /** legacy_version, e.g. 0x0303. */
    public int getLegacyVersion() {
        return legacyVersion;
    }

    /** supported_versions extension, in offer order; empty when absent. */
    public List<Integer> getSupportedVersions() {
        return supportedVersions;
    }

    /** Offered versions by name ("TLSv1.3", ...); the legacy version when there is no supported_versions. */
    public List<String> getOfferedVersionNames() {
        List<String> out = new ArrayList<>();
        if (supportedVersions.isEmpty()) {
            out.add(TlsNames.version(legacyVersion));
        } else {
            for (int v : supportedVersions) {
                out.add(TlsNames.version(v));
            }
        }
        return out;
    }

    public List<Integer> getCipherSuites() {
        return cipherSuites;
    }

    public List<String> getCipherSuiteNames() {
        List<String> out = new ArrayList<>(cipherSuites.size());
        for (int c : cipherSuites) {
            out.add(TlsNames.cipherSuite(c));
        }
        return out;
    }

    /** SNI host name, or null. */
    public String getServerName() {
        return serverName;
    }

    /** ALPN protocol names (TDS 8 clients offer "tds/8.0"); empty when absent. */
    public List<String> getAlpnProtocols() {
        return alpnProtocols;
    }

    @Override
    public String toString() {
        return "ClientHello{legacyVersion=" + TlsNames.version(legacyVersion) + ", offered=" + getOfferedVersionNames()
                + ", cipherSuites=" + cipherSuites.size() + ", sni=" + serverName + ", alpn=" + alpnProtocols + '}';
    }
}
