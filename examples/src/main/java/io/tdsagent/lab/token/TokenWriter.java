package io.tdsagent.lab.token;

import io.tdsagent.lab.wire.TdsBuffer;
import java.util.Map;

/**
 * Appends server tokens to a token stream buffer. One method per token; field names follow MS-TDS
 * 2.2.7.
 */
public final class TokenWriter {
  private final TdsBuffer out;
  private final String serverName;
  private boolean tds71;
  private boolean plpToOldClients;

  public TokenWriter(TdsBuffer out, String serverName) {
    this.out = out;
    this.serverName = serverName;
  }

  /**
   * Writes for a TDS 7.0/7.1 client (jTDS): DONE row counts are 4 bytes and COLMETADATA UserType 2
   * bytes there. {@code tdsVersion} is the version in LOGINACK.
   */
  public TokenWriter tdsVersion(int tdsVersion) {
    this.tds71 = isTds71(tdsVersion);
    return this;
  }

  /**
   * True if {@code tdsVersion} (as in LOGIN7 or LOGINACK) is TDS 7.0/7.1: before 7.2 and not TDS 8.
   */
  public static boolean isTds71(int tdsVersion) {
    return Integer.compareUnsigned(tdsVersion, 0x72000000) < 0 && tdsVersion != 0x08000000;
  }

  /** True for TDS 7.0/7.1 (see {@link #tdsVersion}). */
  public boolean tds71() {
    return tds71;
  }

  /**
   * A fault on purpose: send the TDS 7.2+ encodings (PLP (max) values, NBCROW, date and time types)
   * to a TDS 7.0/7.1 client too, which a real server never does.
   */
  public TokenWriter plpToOldClients(boolean on) {
    this.plpToOldClients = on;
    return this;
  }

  /**
   * Whether results use the types a real server sends a TDS 7.0/7.1 client (see {@link
   * io.tdsagent.lab.sql.DownLevelTypes}): true for such a client unless {@link #plpToOldClients}.
   */
  public boolean downLevelTypes() {
    return tds71 && !plpToOldClients;
  }

  /** SSPI (0xED): US_VARBYTE, an SSPI/NTLM/SPNEGO/Kerberos token for the client. */
  public TokenWriter sspi(byte[] token) {
    if (token.length > 0xFFFF) {
      throw new IllegalArgumentException("SSPI token of " + token.length + " bytes");
    }
    out.byte1(TokenType.SSPI).uint16(token.length).bytes(token);
    return this;
  }

  public TdsBuffer buffer() {
    return out;
  }

  /** ENVCHANGE with B_VARCHAR new and old values (database, language, packet size, ...). */
  public TokenWriter envChange(int type, String newValue, String oldValue) {
    out.byte1(TokenType.ENVCHANGE);
    int lenPos = out.size();
    out.uint16(0);
    int start = out.size();
    out.byte1(type).bVarchar(newValue).bVarchar(oldValue);
    out.patchUint16(lenPos, out.size() - start);
    return this;
  }

  /**
   * ENVCHANGE type 20, routing (MS-TDS 2.2.7.9): NewValue is a USHORT-length routing value
   * (Protocol 0 = TCP, ProtocolProperty = port, AlternateServer as US_VARCHAR), OldValue is empty
   * (USHORT 0).
   */
  public TokenWriter routing(String host, int port) {
    out.byte1(TokenType.ENVCHANGE);
    int lenPos = out.size();
    out.uint16(0);
    int start = out.size();
    out.byte1(EnvChange.ROUTING);
    int valuePos = out.size();
    out.uint16(0);
    int valueStart = out.size();
    out.byte1(0).uint16(port).usVarchar(host);
    out.patchUint16(valuePos, out.size() - valueStart);
    out.uint16(0);
    out.patchUint16(lenPos, out.size() - start);
    return this;
  }

  /** ENVCHANGE with B_VARBYTE new and old values (SQL collation). */
  public TokenWriter envChangeBytes(int type, byte[] newValue, byte[] oldValue) {
    out.byte1(TokenType.ENVCHANGE);
    int lenPos = out.size();
    out.uint16(0);
    int start = out.size();
    out.byte1(type).bVarbyte(newValue).bVarbyte(oldValue);
    out.patchUint16(lenPos, out.size() - start);
    return this;
  }

  /** INFO (0xAB). */
  public TokenWriter info(int number, int state, int severityClass, String message) {
    return message(TokenType.INFO, number, state, severityClass, message);
  }

  /** ERROR (0xAA). */
  public TokenWriter error(int number, int state, int severityClass, String message) {
    return message(TokenType.ERROR, number, state, severityClass, message);
  }

  private TokenWriter message(int token, int number, int state, int severityClass, String message) {
    out.byte1(token);
    int lenPos = out.size();
    out.uint16(0);
    int start = out.size();
    out.int32(number)
        .byte1(state)
        .byte1(severityClass)
        .usVarchar(message)
        .bVarchar(serverName)
        .bVarchar("")
        .int32(1); // LineNumber
    out.patchUint16(lenPos, out.size() - start);
    return this;
  }

  /**
   * LOGINACK: Interface (1 = SQL_TSQL), TDSVersion (big-endian on the wire, e.g. 74 00 00 04),
   * ProgName, and ProgVersion (major, minor, build high byte, build low byte).
   */
  public TokenWriter loginAck(int tdsVersion, String progName, int major, int minor, int build) {
    out.byte1(TokenType.LOGINACK);
    int lenPos = out.size();
    out.uint16(0);
    int start = out.size();
    out.byte1(1)
        .int32BigEndian(tdsVersion)
        .bVarchar(progName)
        .byte1(major)
        .byte1(minor)
        .byte1(build >>> 8)
        .byte1(build);
    out.patchUint16(lenPos, out.size() - start);
    return this;
  }

  /** FEATUREEXTACK: (FeatureId, FeatureAckDataLen DWORD, data)* then TERMINATOR 0xFF. */
  public TokenWriter featureExtAck(Map<Integer, byte[]> acks) {
    out.byte1(TokenType.FEATUREEXTACK);
    for (Map.Entry<Integer, byte[]> e : acks.entrySet()) {
      out.byte1(e.getKey()).int32(e.getValue().length).bytes(e.getValue());
    }
    out.byte1(0xFF);
    return this;
  }

  /**
   * DONE / DONEPROC / DONEINPROC: Status, CurCmd, DoneRowCount (ULONGLONG since TDS 7.2, LONG
   * before).
   */
  public TokenWriter done(int token, int status, int curCmd, long rowCount) {
    out.byte1(token).uint16(status).uint16(curCmd);
    if (tds71) {
      out.int32((int) rowCount);
    } else {
      out.int64(rowCount);
    }
    return this;
  }

  public TokenWriter done(int status, int curCmd, long rowCount) {
    return done(TokenType.DONE, status, curCmd, rowCount);
  }
}
