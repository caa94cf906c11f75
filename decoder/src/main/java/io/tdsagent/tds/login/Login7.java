package io.tdsagent.tds.login;

import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import io.tdsagent.tds.wire.Hex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A decoded LOGIN7 message (MS-TDS 2.2.6.4). Holds no password: there is deliberately no field for
 * ibPassword/ibChangePassword data, only whether they were non-empty. Likewise the SSPI blob is
 * kept only decoded ({@link SspiMessage}), never as bytes.
 */
public final class Login7 {
  // OptionFlags1
  public static final int F_BYTE_ORDER = 0x01;
  public static final int F_CHAR = 0x02;
  public static final int F_FLOAT = 0x0C;
  public static final int F_DUMP_LOAD = 0x10;
  public static final int F_USE_DB = 0x20;
  public static final int F_DATABASE = 0x40;
  public static final int F_SET_LANG = 0x80;
  // OptionFlags2
  public static final int F_LANGUAGE = 0x01;
  public static final int F_ODBC = 0x02;
  public static final int F_TRAN_BOUNDARY = 0x04;
  public static final int F_CACHE_CONNECT = 0x08;
  public static final int F_USER_TYPE = 0x70;
  public static final int F_INT_SECURITY = 0x80;
  // TypeFlags
  public static final int F_SQL_TYPE = 0x0F;
  public static final int F_OLEDB = 0x10;
  public static final int F_READ_ONLY_INTENT = 0x20;
  // OptionFlags3
  public static final int F_CHANGE_PASSWORD = 0x01;
  public static final int F_USER_INSTANCE = 0x02;
  public static final int F_SEND_YUKON_BINARY_XML = 0x04;
  public static final int F_UNKNOWN_COLLATION_HANDLING = 0x08;
  public static final int F_EXTENSION = 0x10;

  private final long length;
  private final int tdsVersion;
  private final long packetSize;
  private final int clientProgVersion;
  private final long clientPid;
  private final long connectionId;
  private final int optionFlags1;
  private final int optionFlags2;
  private final int typeFlags;
  private final int optionFlags3;
  private final int clientTimeZone;
  private final long clientLcid;
  private final String hostName;
  private final String userName;
  private final boolean password;
  private final String appName;
  private final String serverName;
  private final String clientInterfaceName;
  private final String language;
  private final String database;
  private final byte[] clientId;
  private final SspiMessage sspi;
  private final long sspiLength;
  private final String attachDbFile;
  private final boolean changePassword;
  private final List<FeatureExtension> featureExtensions;

  Login7(Builder b) {
    length = b.length;
    tdsVersion = b.tdsVersion;
    packetSize = b.packetSize;
    clientProgVersion = b.clientProgVersion;
    clientPid = b.clientPid;
    connectionId = b.connectionId;
    optionFlags1 = b.optionFlags1;
    optionFlags2 = b.optionFlags2;
    typeFlags = b.typeFlags;
    optionFlags3 = b.optionFlags3;
    clientTimeZone = b.clientTimeZone;
    clientLcid = b.clientLcid;
    hostName = b.hostName;
    userName = b.userName;
    password = b.password;
    appName = b.appName;
    serverName = b.serverName;
    clientInterfaceName = b.clientInterfaceName;
    language = b.language;
    database = b.database;
    clientId = b.clientId.clone();
    sspi = b.sspi;
    sspiLength = b.sspiLength;
    attachDbFile = b.attachDbFile;
    changePassword = b.changePassword;
    featureExtensions = Collections.unmodifiableList(new ArrayList<>(b.featureExtensions));
  }

  /** The Length field (whole LOGIN7 payload). */
  public long length() {
    return length;
  }

  /** TDSVersion as the LE DWORD reads, e.g. 0x74000004 for TDS 7.4. */
  public int tdsVersion() {
    return tdsVersion;
  }

  public long packetSize() {
    return packetSize;
  }

  /** ClientProgVer as the LE DWORD reads. */
  public int clientProgVersion() {
    return clientProgVersion;
  }

  public long clientPid() {
    return clientPid;
  }

  public long connectionId() {
    return connectionId;
  }

  public int optionFlags1() {
    return optionFlags1;
  }

  public int optionFlags2() {
    return optionFlags2;
  }

  public int typeFlags() {
    return typeFlags;
  }

  public int optionFlags3() {
    return optionFlags3;
  }

  /** fByteOrder: true = ORDER_68000 (big-endian), false = ORDER_X86. */
  public boolean isByteOrder68000() {
    return (optionFlags1 & F_BYTE_ORDER) != 0;
  }

