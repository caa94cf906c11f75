package io.tdsagent.tds.sspi;

import io.tdsagent.tds.sspi.kerberos.KerberosApReq;
import io.tdsagent.tds.sspi.kerberos.KerberosMessage;
import io.tdsagent.tds.sspi.mechanism.GssOid;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import io.tdsagent.tds.sspi.ntlm.NtlmAuthenticate;
import io.tdsagent.tds.sspi.ntlm.NtlmMessage;
import io.tdsagent.tds.sspi.spnego.NegTokenInit;
import io.tdsagent.tds.sspi.spnego.NegTokenResp;

/**
 * What an authentication exchange showed so far, from all its SSPI messages in both directions.
 * Immutable: {@link #with} returns the summary including one more message.
 */
public final class SspiAuthSummary {
  private static final SspiAuthSummary EMPTY =
      new SspiAuthSummary(false, false, false, false, false, 0);

  private final boolean kerberosOffered;
  private final boolean kerberosUsed;
  private final boolean ntlmUsed;
  private final boolean spnego;
  private final boolean anonymous;
  private final int messages;

  private SspiAuthSummary(
      boolean kerberosOffered,
      boolean kerberosUsed,
      boolean ntlmUsed,
      boolean spnego,
      boolean anonymous,
      int messages) {
    this.kerberosOffered = kerberosOffered;
    this.kerberosUsed = kerberosUsed;
    this.ntlmUsed = ntlmUsed;
    this.spnego = spnego;
    this.anonymous = anonymous;
    this.messages = messages;
  }

  public static SspiAuthSummary empty() {
    return EMPTY;
  }

  public static SspiAuthSummary of(Iterable<? extends SspiMessage> messages) {
    SspiAuthSummary s = EMPTY;
    for (SspiMessage m : messages) {
      s = s.with(m);
    }
    return s;
  }

  public SspiAuthSummary with(SspiMessage m) {
    if (m == null) {
      return this;
    }
    boolean kOffered = kerberosOffered;
    boolean kUsed = kerberosUsed;
    boolean nUsed = ntlmUsed;
    boolean sp = spnego;
    boolean anon = anonymous;
    for (SspiMessage x = m; x != null; x = x.inner()) {
      if (x instanceof NegTokenInit) {
        sp = true;
        kOffered |= ((NegTokenInit) x).offersKerberos();
      } else if (x instanceof NegTokenResp) {
        sp = true;
        GssOid chosen = ((NegTokenResp) x).supportedMech();
        nUsed |= chosen != null && chosen.isNtlm();
      } else if (x instanceof KerberosMessage) {
        kOffered = true;
        kUsed |= x instanceof KerberosApReq;
      } else if (x instanceof NtlmMessage) {
        nUsed = true;
        anon |= x instanceof NtlmAuthenticate && ((NtlmAuthenticate) x).isAnonymous();
      }
    }
    return new SspiAuthSummary(kOffered, kUsed, nUsed, sp, anon, messages + 1);
  }

  /**
   * The client offered Kerberos: a SPNEGO mechTypes list with a Kerberos OID, or a Kerberos token.
   */
  public boolean isKerberosOffered() {
    return kerberosOffered;
  }

  /** A Kerberos AP-REQ was sent. */
  public boolean isKerberosUsed() {
    return kerberosUsed;
  }

  /** An NTLM message went by (bare or inside SPNEGO), or SPNEGO settled on NTLM. */
  public boolean isNtlmUsed() {
    return ntlmUsed;
  }

  /**
   * Kerberos (or Negotiate offering Kerberos) was asked for but NTLM was used: the classic silent
   * downgrade when the SPN is missing or the KDC unreachable.
   */
  public boolean isKerberosRequestedButNtlmUsed() {
    return kerberosOffered && ntlmUsed;
  }

  /** SPNEGO (Negotiate) framed the exchange. */
  public boolean isSpnego() {
    return spnego;
  }

  /** Null credentials: an anonymous NTLM AUTHENTICATE. */
  public boolean isAnonymous() {
    return anonymous;
  }

  public int messageCount() {
    return messages;
  }

  @Override
  public String toString() {
    return "SspiAuthSummary{kerberosOffered="
        + kerberosOffered
        + ", kerberosUsed="
        + kerberosUsed
        + ", ntlmUsed="
        + ntlmUsed
        + ", kerberosRequestedButNtlmUsed="
        + isKerberosRequestedButNtlmUsed()
        + ", spnego="
        + spnego
        + ", anonymous="
        + anonymous
        + ", messages="
        + messages
        + '}';
  }
}
