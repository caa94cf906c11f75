package io.tdsagent.tds.tls;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * Certificate message (TLS 1.2 and earlier, where it travels in clear): the first (leaf)
 * certificate's names and validity. X.509 parsing is the most expensive step of decoding a login,
 * so the leaf is kept as DER (it is public) and parsed when a name is first asked for: a caller
 * that hands the message to another thread (the agent's exporter) moves that work off the
 * connection's thread. Names are null when the certificate does not parse ({@link #parseError()}).
 */
public final class ServerCertificate extends TlsHandshakeMessage {
  private final int certificateCount;
  private final byte[] leafDer;
  private volatile Parsed parsed;

  public ServerCertificate(int length, int certificateCount, byte[] leafDer) {
    super(11, length);
    this.certificateCount = certificateCount;
    this.leafDer = leafDer;
  }

  public int certificateCount() {
    return certificateCount;
  }

  /** Subject DN (RFC 2253 form). */
  public String subject() {
    return parsed().subject;
  }

  public String issuer() {
    return parsed().issuer;
  }

  public Instant notBefore() {
    return parsed().notBefore;
  }

  public Instant notAfter() {
    return parsed().notAfter;
  }

  /** Why the leaf certificate could not be read; null when it parsed (or the message held none). */
  public String parseError() {
    return parsed().error;
  }

  private Parsed parsed() {
    Parsed p = parsed;
    if (p == null) {
      // Idempotent: two threads asking at once both parse, and either result is the same.
      p = Parsed.of(leafDer);
      parsed = p;
    }
    return p;
  }

  private static final class Parsed {
    final String subject;
    final String issuer;
    final Instant notBefore;
    final Instant notAfter;
    final String error;

    private Parsed(
        String subject, String issuer, Instant notBefore, Instant notAfter, String error) {
      this.subject = subject;
      this.issuer = issuer;
      this.notBefore = notBefore;
      this.notAfter = notAfter;
      this.error = error;
    }

    static Parsed of(byte[] der) {
      if (der == null) {
        return new Parsed(null, null, null, null, null);
      }
      try {
        X509Certificate c =
            (X509Certificate)
                CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        return new Parsed(
            c.getSubjectX500Principal().getName(),
            c.getIssuerX500Principal().getName(),
            c.getNotBefore().toInstant(),
            c.getNotAfter().toInstant(),
            null);
      } catch (CertificateException | RuntimeException e) {
        return new Parsed(null, null, null, null, "certificate does not parse as X.509");
      }
    }
  }

  @Override
  public String toString() {
    return "ServerCertificate{count="
        + certificateCount
        + ", subject='"
        + subject()
        + "', issuer='"
        + issuer()
        + "', notBefore="
        + notBefore()
        + ", notAfter="
        + notAfter()
        + '}';
  }
}
