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

  ClientHello(
      int length,
      int legacyVersion,
      List<Integer> supportedVersions,
      List<Integer> cipherSuites,
      String serverName,
      List<String> alpnProtocols) {
    super(1, length);
    this.legacyVersion = legacyVersion;
    this.supportedVersions = Collections.unmodifiableList(new ArrayList<>(supportedVersions));
    this.cipherSuites = Collections.unmodifiableList(new ArrayList<>(cipherSuites));
    this.serverName = serverName;
    this.alpnProtocols = Collections.unmodifiableList(new ArrayList<>(alpnProtocols));
  }

  /** legacy_version, e.g. 0x0303. */
  public int legacyVersion() {
    return legacyVersion;
  }

  /** supported_versions extension, in offer order; empty when absent. */
  public List<Integer> supportedVersions() {
    return supportedVersions;
  }

  /**
   * Offered versions by name ("TLSv1.3", ...); the legacy version when there is no
   * supported_versions.
   */
  public List<String> offeredVersionNames() {
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

  public List<Integer> cipherSuites() {
    return cipherSuites;
  }

  /** Unmodifiable. */
  public List<String> cipherSuiteNames() {
    Names last = lastNames;
    if (last != null && last.ids.equals(cipherSuites)) {
      return last.names;
    }
    List<String> out = new ArrayList<>(cipherSuites.size());
    for (int c : cipherSuites) {
      out.add(TlsNames.cipherSuite(c));
    }
    List<String> names = Collections.unmodifiableList(out);
    lastNames = new Names(cipherSuites, names);
    return names;
  }

  /**
   * The last list named: a client offers the same suites at every login, and naming 30-odd of them
   * costs more than comparing. Immutable, replaced whole: any thread may read it.
   */
  private static volatile Names lastNames;

  private static final class Names {
    final List<Integer> ids;
    final List<String> names;

    Names(List<Integer> ids, List<String> names) {
      this.ids = ids;
      this.names = names;
    }
  }

  /** SNI host name, or null. */
  public String serverName() {
    return serverName;
  }

  /** ALPN protocol names (TDS 8 clients offer "tds/8.0"); empty when absent. */
  public List<String> alpnProtocols() {
    return alpnProtocols;
  }

  @Override
  public String toString() {
    return "ClientHello{legacyVersion="
        + TlsNames.version(legacyVersion)
        + ", offered="
        + offeredVersionNames()
        + ", cipherSuites="
        + cipherSuites.size()
        + ", sni="
        + serverName
        + ", alpn="
        + alpnProtocols
        + '}';
  }
}
