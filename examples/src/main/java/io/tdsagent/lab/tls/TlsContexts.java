package io.tdsagent.lab.tls;

import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/** Server-side TLS engines for the two ways TDS carries TLS. */
public final class TlsContexts {
  /** ALPN protocol id of TDS 8 (MS-TDS 1.9). */
  public static final String ALPN_TDS_8 = "tds/8.0";

  private final SSLContext context;

  public TlsContexts(SelfSignedCertificate certificate) {
    context = certificate.serverContext();
  }

  /**
   * TDS 7.x: the handshake travels inside PRELOGIN packets. TLS 1.2 only, as SQL Server does: with
   * TLS 1.3 the client finishes its handshake without reading again, so its last flight would never
   * be flushed out of the TDS framing.
   */
  public SSLEngine newTds7Engine() {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(pick(engine.getSupportedProtocols(), "TLSv1.2"));
    return engine;
  }

  /**
   * TDS 8 (strict): TLS first, straight on TCP, TLS 1.3 or 1.2, ALPN "tds/8.0" when the client
   * offers it.
   */
  public SSLEngine newStrictEngine() {
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    engine.setEnabledProtocols(pick(engine.getSupportedProtocols(), "TLSv1.3", "TLSv1.2"));
    // MS-TDS 1.7: without ALPN the server assumes TDS 8; with ALPN, pick tds/8.0 if offered.
    engine.setHandshakeApplicationProtocolSelector(
        (e, offered) -> offered.contains(ALPN_TDS_8) ? ALPN_TDS_8 : "");
    return engine;
  }

  private static String[] pick(String[] supported, String... wanted) {
    List<String> s = Arrays.asList(supported);
    String[] chosen = Arrays.stream(wanted).filter(s::contains).toArray(String[]::new);
    if (chosen.length == 0) {
      throw new IllegalStateException("JVM supports none of " + Arrays.toString(wanted));
    }
    return chosen;
  }
}
