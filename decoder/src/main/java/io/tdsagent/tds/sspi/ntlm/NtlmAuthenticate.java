package io.tdsagent.tds.sspi.ntlm;

/**
 * AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3). Keeps who authenticated and how; the LM/NT responses, the
 * encrypted session key and the MIC are reduced to lengths and booleans (any of them allows an
 * offline attack on the password or the session).
 */
public final class NtlmAuthenticate extends NtlmMessage {

  /** Which response the client computed, from the NtChallengeResponse length. */
  public enum ResponseType {
    /** No NT response: anonymous, or an LM-only client. */
    NONE,
    /** 24 bytes: NTLMv1 (with or without extended session security). */
    NTLM_V1,
    /** Longer: NTLMv2 (NTProofStr + client challenge with AV pairs). */
    NTLM_V2
  }

  private final String domainName;
  private final String userName;
  private final String workstation;
  private final int lmChallengeResponseLength;
  private final int ntChallengeResponseLength;
  private final int encryptedRandomSessionKeyLength;
  private final boolean micField;
  private final boolean micNonZero;
  private final boolean anonymous;
  private final NtlmAvPairs responseAvPairs;

  NtlmAuthenticate(
      int length,
      long flags,
      NtlmVersion version,
      String domainName,
      String userName,
      String workstation,
      int lmLength,
      int ntLength,
      int sessionKeyLength,
      boolean micField,
      boolean micNonZero,
      boolean anonymous,
      NtlmAvPairs responseAvPairs) {
    super(length, flags, version);
    this.domainName = domainName;
    this.userName = userName;
    this.workstation = workstation;
    this.lmChallengeResponseLength = lmLength;
    this.ntChallengeResponseLength = ntLength;
    this.encryptedRandomSessionKeyLength = sessionKeyLength;
    this.micField = micField;
    this.micNonZero = micNonZero;
    this.anonymous = anonymous;
    this.responseAvPairs = responseAvPairs;
  }

  @Override
  public int messageType() {
    return AUTHENTICATE;
  }

  @Override
  public String messageName() {
    return "authenticate";
  }

  public String domainName() {
    return domainName;
  }

  public String userName() {
    return userName;
  }

  public String workstation() {
    return workstation;
  }

  public ResponseType responseType() {
    return ntChallengeResponseLength == 0
        ? ResponseType.NONE
        : ntChallengeResponseLength == 24 ? ResponseType.NTLM_V1 : ResponseType.NTLM_V2;
  }

  public boolean isNtlmV2() {
    return responseType() == ResponseType.NTLM_V2;
  }

  public int lmChallengeResponseLength() {
    return lmChallengeResponseLength;
  }

  public int ntChallengeResponseLength() {
    return ntChallengeResponseLength;
  }

  public int encryptedRandomSessionKeyLength() {
    return encryptedRandomSessionKeyLength;
  }

  /** The header has room for the 16-byte MIC field (payload starts at or after offset 88). */
  public boolean hasMicField() {
    return micField;
  }

  /**
   * A MIC was sent: the NTLMv2 response's MsvAvFlags has 0x2, or the MIC field is present and not
   * all zero.
   */
  public boolean isMicPresent() {
    return (responseAvPairs != null && responseAvPairs.isMicProvided()) || micNonZero;
  }

  /** The NTLMv2 response carries a non-zero MsvAvChannelBindings (extended protection for TLS). */
  public boolean hasChannelBindings() {
    return responseAvPairs != null && responseAvPairs.hasChannelBindings();
  }

  /**
   * Null session: NTLMSSP_NEGOTIATE_ANONYMOUS, or (MS-NLMP 3.2.5.1.2) an empty user with no NT
   * response and an empty or single-zero-byte LM response.
   */
  public boolean isAnonymous() {
    return anonymous;
  }

  /**
   * AV pairs of the NTLMv2 response (the server's TargetInfo plus the client's MsvAvFlags,
   * TargetName...), or null.
   */
  public NtlmAvPairs responseAvPairs() {
    return responseAvPairs;
  }

  @Override
  public String toString() {
    return "NtlmAuthenticate{"
        + common()
        + ", domain='"
        + domainName
        + "', user='"
        + userName
        + "', workstation='"
        + workstation
        + "', response="
        + responseType()
        + ", lmLength="
        + lmChallengeResponseLength
        + ", ntLength="
        + ntChallengeResponseLength
        + ", sessionKeyLength="
        + encryptedRandomSessionKeyLength
        + ", mic="
        + isMicPresent()
        + ", channelBindings="
        + hasChannelBindings()
        + ", anonymous="
        + anonymous
        + (responseAvPairs != null ? ", avPairs=" + responseAvPairs : "")
        + '}';
  }
}
