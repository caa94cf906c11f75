package io.tdsagent.tds.sspi.ntlm;

import io.tdsagent.tds.sspi.mechanism.SspiMechanism;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import java.util.List;

/** Common part of the three NTLM messages: NegotiateFlags and the optional VERSION. */
public abstract class NtlmMessage extends SspiMessage {
  public static final int NEGOTIATE = 1;
  public static final int CHALLENGE = 2;
  public static final int AUTHENTICATE = 3;

  private final long negotiateFlags;
  private final NtlmVersion version;

  NtlmMessage(int length, long negotiateFlags, NtlmVersion version) {
    super(length);
    this.negotiateFlags = negotiateFlags;
    this.version = version;
  }

  @Override
  public SspiMechanism mechanism() {
    return SspiMechanism.NTLM;
  }

  /** MessageType: 1, 2 or 3. */
  public abstract int messageType();

  public long negotiateFlags() {
    return negotiateFlags;
  }

  public List<String> flagNames() {
    return NtlmFlags.names(negotiateFlags);
  }

  public boolean hasFlag(long flag) {
    return (negotiateFlags & flag) != 0;
  }

  /** VERSION, or null when absent (no NTLMSSP_NEGOTIATE_VERSION or no room for it). */
  public NtlmVersion version() {
    return version;
  }

  String common() {
    return "flags=0x"
        + Long.toHexString(negotiateFlags)
        + " "
        + flagNames()
        + (version != null ? ", version=" + version : "");
  }
}
