package io.tdsagent.tds.token;

/** LOGINACK (0xAD). */
public final class LoginAck extends Token {
  /** Interface value for SQL_TSQL. */
  public static final int INTERFACE_TSQL = 1;

  private final int interfaceType;
  private final int tdsVersion;
  private final String progName;
  private final int majorVer;
  private final int minorVer;
  private final int buildNumHi;
  private final int buildNumLo;

  LoginAck(
      int interfaceType,
      int tdsVersion,
      String progName,
      int majorVer,
      int minorVer,
      int buildNumHi,
      int buildNumLo) {
    super(TokenType.LOGINACK);
    this.interfaceType = interfaceType;
    this.tdsVersion = tdsVersion;
    this.progName = progName;
    this.majorVer = majorVer;
    this.minorVer = minorVer;
    this.buildNumHi = buildNumHi;
    this.buildNumLo = buildNumLo;
  }

  /** 0 SQL_DFLT, 1 SQL_TSQL. */
  public int getInterface() {
    return interfaceType;
  }

  /** TDSVersion (sent big-endian), e.g. 0x74000004. */
  public int tdsVersion() {
    return tdsVersion;
  }

  public String progName() {
    return progName;
  }

  public int majorVer() {
    return majorVer;
  }

  public int minorVer() {
    return minorVer;
  }

  public int buildNumHi() {
    return buildNumHi;
  }

  public int buildNumLo() {
    return buildNumLo;
  }

  /** Build number as SQL Server reports it: (BuildNumHi << 8) | BuildNumLo. */
  public int buildNumber() {
    return buildNumHi << 8 | buildNumLo;
  }

  /** major.minor.build, e.g. "12.0.2000". */
  public String progVersion() {
    return majorVer + "." + minorVer + "." + buildNumber();
  }

  @Override
  public String toString() {
    return "LoginAck{interface="
        + interfaceType
        + ", tdsVersion=0x"
        + Integer.toHexString(tdsVersion)
        + ", progName='"
        + progName
        + "', progVersion="
        + progVersion()
        + '}';
  }
}