  /** fChar: true = EBCDIC, false = ASCII. */
  public boolean isCharEbcdic() {
    return (optionFlags1 & F_CHAR) != 0;
  }

  /** fFloat: 0 IEEE 754, 1 VAX, 2 ND5000. */
  public int floatType() {
    return (optionFlags1 & F_FLOAT) >> 2;
  }

  /** fDumpLoad set means dump/load and BCP capabilities are OFF. */
  public boolean isDumpLoadOff() {
    return (optionFlags1 & F_DUMP_LOAD) != 0;
  }

  /** fUseDB: warn on database change. */
  public boolean isUseDb() {
    return (optionFlags1 & F_USE_DB) != 0;
  }

  /** fDatabase: failing to switch to the initial database is fatal. */
  public boolean isInitDbFatal() {
    return (optionFlags1 & F_DATABASE) != 0;
  }

  /** fSetLang: warn on language change. */
  public boolean isSetLang() {
    return (optionFlags1 & F_SET_LANG) != 0;
  }

  /** fLanguage: failing to set the initial language is fatal. */
  public boolean isInitLangFatal() {
    return (optionFlags2 & F_LANGUAGE) != 0;
  }

  /** fODBC. */
  public boolean isOdbc() {
    return (optionFlags2 & F_ODBC) != 0;
  }

  /** fUserType: 0 normal, 1 server, 2 remote user, 3 SQL replication. */
  public int userType() {
    return (optionFlags2 & F_USER_TYPE) >> 4;
  }

  /** fIntSecurity: integrated (SSPI) authentication. */
  public boolean isIntSecurity() {
    return (optionFlags2 & F_INT_SECURITY) != 0;
  }

  /** fSQLType: 0 default, 1 T-SQL. */
  public int sqlType() {
    return typeFlags & F_SQL_TYPE;
  }

  /** fOLEDB. */
  public boolean isOleDb() {
    return (typeFlags & F_OLEDB) != 0;
  }

  /** fReadOnlyIntent. */
  public boolean isReadOnlyIntent() {
    return (typeFlags & F_READ_ONLY_INTENT) != 0;
  }

  /** fChangePassword (the new password itself is never decoded). */
  public boolean isChangePassword() {
    return (optionFlags3 & F_CHANGE_PASSWORD) != 0;
  }

  /** fUserInstance. */
  public boolean isUserInstance() {
    return (optionFlags3 & F_USER_INSTANCE) != 0;
  }

  /** fSendYukonBinaryXML. */
  public boolean isSendYukonBinaryXml() {
    return (optionFlags3 & F_SEND_YUKON_BINARY_XML) != 0;
  }

  /** fUnknownCollationHandling. */
  public boolean isUnknownCollationHandling() {
    return (optionFlags3 & F_UNKNOWN_COLLATION_HANDLING) != 0;
  }

  /** fExtension: ibExtension points to FeatureExt. */
  public boolean isExtension() {
    return (optionFlags3 & F_EXTENSION) != 0;
  }

  /** ClientTimeZone in minutes (signed). */
  public int clientTimeZone() {
    return clientTimeZone;
  }

  public long clientLcid() {
    return clientLcid;
  }

  public String hostName() {
    return hostName;
  }

  public String userName() {
    return userName;
  }

  /** cchPassword was non-zero. The password itself is never decoded. */
  public boolean hasPassword() {
    return password;
  }

  public String appName() {
    return appName;
  }

  public String serverName() {
    return serverName;
  }

  /** CltIntName: the client library, e.g. "ODBC" or "Microsoft JDBC Driver 13.6". */
  public String clientInterfaceName() {
    return clientInterfaceName;
  }

  public String language() {
    return language;
  }

  public String database() {
    return database;
  }

  /** ClientID (usually the MAC address), 6 bytes as lowercase hex. */
  public String clientId() {
    return Hex.of(clientId);
  }

  /** The decoded SSPI field, or null when cbSSPI is 0. */
  public SspiMessage sspiMessage() {
    return sspi;
  }

  /** Length of the SSPI data (cbSSPI, or cbSSPILong when cbSSPI is 0xFFFF). */
  public long sspiLength() {
    return sspiLength;
  }

  public String attachDbFile() {
    return attachDbFile;
  }

  /** cchChangePassword was non-zero. The new password itself is never decoded. */
  public boolean hasChangePassword() {
    return changePassword;
  }

  public List<FeatureExtension> featureExtensions() {
    return featureExtensions;
  }

