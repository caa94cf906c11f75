package io.tdsagent.tds.token;

/** Data stream token types (MS-TDS 2.2.7). */
public enum TokenType {
  OFFSET(0x78),
  RETURNSTATUS(0x79),
  COLMETADATA(0x81),
  ALTMETADATA(0x88),
  DATACLASSIFICATION(0xA3),
  TABNAME(0xA4),
  COLINFO(0xA5),
  ORDER(0xA9),
  ERROR(0xAA),
  INFO(0xAB),
  RETURNVALUE(0xAC),
  LOGINACK(0xAD),
  FEATUREEXTACK(0xAE),
  ROW(0xD1),
  NBCROW(0xD2),
  ALTROW(0xD3),
  ENVCHANGE(0xE3),
  SESSIONSTATE(0xE4),
  SSPI(0xED),
  FEDAUTHINFO(0xEE),
  DONE(0xFD),
  DONEPROC(0xFE),
  DONEINPROC(0xFF),
  UNKNOWN(-1);

  private static final TokenType[] BY_CODE = new TokenType[256];

  static {
    java.util.Arrays.fill(BY_CODE, UNKNOWN);
    for (TokenType t : values()) {
      if (t.code >= 0) {
        BY_CODE[t.code] = t;
      }
    }
  }

  private final int code;

  TokenType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static TokenType fromCode(int code) {
    return code >= 0 && code < 256 ? BY_CODE[code] : UNKNOWN;
  }
}
