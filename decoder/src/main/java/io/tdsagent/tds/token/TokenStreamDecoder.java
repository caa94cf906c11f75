package io.tdsagent.tds.token;

import io.tdsagent.tds.login.TdsVersion;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;

/**
 * Walks a token stream (the payload of a TABULAR_RESULT message) and decodes the tokens a login
 * response carries. Tokens with a known length but no decoder here become {@link OtherToken}; a
 * token whose length cannot be determined without column metadata (COLMETADATA, ROW...) or that is
 * malformed stops the walk with {@link TokenSink#onError}. Never throws.
 */
public final class TokenStreamDecoder {
  /** TDS 7.2 widened DONE row counts to 8 bytes and ERROR/INFO line numbers to 4. */
  public static final int TDS_7_2 = 0x72000000;

  private TokenStreamDecoder() {}

  /**
   * @param tdsVersion negotiated (LOGINACK) or requested (LOGIN7) TDS version, 0 if unknown
   * @return true when the whole stream was decoded
   */
  public static boolean decode(byte[] buf, int off, int len, int tdsVersion, TokenSink sink) {
    ByteReader r;
    try {
      r = new ByteReader(buf, off, len);
    } catch (DecodeException e) {
      sink.onError(e.getMessage());
      return false;
    }
    while (r.hasRemaining()) {
      int at = r.position();
      int code = r.u8();
      try {
        if (code == TokenType.FEATUREEXTACK.code()) {
          featureExtAck(r, sink);
          continue;
        }
        Token t = decodeOne(code, r, tdsVersion);
        if (t == null) {
          sink.onError(
              "token 0x"
                  + Integer.toHexString(code)
                  + " ("
                  + TokenType.fromCode(code)
                  + ") at offset "
                  + at
                  + " has a length this decoder cannot determine");
          return false;
        }
        if (t instanceof LoginAck) {
          tdsVersion = ((LoginAck) t).tdsVersion();
        }
        sink.onToken(t);
      } catch (DecodeException e) {
        sink.onError(
            "token 0x" + Integer.toHexString(code) + " at offset " + at + ": " + e.getMessage());
        return false;
      }
    }
    return true;
  }

  private static Token decodeOne(int code, ByteReader r, int tdsVersion) {
    TokenType type = TokenType.fromCode(code);
    switch (type) {
      case LOGINACK:
        return loginAck(r.slice(r.u16le()));
      case ENVCHANGE:
        return envChange(r.slice(r.u16le()));
      case ERROR:
      case INFO:
        return serverMessage(type == TokenType.ERROR, r.slice(r.u16le()));
      case DONE:
      case DONEPROC:
      case DONEINPROC:
        return done(type, r, tdsVersion);
      case SSPI:
        return new SspiToken(r.usVarbyte());
      case FEDAUTHINFO:
        return fedAuthInfo(r.slice(lengthU32(r)));
      case RETURNSTATUS:
      case OFFSET:
        r.skip(4);
        return new OtherToken(code, 4);
      case ORDER:
      case COLINFO:
      case TABNAME:
        {
          int n = r.u16le();
          r.skip(n);
          return new OtherToken(code, n);
        }
      case SESSIONSTATE:
        {
          int n = lengthU32(r);
          r.skip(n);
          return new OtherToken(code, n);
        }
      case UNKNOWN:
        return unknownByClass(code, r);
      default:
        return null; // COLMETADATA, ROW, NBCROW, ALTMETADATA, ALTROW, RETURNVALUE,
        // DATACLASSIFICATION
    }
  }

  /**
   * Length classes from the token type bits (MS-TDS 2.2.4.2), for types this decoder does not know.
   */
  private static Token unknownByClass(int code, ByteReader r) {
    switch (code & 0x30) {
      case 0x10:
        return new OtherToken(code, 0);
      case 0x30:
        {
          int n = 1 << ((code >> 2) & 0x3);
          r.skip(n);
          return new OtherToken(code, n);
        }
      case 0x20:
        {
          int n = r.u16le();
          r.skip(n);
          return new OtherToken(code, n);
        }
      default:
        return null;
    }
  }

