package io.tdsagent.tds.tls;

import java.time.Instant;

/**
 * Certificate message (TLS 1.2 and earlier, where it travels in clear): the first (leaf) certificate's
 * names and validity. Fields are null when the certificate could not be parsed.
 */
public final class ServerCertificate extends TlsHandshakeMessage {
    private final int certificateCount;
    private final String subject;
    private final String issuer;
    private final Instant notBefore;
    private final Instant notAfter;

    public ServerCertificate(int length, int certificateCount, String subject, String issuer, Instant notBefore, Instant notAfter) {
        super(11, length);
        this.certificateCount = certificateCount;
        this.subject = subject;
        this.issuer = issuer;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
    }

    public int getCertificateCount() {
        return certificateCount;
    }

    /** Subject DN (RFC 2253 form). */
    public String getSubject() {
        return subject;
    }

    public String getIssuer() {
        return issuer;
    }

    public Instant getNotBefore() {
        return notBefore;
    }

    public Instant getNotAfter() {
        return notAfter;
    }

    @Override
    public String toString() {
        return "ServerCertificate{count=" + certificateCount + ", subject='" + subject + "', issuer='" + issuer
                + "', notBefore=" + notBefore + ", notAfter=" + notAfter + '}';
    }
}
