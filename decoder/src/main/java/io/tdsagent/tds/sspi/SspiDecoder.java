package io.tdsagent.tds.sspi;

import io.tdsagent.tds.sspi.der.DerReader;
import io.tdsagent.tds.sspi.kerberos.KerberosDecoder;
import io.tdsagent.tds.sspi.mechanism.GssOid;
import io.tdsagent.tds.sspi.mechanism.SspiMechanism;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import io.tdsagent.tds.sspi.ntlm.NtlmDecoder;
import io.tdsagent.tds.sspi.spnego.SpnegoDecoder;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;

/**
 * Entry point for SSPI blobs, wherever TDS carries them (LOGIN7 SSPI field, SSPI token, SSPI
 * message): classifies the blob and decodes it. Never throws; a bad blob becomes an {@link
 * UndecodedSspi} with the reason.
 */
public final class SspiDecoder {
  /** SPNEGO inside SPNEGO is not a thing; the limit only guards against crafted nesting. */
  private static final int MAX_DEPTH = 3;

  private static final int GSS_FRAMING = 0x60;

  private SspiDecoder() {}

  public static SspiMechanism classify(byte[] b) {
    return classify(b, 0, b.length);
  }

  /** Looks at the signature or the GSS framing only; never throws. */
  public static SspiMechanism classify(byte[] b, int off, int len) {
    try {
      return classify(new ByteReader(b, off, len));
    } catch (DecodeException e) {
      return SspiMechanism.UNKNOWN;
    }
  }

  private static SspiMechanism classify(ByteReader r) {
    if (!r.hasRemaining()) {
      return SspiMechanism.UNKNOWN;
    }
    int first = r.peekU8();
    if (first == 'N' && r.remaining() >= 8) {
      byte[] sig = r.sliceAt(r.position(), 8).bytes(8);
      return NtlmDecoder.hasSignature(sig, 0, 8) ? SspiMechanism.NTLM : SspiMechanism.UNKNOWN;
    }
    if (first == DerReader.context(0) || first == DerReader.context(1)) {
      return SspiMechanism
          .SPNEGO; // bare NegotiationToken: NegTokenResp (or a framing-less NegTokenInit)
    }
    if (KerberosDecoder.isBareMessage(first)) {
      return SspiMechanism.KERBEROS;
    }
    if (first == GSS_FRAMING) {
      return mechanismOf(framingOid(r.sliceAt(r.position(), r.remaining())));
    }
    return SspiMechanism.UNKNOWN;
  }

  private static SspiMechanism mechanismOf(GssOid oid) {
    if (oid.value().equals(GssOid.SPNEGO)) {
      return SspiMechanism.SPNEGO;
    }
    return oid.isKerberos() ? SspiMechanism.KERBEROS : SspiMechanism.UNKNOWN;
  }

  /** Reads the 0x60 framing header and its OID, leaving {@code r} on the inner token. */
  private static GssOid framingOid(ByteReader r) {
    DerReader framed = new DerReader(r).expect(GSS_FRAMING);
    return new GssOid(framed.oid());
  }

  public static SspiMessage decode(byte[] b) {
    return decode(b, 0, b.length);
  }

  public static SspiMessage decode(byte[] b, int off, int len) {
    try {
      return decode(new ByteReader(b, off, len), 0);
    } catch (DecodeException e) {
      return new UndecodedSspi(SspiMechanism.UNKNOWN, len, -1, e.getMessage());
    }
  }

  public static SspiMessage decode(ByteReader r) {
    return decode(r, 0);
  }

  private static SspiMessage decode(ByteReader r, int depth) {
    int length = r.remaining();
    int first = r.hasRemaining() ? r.peekU8() : -1;
    SspiMechanism mech = classify(r.sliceAt(r.position(), length));
    if (mech == SspiMechanism.UNKNOWN) {
      return new UndecodedSspi(mech, length, first, null);
    }
    if (depth >= MAX_DEPTH) {
      return new UndecodedSspi(mech, length, first, "nested deeper than " + MAX_DEPTH);
    }
    try {
      switch (mech) {
        case NTLM:
          return NtlmDecoder.decode(r);
        case KERBEROS:
          if (first != GSS_FRAMING) {
            return KerberosDecoder.decodeBare(r, null, length);
          }
          return decodeFramed(r, length, depth);
        default:
          if (first == GSS_FRAMING) {
            return decodeFramed(r, length, depth);
          }
          return SpnegoDecoder.decode(r, length, inner -> decode(inner, depth + 1));
      }
    } catch (DecodeException e) {
      return new UndecodedSspi(mech, length, first, e.getMessage());
    } catch (RuntimeException e) {
      // a decoder bug must not escape into the conversation; report by class only (no payload)
      return new UndecodedSspi(mech, length, first, e.getClass().getName());
    }
  }

  private static SspiMessage decodeFramed(ByteReader r, int length, int depth) {
    // InitialContextToken (RFC 2743 3.1): [APPLICATION 0] IMPLICIT SEQUENCE { thisMech OID,
    // innerContextToken ANY }
    DerReader framed = new DerReader(r).expect(GSS_FRAMING);
    GssOid oid = new GssOid(framed.oid());
    ByteReader inner = framed.rawRemaining();
    if (oid.value().equals(GssOid.SPNEGO)) {
      return SpnegoDecoder.decode(inner, length, in -> decode(in, depth + 1));
    }
    return KerberosDecoder.decodeFramed(inner, oid, length);
  }
}
