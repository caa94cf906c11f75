package io.tdsagent.tds.sspi.ntlm;

/**
 * CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2). The ServerChallenge nonce is deliberately not kept: with a
 * captured AUTHENTICATE it is what makes an offline guess of the password possible.
 */
public final class NtlmChallenge extends NtlmMessage {
  private final String targetName;
  private final NtlmAvPairs targetInfo;

  NtlmChallenge(
      int length, long flags, NtlmVersion version, String targetName, NtlmAvPairs targetInfo) {
    super(length, flags, version);
    this.targetName = targetName;
    this.targetInfo = targetInfo;
  }

  @Override
  public int messageType() {
    return CHALLENGE;
  }

  @Override
  public String messageName() {
    return "challenge";
  }

  /** TargetName: the server's domain or name (see NTLMSSP_TARGET_TYPE_*); empty if absent. */
  public String targetName() {
    return targetName;
  }

  /** TargetInfo AV pairs, or null when absent. */
  public NtlmAvPairs targetInfo() {
    return targetInfo;
  }

  @Override
  public String toString() {
    return "NtlmChallenge{"
        + common()
        + ", targetName='"
        + targetName
        + "', targetInfo="
        + targetInfo
        + '}';
  }
}
