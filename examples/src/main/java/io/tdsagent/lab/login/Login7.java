package io.tdsagent.lab.login;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;

/** A decoded LOGIN7 record (MS-TDS 2.2.6.4). The password is kept out of {@link #toString()}. */
public final class Login7 {
  /** OptionFlags2.fIntSecurity. */
  public static final int OPTION2_INTEGRATED_SECURITY = 0x80;

  /** OptionFlags3.fExtension. */
  public static final int OPTION3_EXTENSION = 0x10;

  /** TypeFlags.fReadOnlyIntent. */
  public static final int TYPE_READ_ONLY_INTENT = 0x20;

  final int length;
  final int tdsVersion;
  final int packetSize;
  final int clientProgVer;
  final int clientPid;
  final int connectionId;
  final int optionFlags1;
  final int optionFlags2;
  final int typeFlags;
  final int optionFlags3;
  final int clientTimeZone;
  final int clientLcid;
  final String hostName;
  final String userName;
  final char[] password;
  final String appName;
  final String serverName;
  final String cltIntName;
  final String language;
  final String database;
  final byte[] clientId;
  final byte[] sspi;
  final String atchDbFile;
  final Map<Integer, byte[]> features;

  Login7(
      int length,
      int tdsVersion,
      int packetSize,
      int clientProgVer,
      int clientPid,
      int connectionId,
      int optionFlags1,
      int optionFlags2,
      int typeFlags,
      int optionFlags3,
      int clientTimeZone,
      int clientLcid,
      String hostName,
      String userName,
      char[] password,
      String appName,
      String serverName,
      String cltIntName,
      String language,
      String database,
      byte[] clientId,
      byte[] sspi,
      String atchDbFile,
      Map<Integer, byte[]> features) {
    this.length = length;
    this.tdsVersion = tdsVersion;
    this.packetSize = packetSize;
    this.clientProgVer = clientProgVer;
    this.clientPid = clientPid;
    this.connectionId = connectionId;
    this.optionFlags1 = optionFlags1;
    this.optionFlags2 = optionFlags2;
    this.typeFlags = typeFlags;
    this.optionFlags3 = optionFlags3;
    this.clientTimeZone = clientTimeZone;
    this.clientLcid = clientLcid;
    this.hostName = hostName;
    this.userName = userName;
    this.password = password;
    this.appName = appName;
    this.serverName = serverName;
    this.cltIntName = cltIntName;
    this.language = language;
    this.database = database;
    this.clientId = clientId;
    this.sspi = sspi;
    this.atchDbFile = atchDbFile;
    this.features = features;
  }

  public int tdsVersion() {
    return tdsVersion;
  }

  public int packetSize() {
    return packetSize;
  }

  public int clientProgVer() {
    return clientProgVer;
  }

  public int clientPid() {
    return clientPid;
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

  public String hostName() {
    return hostName;
  }

  public String userName() {
    return userName;
  }

  public String appName() {
    return appName;
  }

  public String serverName() {
    return serverName;
  }

  public String cltIntName() {
    return cltIntName;
  }

  public String language() {
    return language;
  }

  public String database() {
    return database;
  }

  public byte[] clientId() {
    return clientId.clone();
  }

  public byte[] sspi() {
    return sspi.clone();
  }

  public String atchDbFile() {
    return atchDbFile;
  }

  /** FeatureExt options in the order the client sent them. */
  public Map<Integer, byte[]> features() {
    return Collections.unmodifiableMap(features);
  }

  public boolean integratedSecurity() {
    return (optionFlags2 & OPTION2_INTEGRATED_SECURITY) != 0;
  }

  public boolean readOnlyIntent() {
    return (typeFlags & TYPE_READ_ONLY_INTENT) != 0;
  }

  /**
   * True if the de-obfuscated password equals {@code expected} (constant time in the length of the
   * input).
   */
  public boolean passwordMatches(String expected) {
    char[] e = expected.toCharArray();
    boolean same = e.length == password.length;
    int diff = 0;
    for (int i = 0; i < password.length; i++) {
      diff |= password[i] ^ (i < e.length ? e[i] : 0);
    }
    Arrays.fill(e, '\0');
    return same && diff == 0;
  }

  /** Wipes the decoded password. */
  public void clearPassword() {
    Arrays.fill(password, '\0');
  }

  @Override
  public String toString() {
    return "LOGIN7{tdsVersion="
        + String.format("0x%08X", tdsVersion)
        + ", packetSize="
        + packetSize
        + ", user="
        + userName
        + ", password=<"
        + password.length
        + " chars>, host="
        + hostName
        + ", app="
        + appName
        + ", server="
        + serverName
        + ", library="
        + cltIntName
        + ", database="
        + database
        + ", integratedSecurity="
        + integratedSecurity()
        + ", features="
        + features.keySet().stream()
            .map(FeatureId::name)
            .collect(java.util.stream.Collectors.toList())
        + "}";
  }
}
