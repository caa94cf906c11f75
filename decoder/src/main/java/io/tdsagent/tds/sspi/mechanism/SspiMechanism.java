package io.tdsagent.tds.sspi.mechanism;

/**
 * What kind of security token an SSPI blob is, as {@link io.tdsagent.tds.sspi.SspiDecoder#classify}
 * recognises it.
 */
public enum SspiMechanism {
  /** NTLMSSP message (MS-NLMP), starting with the signature {@code NTLMSSP\0}. */
  NTLM("ntlm"),
  /**
   * SPNEGO / Negotiate (RFC 4178): GSS-API 0x60 wrapper with OID 1.3.6.1.5.5.2, or a bare
   * NegTokenResp.
   */
  SPNEGO("spnego"),
  /**
   * Kerberos V5 GSS token (RFC 4121): 0x60 wrapper with a krb5 OID, or a bare
   * AP-REQ/AP-REP/KRB-ERROR.
   */
  KERBEROS("kerberos"),
  UNKNOWN("unknown");

  private final String label;

  SspiMechanism(String label) {
    this.label = label;
  }

  /** Lower-case name used in span and leg names. */
  public String label() {
    return label;
  }
}
