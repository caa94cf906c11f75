package io.tdsagent.tds.sspi.ntlm;

/**
 * NEGOTIATE_MESSAGE (MS-NLMP 2.2.1.1): what the client offers, and optionally its domain and
 * workstation.
 */
public final class NtlmNegotiate extends NtlmMessage {
  private final String domainName;
  private final String workstation;

  NtlmNegotiate(
      int length, long flags, NtlmVersion version, String domainName, String workstation) {
    super(length, flags, version);
    this.domainName = domainName;
    this.workstation = workstation;
  }

  @Override
  public int messageType() {
    return NEGOTIATE;
  }

  @Override
  public String messageName() {
    return "negotiate";
  }

  /** DomainName (OEM), when NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED; else empty. */
  public String domainName() {
    return domainName;
  }

  /** Workstation (OEM), when NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED; else empty. */
  public String workstation() {
    return workstation;
  }

  @Override
  public String toString() {
    return "NtlmNegotiate{"
        + common()
        + ", domain='"
        + domainName
        + "', workstation='"
        + workstation
        + "'}";
  }
}
