package io.tdsagent.tds.sspi.mechanism;

/**
 * A decoded SSPI blob. Subclasses are immutable and, by design, have no field that could hold a
 * credential-derived value (responses, challenges, session keys, MICs, ticket or authenticator
 * ciphers): only names, flags, numbers and lengths survive decoding.
 */
public abstract class SspiMessage {
  private final int length;

  protected SspiMessage(int length) {
    this.length = length;
  }

  public abstract SspiMechanism mechanism();

  /**
   * The message kind within its mechanism: "negotiate", "challenge", "ap-req", "neg-token-init"...
   */
  public abstract String messageName();

  /** Length of the blob this was decoded from. */
  public int length() {
    return length;
  }

  /** False for {@link io.tdsagent.tds.sspi.UndecodedSspi}. */
  public boolean isDecoded() {
    return true;
  }

  /** The token a wrapper (SPNEGO) carries, or null. */
  public SspiMessage inner() {
    return null;
  }

  /** The innermost message: this one unless it wraps another. */
  public SspiMessage innermost() {
    SspiMessage m = this;
    while (m.inner() != null) {
      m = m.inner();
    }
    return m;
  }

  /** e.g. "ntlm challenge" or "kerberos ap-req", from the innermost message. */
  public String description() {
    SspiMessage m = innermost();
    return m.mechanism().label() + " " + m.messageName();
  }
}
