package io.tdsagent.agent.tap;

import java.lang.reflect.Field;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * What the driver's TLS session settled on, read from its {@code SSLSocket} once the handshake is
 * over. Under TLS 1.3 the server certificate is encrypted on the wire; this is where it is seen.
 */
final class TlsSessionInfo {
  final String protocol;
  final String cipher;

  /**
   * The server's certificate; its names are formatted on the export thread, not here on the
   * driver's.
   */
  final X509Certificate certificate;

  private TlsSessionInfo(SSLSession s) {
    this.protocol = s.getProtocol();
    this.cipher = s.getCipherSuite();
    X509Certificate leaf = null;
    try {
      Certificate[] chain = s.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate) {
        leaf = (X509Certificate) chain[0];
      }
    } catch (Exception e) {
      // unauthenticated session: no certificate to report
    }
    this.certificate = leaf;
  }

  /** "TLSv1.3" as "1.3", the form of the {@code tls.protocol.version} convention. */
  String protocolVersion() {
    if (protocol == null) {
      return null;
    }
    return protocol.startsWith("TLSv") ? protocol.substring(4) : protocol;
  }

  /**
   * {@code TDSChannel.sslSocket} per channel class, looked up once, so a login does not pay for the
   * reflective search.
   */
  private static final ClassValue<Field> SSL_SOCKET =
      new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> type) {
          try {
            Field f = type.getDeclaredField("sslSocket");
            f.setAccessible(true);
            return f;
          } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
          }
        }
      };

  /**
   * The session itself, or read from {@code TDSChannel.sslSocket}; null if the driver has no such
   * field or no session yet.
   */
  static TlsSessionInfo of(Object channel) {
    if (channel instanceof SSLSession) {
      return new TlsSessionInfo(
          (SSLSession) channel); // handed over by the advice (r2dbc-mssql's SSLEngine)
    }
    try {
      Field f = SSL_SOCKET.get(channel.getClass());
      if (f == null) {
        return null;
      }
      Object socket = f.get(channel);
      if (socket instanceof SSLSocket) {
        SSLSession session = ((SSLSocket) socket).getSession();
        if (session != null && !"SSL_NULL_WITH_NULL_NULL".equals(session.getCipherSuite())) {
          return new TlsSessionInfo(session);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // only attributes are lost
    }
    return null;
  }
}
