package io.tdsagent.lab;

/**
 * The mssql-jdbc {@code encrypt} property values {@link LabServer#jdbcUrl} knows how to connect
 * with.
 */
public enum JdbcEncrypt {
  /** encrypt=false (with trustServerCertificate=true, needed if the server forces encryption). */
  FALSE,
  /** encrypt=true;trustServerCertificate=true: TLS inside PRELOGIN, then TLS for the session. */
  TRUE,
  /**
   * encrypt=true validating the certificate against the server's PKCS12 trust store, host name
   * localhost.
   */
  TRUE_VALIDATED,
  /** encrypt=strict;serverCertificate=&lt;PEM&gt;: TDS 8, TLS first, certificate pinned. */
  STRICT
}
