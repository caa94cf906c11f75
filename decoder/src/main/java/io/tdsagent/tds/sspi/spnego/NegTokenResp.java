package io.tdsagent.tds.sspi.spnego;

import io.tdsagent.tds.sspi.mechanism.GssOid;
import io.tdsagent.tds.sspi.mechanism.SspiMechanism;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;

/** NegTokenResp (RFC 4178 4.2.2): every SPNEGO token after the first, from either side. */
public final class NegTokenResp extends SspiMessage {

  /** negState; ABSENT when the field was omitted (allowed after the first reply). */
  public enum NegState {
    ACCEPT_COMPLETED("accept-completed"),
    ACCEPT_INCOMPLETE("accept-incomplete"),
    REJECT("reject"),
    REQUEST_MIC("request-mic"),
    ABSENT("absent"),
    UNKNOWN("unknown");

    private final String label;

    NegState(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    static NegState of(long v) {
      return v >= 0 && v <= 3 ? values()[(int) v] : UNKNOWN;
    }
  }

  private final NegState negState;
  private final GssOid supportedMech;
  private final SspiMessage responseToken;
  private final boolean mechListMic;

  NegTokenResp(
      int length,
      NegState negState,
      GssOid supportedMech,
      SspiMessage responseToken,
      boolean mechListMic) {
    super(length);
    this.negState = negState;
    this.supportedMech = supportedMech;
    this.responseToken = responseToken;
    this.mechListMic = mechListMic;
  }

  @Override
  public SspiMechanism mechanism() {
    return SspiMechanism.SPNEGO;
  }

  @Override
  public String messageName() {
    return "neg-token-resp";
  }

  public NegState negState() {
    return negState;
  }

  /** The mechanism the acceptor chose (first reply only), or null. */
  public GssOid supportedMech() {
    return supportedMech;
  }

  /** The decoded responseToken, or null. */
  public SspiMessage responseToken() {
    return responseToken;
  }

  @Override
  public SspiMessage inner() {
    return responseToken;
  }

  public boolean hasMechListMic() {
    return mechListMic;
  }

  @Override
  public String description() {
    return responseToken != null ? super.description() : "spnego " + negState.label();
  }

  @Override
  public String toString() {
    return "NegTokenResp{negState="
        + negState.label()
        + (supportedMech != null ? ", supportedMech=" + supportedMech : "")
        + ", responseToken="
        + responseToken
        + ", mechListMIC="
        + mechListMic
        + '}';
  }
}
