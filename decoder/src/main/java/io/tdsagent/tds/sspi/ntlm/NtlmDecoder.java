package io.tdsagent.tds.sspi.ntlm;

import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import java.nio.charset.StandardCharsets;

/**
 * Decodes NTLMSSP messages (MS-NLMP 2.2.1). Payload fields are (Len, MaxLen, BufferOffset) triples
 * with offsets from the start of the message; the fixed header grew over time (VERSION, then MIC),
 * so how much of it is there is read from where the payload starts, as Windows does.
 */
public final class NtlmDecoder {
  static final byte[] SIGNATURE = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

  /**
   * Offset of the NTLMv2_CLIENT_CHALLENGE AV pairs inside an NTLMv2 response: NTProofStr(16) + 28
   * bytes.
   */
  private static final int NTLMV2_AV_PAIRS_OFFSET = 44;

  private NtlmDecoder() {}

  public static boolean hasSignature(byte[] b, int off, int len) {
    if (len < SIGNATURE.length) {
      return false;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (b[off + i] != SIGNATURE[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * @throws DecodeException when the message is truncated or inconsistent
   */
  public static NtlmMessage decode(ByteReader r) {
    r.skip(SIGNATURE.length);
    long type = r.u32le();
    switch ((int) type) {
      case NtlmMessage.NEGOTIATE:
        return negotiate(r);
      case NtlmMessage.CHALLENGE:
        return challenge(r);
      case NtlmMessage.AUTHENTICATE:
        return authenticate(r);
      default:
        throw new DecodeException("NTLM MessageType " + type);
    }
  }

  /** A (Len, MaxLen, BufferOffset) triple. */
  private static final class Field {
    final int len;
    final long offset;

    Field(ByteReader r) {
      len = r.u16le();
      r.u16le(); // MaxLen: SHOULD equal Len, ignored by receivers
      offset = r.u32le();
    }

    ByteReader in(ByteReader msg) {
      if (offset > msg.length()) {
        throw new DecodeException(
            "NTLM field offset " + offset + " beyond message of " + msg.length());
      }
      return msg.sliceAt((int) offset, len);
    }

    String string(ByteReader msg, boolean unicode) {
      if (len == 0) {
        return "";
      }
      ByteReader v = in(msg);
      return unicode ? v.utf16le(len / 2) : new String(v.bytes(len), StandardCharsets.ISO_8859_1);
    }

    /**
     * NEGOTIATE's domain and workstation are OEM by the spec, but some clients (mssql-jdbc 13.6 for
     * the domain) send UTF-16LE: taken as such when the flag allows it and every high byte is zero.
     */
    String oemOrUtf16(ByteReader msg, long flags) {
      if (len == 0) {
        return "";
      }
      boolean utf16 = (flags & NtlmFlags.NEGOTIATE_UNICODE) != 0 && len % 2 == 0;
      ByteReader v = in(msg);
      for (int i = 1; utf16 && i < len; i += 2) {
        utf16 = v.sliceAt(i, 1).u8() == 0;
      }
      return string(msg, utf16);
    }
  }

  /**
   * Where the payload starts: the smallest offset of a non-empty field (the header's real size).
   */
  private static long payloadStart(int messageLength, Field... fields) {
    long min = messageLength;
    for (Field f : fields) {
      if (f.len > 0) {
        min = Math.min(min, f.offset);
      }
    }
    return min;
  }

  private static NtlmVersion version(ByteReader msg, long flags, long payloadStart, int at) {
    if ((flags & NtlmFlags.NEGOTIATE_VERSION) == 0
        || payloadStart < at + 8
        || msg.length() < at + 8) {
      return null;
    }
    return NtlmVersion.read(msg.sliceAt(at, 8));
  }

  private static NtlmNegotiate negotiate(ByteReader r) {
    int length = r.length();
    long flags = r.u32le();
    // NEGOTIATE may stop right after the flags (very old clients): the domain/workstation fields
    // are optional then
    Field domain = r.remaining() >= 8 ? new Field(r) : null;
    Field workstation = r.remaining() >= 8 ? new Field(r) : null;
    String d = "";
    String w = "";
    long start = length;
    if (domain != null && workstation != null) {
      start = payloadStart(length, domain, workstation);
      if ((flags & NtlmFlags.NEGOTIATE_OEM_DOMAIN_SUPPLIED) != 0) {
        d = domain.oemOrUtf16(r, flags);
      }
      if ((flags & NtlmFlags.NEGOTIATE_OEM_WORKSTATION_SUPPLIED) != 0) {
        w = workstation.oemOrUtf16(r, flags);
      }
    }
    return new NtlmNegotiate(length, flags, version(r, flags, start, 32), d, w);
  }

  private static NtlmChallenge challenge(ByteReader r) {
    int length = r.length();
    Field targetName = new Field(r);
    long flags = r.u32le();
    r.skip(8); // ServerChallenge: never kept
    r.skip(8); // Reserved
    Field targetInfo = new Field(r);
    boolean unicode = (flags & NtlmFlags.NEGOTIATE_UNICODE) != 0;
    long start = payloadStart(length, targetName, targetInfo);
    NtlmAvPairs info = targetInfo.len > 0 ? NtlmAvPairs.read(targetInfo.in(r)) : null;
    return new NtlmChallenge(
        length, flags, version(r, flags, start, 48), targetName.string(r, unicode), info);
  }

  private static NtlmAuthenticate authenticate(ByteReader r) {
    int length = r.length();
    Field lm = new Field(r);
    Field nt = new Field(r);
    Field domain = new Field(r);
    Field user = new Field(r);
    Field workstation = new Field(r);
    Field sessionKey = new Field(r);
    long flags = r.u32le();
    boolean unicode = (flags & NtlmFlags.NEGOTIATE_UNICODE) != 0;
    long start = payloadStart(length, lm, nt, domain, user, workstation, sessionKey);

    boolean micField = start >= 88 && length >= 88;
    boolean micNonZero = false;
    if (micField) {
      ByteReader mic = r.sliceAt(72, 16);
      while (mic.hasRemaining()) {
        micNonZero |= mic.u8() != 0; // only whether it was filled in
      }
    }
    NtlmAvPairs avPairs = null;
    if (nt.len > 24) {
      ByteReader response = nt.in(r);
      if (response.length() < NTLMV2_AV_PAIRS_OFFSET) {
        throw new DecodeException("NTLMv2 response of " + response.length() + " bytes");
      }
      avPairs =
          NtlmAvPairs.read(
              response.sliceAt(NTLMV2_AV_PAIRS_OFFSET, response.length() - NTLMV2_AV_PAIRS_OFFSET));
    } else if (nt.len > 0) {
      nt.in(r); // bounds check only
    }
    boolean lmEmpty = lm.len == 0 || (lm.len == 1 && lm.in(r).u8() == 0);
    if (lm.len > 1) {
      lm.in(r); // bounds check only
    }
    if (sessionKey.len > 0) {
      sessionKey.in(r); // bounds check only
    }
    String userName = user.string(r, unicode);
    boolean anonymous =
        (flags & NtlmFlags.NEGOTIATE_ANONYMOUS) != 0
            || (userName.isEmpty() && nt.len == 0 && lmEmpty);
    return new NtlmAuthenticate(
        length,
        flags,
        version(r, flags, start, 64),
        domain.string(r, unicode),
        userName,
        workstation.string(r, unicode),
        lm.len,
        nt.len,
        sessionKey.len,
        micField,
        micNonZero,
        anonymous,
        avPairs);
  }
}
