package io.tdsagent.tds.sspi.spnego;

import io.tdsagent.tds.sspi.mechanism.GssOid;
import io.tdsagent.tds.sspi.mechanism.SspiMechanism;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * NegTokenInit (RFC 4178 4.2.1; Windows' NegTokenInit2 too): the mechanisms the client offers, most
 * preferred first, and optionally the optimistic token of the first one.
 */
public final class NegTokenInit extends SspiMessage {
  private final List<GssOid> mechTypes;
  private final SspiMessage mechToken;
  private final boolean mechListMic;

  NegTokenInit(int length, List<GssOid> mechTypes, SspiMessage mechToken, boolean mechListMic) {
    super(length);
    this.mechTypes = Collections.unmodifiableList(new ArrayList<>(mechTypes));
    this.mechToken = mechToken;
    this.mechListMic = mechListMic;
  }

  @Override
  public SspiMechanism mechanism() {
    return SspiMechanism.SPNEGO;
  }

  @Override
  public String messageName() {
    return "neg-token-init";
  }

  public List<GssOid> mechTypes() {
    return mechTypes;
  }

  /** Whether Kerberos (either OID) is among the offered mechanisms. */
  public boolean offersKerberos() {
    return mechTypes.stream().anyMatch(GssOid::isKerberos);
  }

  public boolean offersNtlm() {
    return mechTypes.stream().anyMatch(GssOid::isNtlm);
  }

  /** The decoded mechToken, or null when none was sent. */
  public SspiMessage mechToken() {
    return mechToken;
  }

  @Override
  public SspiMessage inner() {
    return mechToken;
  }

  public boolean hasMechListMic() {
    return mechListMic;
  }

  @Override
  public String toString() {
    return "NegTokenInit{mechTypes="
        + mechTypes
        + ", mechToken="
        + mechToken
        + ", mechListMIC="
        + mechListMic
        + '}';
  }
}
