package io.tdsagent.tds.sspi.spnego;

import io.tdsagent.tds.sspi.der.DerReader;
import io.tdsagent.tds.sspi.mechanism.GssOid;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Decodes a NegotiationToken (RFC 4178 4.2): [0] NegTokenInit (the client's first token, inside the
 * GSS 0x60 framing) or [1] NegTokenResp (every later token, bare). Inner mechanism tokens are
 * handed to {@code inner}, which never throws.
 */
public final class SpnegoDecoder {
  private static final int MAX_MECH_TYPES = 32;

  private SpnegoDecoder() {}

  /**
   * @param r positioned on the NegotiationToken choice tag (0xa0 or 0xa1)
   */
  public static SspiMessage decode(
      ByteReader r, int length, Function<ByteReader, SspiMessage> inner) {
    DerReader top = new DerReader(r);
    int tag = top.peekTag();
    if (tag == DerReader.context(0)) {
      return init(top.next().expect(DerReader.SEQUENCE), length, inner);
    }
    if (tag == DerReader.context(1)) {
      return resp(top.next().expect(DerReader.SEQUENCE), length, inner);
    }
    throw new DecodeException(
        "not a SPNEGO NegotiationToken (tag 0x" + Integer.toHexString(tag) + ")");
  }

  private static NegTokenInit init(
      DerReader seq, int length, Function<ByteReader, SspiMessage> inner) {
    List<GssOid> mechs = new ArrayList<>();
    DerReader list = seq.explicit(0).expect(DerReader.SEQUENCE);
    while (list.hasRemaining()) {
      if (mechs.size() == MAX_MECH_TYPES) {
        throw new DecodeException("more than " + MAX_MECH_TYPES + " mechTypes");
      }
      mechs.add(new GssOid(list.oid()));
    }
    seq.optional(DerReader.context(1)); // reqFlags
    DerReader f = seq.optional(DerReader.context(2));
    SspiMessage token = f != null ? inner.apply(f.octetString()) : null;
    boolean mic = false;
    // [3] is mechListMIC (RFC 4178) or negHints (NegTokenInit2, then the MIC is [4])
    f = seq.optional(DerReader.context(3));
    if (f != null) {
      mic = f.peekTag() == DerReader.OCTET_STRING;
    }
    mic |= seq.optional(DerReader.context(4)) != null;
    return new NegTokenInit(length, mechs, token, mic);
  }

  private static NegTokenResp resp(
      DerReader seq, int length, Function<ByteReader, SspiMessage> inner) {
    DerReader f = seq.optional(DerReader.context(0));
    NegTokenResp.NegState state =
        f != null
            ? NegTokenResp.NegState.of(f.expect(DerReader.ENUMERATED).integerContent())
            : NegTokenResp.NegState.ABSENT;
    f = seq.optional(DerReader.context(1));
    GssOid mech = f != null ? new GssOid(f.oid()) : null;
    f = seq.optional(DerReader.context(2));
    SspiMessage token = f != null ? inner.apply(f.octetString()) : null;
    boolean mic = seq.optional(DerReader.context(3)) != null;
    return new NegTokenResp(length, state, mech, token, mic);
  }
}