  private static int lengthU32(ByteReader r) {
    long n = r.u32le();
    if (n > r.remaining()) {
      throw new DecodeException("length " + n + " beyond the " + r.remaining() + " bytes left");
    }
    return (int) n;
  }

  private static LoginAck loginAck(ByteReader r) {
    int iface = r.u8();
    int version = r.i32be();
    String prog = trimNul(r.bVarchar()); // older servers pad ProgName with NULs
    return new LoginAck(iface, version, prog, r.u8(), r.u8(), r.u8(), r.u8());
  }

  private static String trimNul(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == 0) {
      end--;
    }
    return s.substring(0, end);
  }

  private static EnvChange envChange(ByteReader r) {
    int type = r.u8();
    EnvChangeType t = EnvChangeType.fromByte(type);
    if (t.isString()) {
      String newValue = r.bVarchar();
      String oldValue = r.hasRemaining() ? r.bVarchar() : "";
      return EnvChange.ofStrings(type, newValue, oldValue);
    }
    switch (t) {
      case ROUTING:
        {
          byte[] raw = r.usVarbyte();
          ByteReader v = new ByteReader(raw);
          int protocol = v.u8();
          int port = v.u16le();
          String server = v.usVarchar();
          return EnvChange.routing(protocol, port, server, raw);
        }
      case PROMOTE_TRANSACTION:
        {
          byte[] dtc = r.lVarbyte();
          return EnvChange.ofBytes(type, dtc, r.hasRemaining() ? r.bVarbyte() : new byte[0]);
        }
      case UNKNOWN:
        return EnvChange.ofBytes(type, r.bytes(r.remaining()), new byte[0]);
      default:
        {
          byte[] newValue = r.bVarbyte();
          byte[] oldValue = r.hasRemaining() ? r.bVarbyte() : new byte[0];
          return EnvChange.ofBytes(type, newValue, oldValue);
        }
    }
  }

  private static ServerMessage serverMessage(boolean error, ByteReader r) {
    long number = r.u32le();
    int state = r.u8();
    int severity = r.u8();
    String message = r.usVarchar();
    String server = r.bVarchar();
    String proc = r.bVarchar();
    // LineNumber is a USHORT before TDS 7.2 and a LONG since: the token length tells which.
    long line = r.remaining() >= 4 ? r.u32le() : r.u16le();
    return new ServerMessage(error, number, state, severity, message, server, proc, line);
  }

  private static Done done(TokenType type, ByteReader r, int tdsVersion) {
    int status = r.u16le();
    int curCmd = r.u16le();
    boolean wide = tdsVersion != 0 ? TdsVersion.atLeast72(tdsVersion) : r.remaining() >= 8;
    long count = wide ? r.i64le() : r.u32le();
    return new Done(type, status, curCmd, count);
  }

  private static FedAuthInfo fedAuthInfo(ByteReader r) {
    long count = r.u32le();
    String sts = null;
    String spn = null;
    if (count > r.remaining() / 9) {
      throw new DecodeException("FEDAUTHINFO count " + count + " too large");
    }
    for (int i = 0; i < count; i++) {
      int id = r.u8();
      long len = r.u32le();
      long offset = r.u32le();
      if (len > Integer.MAX_VALUE || offset > Integer.MAX_VALUE) {
        throw new DecodeException("FEDAUTHINFO option out of range");
      }
      // DataOffset counts from the start of CountOfInfoIDs, i.e. the start of this slice
      String value = r.sliceAt((int) offset, (int) len).utf16le((int) len / 2);
      if (id == FedAuthInfo.ID_STSURL) {
        sts = value;
      } else if (id == FedAuthInfo.ID_SPN) {
        spn = value;
      }
    }
    return new FedAuthInfo(sts, spn);
  }

  /**
   * FEATUREEXTACK has no length: FeatureAckOpts until the 0xFF terminator, each delivered as a
   * token.
   */
  private static void featureExtAck(ByteReader r, TokenSink sink) {
    while (true) {
      int id = r.u8();
      if (id == 0xFF) {
        return;
      }
      sink.onToken(new FeatureExtAck(id, r.bytes(lengthU32(r))));
    }
  }
}
