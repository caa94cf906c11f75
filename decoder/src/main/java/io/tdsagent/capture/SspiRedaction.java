package io.tdsagent.capture;

import java.util.Arrays;

/**
 * Overwrites, in place and at the same length, every secret of one SSPI blob that is to be written
 * to a capture file, and keeps the structure the decoder reads, so that a replay rebuilds the same
 * authentication legs:
 *
 * <ul>
 *   <li>NTLM (MS-NLMP 2.2.1): kept are message type, flags, version, domain, user and workstation
 *       names and the AV pairs (names, MsvAvFlags, timestamp). Overwritten: the server challenge,
 *       the LM and NT responses (NTProofStr and client challenge; the AV pairs inside an NTLMv2
 *       response stay), the encrypted session key, the MIC, the channel-bindings hash and
 *       Single_Host data;
 *   <li>Kerberos (RFC 4120) and SPNEGO (RFC 4178), walked as DER: kept are integers, bit strings,
 *       names, times, OIDs and enumerations (pvno, msg-type, ap-options, realm, sname, etype, kvno,
 *       error code, negState, mechTypes). Every OCTET STRING is overwritten (a ticket's or
 *       authenticator's cipher, an AP-REP enc-part, e-data, a mechListMIC) except an SPNEGO
 *       mechToken/responseToken, which is itself redacted as a blob.
 * </ul>
 *
 * A field whose all-zero-ness the decoder reports (the MIC, channel bindings: "present") is filled
 * with 0xFF when it was not all zero and left zero when it was; every other secret becomes zeros.
 * Anything not recognised, or not well formed, is zeroed whole: the rule is to keep only what is
 * understood.
 */
