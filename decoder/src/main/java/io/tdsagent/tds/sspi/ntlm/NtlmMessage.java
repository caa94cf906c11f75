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
    public SspiMechanism getMechanism() {
        return SspiMechanism.NTLM;
    }

    /** MessageType: 1, 2 or 3. */
    public abstract int getMessageType();

    public long getNegotiateFlags() {
        return negotiateFlags;
    }

    public List<String> getFlagNames() {
        return NtlmFlags.names(negotiateFlags);
    }

    public boolean hasFlag(long flag) {
        return (negotiateFlags & flag) != 0;
    }

    /** VERSION, or null when absent (no NTLMSSP_NEGOTIATE_VERSION or no room for it). */
    public NtlmVersion getVersion() {
        return version;
    }

    String common() {
        return "flags=0x" + Long.toHexString(negotiateFlags) + " " + getFlagNames() + (version != null ? ", version=" + version : "");
    }
}