  @Override
  public String toString() {
    return "Login7{tdsVersion=0x"
        + Integer.toHexString(tdsVersion)
        + ", packetSize="
        + packetSize
        + ", clientProgVersion=0x"
        + Integer.toHexString(clientProgVersion)
        + ", clientPid="
        + clientPid
        + ", connectionId="
        + connectionId
        + ", optionFlags1=0x"
        + Integer.toHexString(optionFlags1)
        + ", optionFlags2=0x"
        + Integer.toHexString(optionFlags2)
        + ", typeFlags=0x"
        + Integer.toHexString(typeFlags)
        + ", optionFlags3=0x"
        + Integer.toHexString(optionFlags3)
        + ", intSecurity="
        + isIntSecurity()
        + ", readOnlyIntent="
        + isReadOnlyIntent()
        + ", clientTimeZone="
        + clientTimeZone
        + ", clientLcid=0x"
        + Long.toHexString(clientLcid)
        + ", hostName='"
        + hostName
        + "', userName='"
        + userName
        + "', password="
        + (password ? "<present>" : "<none>")
        + ", appName='"
        + appName
        + "', serverName='"
        + serverName
        + "', clientInterfaceName='"
        + clientInterfaceName
        + "', language='"
        + language
        + "', database='"
        + database
        + "', clientId="
        + clientId()
        + ", sspiLength="
        + sspiLength
        + (sspi != null ? ", sspi=" + sspi : "")
        + ", attachDbFile='"
        + attachDbFile
        + "', changePassword="
        + (changePassword ? "<present>" : "<none>")
        + ", featureExtensions="
        + featureExtensions
        + '}';
  }

  /** Used by the decoder and by tests. */
  public static final class Builder {
    private long length;
    private int tdsVersion;
    private long packetSize;
    private int clientProgVersion;
    private long clientPid;
    private long connectionId;
    private int optionFlags1;
    private int optionFlags2;
    private int typeFlags;
    private int optionFlags3;
    private int clientTimeZone;
    private long clientLcid;
    private String hostName = "";
    private String userName = "";
    private boolean password;
    private String appName = "";
    private String serverName = "";
    private String clientInterfaceName = "";
    private String language = "";
    private String database = "";
    private byte[] clientId = new byte[6];
    private SspiMessage sspi;
    private long sspiLength;
    private String attachDbFile = "";
    private boolean changePassword;
    private final List<FeatureExtension> featureExtensions = new ArrayList<>();

    public Builder length(long v) {
      length = v;
      return this;
    }

    public Builder tdsVersion(int v) {
      tdsVersion = v;
      return this;
    }

    public Builder packetSize(long v) {
      packetSize = v;
      return this;
    }

    public Builder clientProgVersion(int v) {
      clientProgVersion = v;
      return this;
    }

    public Builder clientPid(long v) {
      clientPid = v;
      return this;
    }

    public Builder connectionId(long v) {
      connectionId = v;
      return this;
    }

    public Builder optionFlags1(int v) {
      optionFlags1 = v;
      return this;
    }

    public Builder optionFlags2(int v) {
      optionFlags2 = v;
      return this;
    }

    public Builder typeFlags(int v) {
      typeFlags = v;
      return this;
    }

    public Builder optionFlags3(int v) {
      optionFlags3 = v;
      return this;
    }

    public Builder clientTimeZone(int v) {
      clientTimeZone = v;
      return this;
    }

    public Builder clientLcid(long v) {
      clientLcid = v;
      return this;
    }

    public Builder hostName(String v) {
      hostName = v;
      return this;
    }

    public Builder userName(String v) {
      userName = v;
      return this;
    }

    public Builder password(boolean present) {
      password = present;
      return this;
    }

    public Builder appName(String v) {
      appName = v;
      return this;
    }

    public Builder serverName(String v) {
      serverName = v;
      return this;
    }

    public Builder clientInterfaceName(String v) {
      clientInterfaceName = v;
      return this;
    }

    public Builder language(String v) {
      language = v;
      return this;
    }

    public Builder database(String v) {
      database = v;
      return this;
    }

    public Builder clientId(byte[] v) {
      clientId = v.clone();
      return this;
    }

    public Builder sspi(SspiMessage v, long declaredLength) {
      sspi = v;
      sspiLength = declaredLength;
      return this;
    }

    public Builder attachDbFile(String v) {
      attachDbFile = v;
      return this;
    }

    public Builder changePassword(boolean present) {
      changePassword = present;
      return this;
    }

    public Builder feature(FeatureExtension f) {
      featureExtensions.add(f);
      return this;
    }

    public Login7 build() {
      return new Login7(this);
    }
  }
}