final class SspiRedaction {
  private static final byte[] NTLM_SIGNATURE = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};

  /** DER content of the OIDs that may follow the GSS 0x60 framing. */
  private static final byte[] OID_SPNEGO = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};

  private static final byte[] OID_KRB5 = {
    0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x12, 0x01, 0x02, 0x02
  };
  private static final byte[] OID_KRB5_MS = {
    0x2a, (byte) 0x86, 0x48, (byte) 0x82, (byte) 0xf7, 0x12, 0x01, 0x02, 0x02
  };

  private static final int OCTET_STRING = 0x04;
  private static final int CONSTRUCTED = 0x20;
  private static final int MAX_DEPTH = 24;

  /**
   * NTLMv2 response: NTProofStr(16), RespType, HiRespType, Reserved1(2), Reserved2(4),
   * TimeStamp(8).
   */
  private static final int NTLMV2_CLIENT_CHALLENGE = 32;

  private static final int NTLMV2_AV_PAIRS = 44;

  private SspiRedaction() {}

  /** Redacts {@code b[off, off + len)} in place. Never throws. */
  static void redact(byte[] b, int off, int len) {
    try {
      blob(b, off, off + len, 0);
    } catch (RuntimeException e) {
      Arrays.fill(b, off, off + len, (byte) 0); // not understood: nothing of it is kept
    }
  }

  private static void blob(byte[] b, int from, int to, int depth) {
    if (depth > 3 || from >= to) {
      throw new IllegalArgumentException("empty or nested too deep");
    }
    int first = b[from] & 0xFF;
    if (to - from >= 12 && startsWith(b, from, NTLM_SIGNATURE)) {
      ntlm(b, from, to);
    } else if (first == 0x60) { // GSS InitialContextToken: OID, then the mechanism's token
      int[] t = tlv(b, from, to);
      if (t[2] != to) {
        throw new IllegalArgumentException("bytes after the GSS token");
      }
      int[] oid = tlv(b, t[1], to);
      if (b[t[1]] != 0x06) {
        throw new IllegalArgumentException("no mechanism OID");
      }
      if (contentIs(b, oid, OID_SPNEGO)) {
        der(b, oid[2], to, true, 0);
      } else if (contentIs(b, oid, OID_KRB5) || contentIs(b, oid, OID_KRB5_MS)) {
        der(b, oid[2] + 2, to, false, 0); // after the 2-byte TOK_ID
      } else {
        throw new IllegalArgumentException("unknown GSS mechanism");
      }
    } else if (first == 0xA0 || first == 0xA1) {
      der(b, from, to, true, 0); // a bare SPNEGO NegotiationToken
    } else if (first == 0x6E || first == 0x6F || first == 0x7E) {
      der(b, from, to, false, 0); // a bare AP-REQ, AP-REP or KRB-ERROR
    } else {
      throw new IllegalArgumentException("unknown mechanism");
    }
  }

  // ---- DER ------------------------------------------------------------------------------------

  /**
   * Walks the TLVs in {@code [from, to)}. In SPNEGO, an OCTET STRING directly inside [2]
   * (mechToken, responseToken) is a token of its own; every other OCTET STRING, and every primitive
   * not in the kept list, is zeroed.
   */
  private static void der(byte[] b, int from, int to, boolean spnego, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("DER nested too deep");
    }
    int p = from;
    while (p < to) {
      int[] t = tlv(b, p, to);
      int tag = b[p] & 0xFF;
      if ((tag & CONSTRUCTED) != 0) {
        if (spnego && tag == 0xA2 && t[1] < t[2] && (b[t[1]] & 0xFF) == OCTET_STRING) {
          int[] token = tlv(b, t[1], t[2]);
          if (token[2] != t[2]) {
            throw new IllegalArgumentException("bytes after a mechToken");
          }
          redact(b, token[1], token[2] - token[1]);
        } else {
          der(b, t[1], t[2], spnego, depth + 1);
        }
      } else if (!kept(tag)) {
        Arrays.fill(b, t[1], t[2], (byte) 0);
      }
      p = t[2];
    }
  }

  /**
   * Primitive types that carry structure, never a secret: INTEGER, BIT STRING, OID, ENUMERATED,
   * strings, times.
   */
  private static boolean kept(int tag) {
    switch (tag) {
      case 0x02:
      case 0x03:
      case 0x06:
      case 0x0A:
      case 0x0C:
      case 0x16:
      case 0x18:
      case 0x1B:
        return true;
      default:
        return false;
    }
  }

  /**
   * {tag position, content start, content end}; a definite length within {@code to}, or an
   * exception.
   */
  private static int[] tlv(byte[] b, int p, int to) {
    if (p + 2 > to || (b[p] & 0x1F) == 0x1F) {
      throw new IllegalArgumentException("DER header");
    }
    int first = b[p + 1] & 0xFF;
    int at = p + 2;
    long len = first;
    if (first > 0x80) {
      int n = first & 0x7F;
      if (n > 4 || at + n > to) {
        throw new IllegalArgumentException("DER length");
      }
      len = 0;
      for (int i = 0; i < n; i++) {
        len = len << 8 | (b[at++] & 0xFF);
      }
    } else if (first == 0x80) {
      throw new IllegalArgumentException("DER indefinite length");
    }
    if (len > to - at) {
      throw new IllegalArgumentException("DER content beyond its container");
    }
    return new int[] {p, at, at + (int) len};
  }

  // ---- NTLM -----------------------------------------------------------------------------------

  private static void ntlm(byte[] b, int m, int to) {
    int type = u16(b, m + 8, to);
    if (type == 1) {
      return; // NEGOTIATE: flags, version, domain and workstation names
    }
    if (type == 2) {
      zero(b, m + 24, m + 32, to); // ServerChallenge
      return;
    }
    if (type != 3) {
      throw new IllegalArgumentException("NTLM message type " + type);
    }
    int[] lm = field(b, m, 12, to);
    int[] nt = field(b, m, 20, to);
    int[] key = field(b, m, 52, to);
    int payload = to - m;
    for (int at = 12; at <= 52; at += 8) {
      if (u16(b, m + at, to) > 0) {
        payload = Math.min(payload, (int) u32(b, m + at + 4, to));
      }
    }
    Arrays.fill(b, lm[0], lm[1], (byte) 0);
    Arrays.fill(b, key[0], key[1], (byte) 0);
    if (payload >= 88 && to - m >= 88) {
      presence(b, m + 72, m + 88); // MIC
    }
    if (nt[1] - nt[0] > 24) { // NTLMv2: the proof and the client's nonce go, the AV pairs stay
      if (nt[1] - nt[0] < NTLMV2_AV_PAIRS) {
        throw new IllegalArgumentException("NTLMv2 response too short");
      }
      Arrays.fill(b, nt[0], nt[0] + 16, (byte) 0);
      Arrays.fill(
          b, nt[0] + NTLMV2_CLIENT_CHALLENGE, nt[0] + NTLMV2_CLIENT_CHALLENGE + 8, (byte) 0);
      avPairs(b, nt[0] + NTLMV2_AV_PAIRS, nt[1]);
    } else {
      Arrays.fill(b, nt[0], nt[1], (byte) 0);
    }
  }

  /** AV pairs up to MsvAvEOL; what follows it (padding, or anything else) is zeroed. */
  private static void avPairs(byte[] b, int p, int to) {
    while (p + 4 <= to) {
      int id = u16(b, p, to);
      int len = u16(b, p + 2, to);
      p += 4;
      if (id == 0) {
        break;
      }
      if (len > to - p) {
        throw new IllegalArgumentException("AV pair beyond the response");
      }
      if (id == 8 || id == 10) { // MsvAvSingleHost, MsvAvChannelBindings
        presence(b, p, p + len);
      }
      p += len;
    }
    Arrays.fill(b, Math.min(p, to), to, (byte) 0);
  }

  /** {start, end} of a (Len, MaxLen, BufferOffset) field, inside the message. */
  private static int[] field(byte[] b, int m, int at, int to) {
    int len = u16(b, m + at, to);
    long off = u32(b, m + at + 4, to);
    if (len > 0 && off + len > to - m) {
      throw new IllegalArgumentException("NTLM field beyond the message");
    }
    return len == 0 ? new int[] {m, m} : new int[] {m + (int) off, m + (int) off + len};
  }

  /** Keeps only whether the range was all zero: zeros stay, anything else becomes 0xFF. */
  private static void presence(byte[] b, int from, int to) {
    boolean set = false;
    for (int i = from; i < to; i++) {
      set |= b[i] != 0;
    }
    Arrays.fill(b, from, to, set ? (byte) 0xFF : 0);
  }

  private static void zero(byte[] b, int from, int end, int to) {
    if (end > to) {
      throw new IllegalArgumentException("NTLM message too short");
    }
    Arrays.fill(b, from, end, (byte) 0);
  }

  private static boolean startsWith(byte[] b, int at, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (b[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean contentIs(byte[] b, int[] tlv, byte[] content) {
    return tlv[2] - tlv[1] == content.length && startsWith(b, tlv[1], content);
  }

  private static int u16(byte[] b, int at, int to) {
    if (at + 2 > to) {
      throw new IllegalArgumentException("truncated");
    }
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  private static long u32(byte[] b, int at, int to) {
    if (at + 4 > to) {
      throw new IllegalArgumentException("truncated");
    }
    return (b[at] & 0xFF)
        | (b[at + 1] & 0xFF) << 8
        | (b[at + 2] & 0xFF) << 16
        | (long) (b[at + 3] & 0xFF) << 24;
  }
}
