package io.tdsagent.testutil;

import java.io.ByteArrayOutputStream;

/** Builds LOGIN7 payloads (TDS 7.2+ layout, or the 86-byte 7.1 layout). */
public final class Login7Bytes {
  public int tdsVersion = 0x74000004;
  public long packetSize = 8000;
  public int clientProgVersion = 0x0D060200;
  public long clientPid = 4242;
  public long connectionId = 7;
  public int flags1 = 0xE0;
  public int flags2 = 0x03;
  public int typeFlags = 0x00;
  public int flags3 = 0x00;
  public int timeZone = -60;
  public long lcid = 0x409;
  public String host = "client-host";
  public String user = "tdsuser";
  public String password = "";
  public String app = "test-app";
  public String server = "db.example";
  public String library = "Test Library";
  public String language = "us_english";
  public String database = "demo";
  public byte[] clientId = {0x00, 0x0c, 0x29, (byte) 0xc9, (byte) 0x8f, 0x0f};
  public byte[] sspi = new byte[0];
  public String attachDb = "";
  public String changePassword = "";

  /** FeatureExt block (without terminator); null for none. */
  public byte[] features;

  public boolean legacy71;

  /** TDS password obfuscation: swap nibbles, XOR 0xA5. */
  public static byte[] obfuscate(String s) {
    byte[] b = TdsBytes.utf16(s);
    for (int i = 0; i < b.length; i++) {
      int v = b[i] & 0xFF;
      b[i] = (byte) ((((v << 4) | (v >> 4)) & 0xFF) ^ 0xA5);
    }
    return b;
  }

  public byte[] build() {
    int fixed = legacy71 ? 86 : 94;
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    int[] ib = new int[13];
    int[] cch = new int[13];
    Object[] vars = {
      host,
      user,
      obfuscate(password),
      app,
      server,
      null,
      library,
      language,
      database,
      sspi,
      attachDb,
      obfuscate(changePassword)
    };
    for (int i = 0; i < vars.length; i++) {
      ib[i] = fixed + data.size();
      if (i == 5) { // ibExtension: a DWORD offset to FeatureExt, filled below
        if (features != null) {
          data.writeBytes(new byte[4]);
          cch[i] = 4;
        }
        continue;
      }
      byte[] b = vars[i] instanceof String ? TdsBytes.utf16((String) vars[i]) : (byte[]) vars[i];
      data.writeBytes(b);
      cch[i] = i == 9 ? b.length : b.length / 2;
    }
    int featureOffset = fixed + data.size();
    if (features != null) {
      data.writeBytes(features);
      data.write(0xFF);
    }
    byte[] var = data.toByteArray();
    if (features != null) {
      int at = ib[5] - fixed;
      var[at] = (byte) featureOffset;
      var[at + 1] = (byte) (featureOffset >> 8);
    }
    TdsBytes.Out o = new TdsBytes.Out();
    o.u32le(fixed + var.length)
        .u32le(tdsVersion)
        .u32le(packetSize)
        .u32le(clientProgVersion)
        .u32le(clientPid)
        .u32le(connectionId)
        .u8(flags1)
        .u8(flags2)
        .u8(typeFlags)
        .u8(flags3 | (features != null ? 0x10 : 0))
        .u32le(timeZone)
        .u32le(lcid);
    for (int i = 0; i < 9; i++) {
      o.u16le(ib[i]).u16le(cch[i]);
    }
    o.bytes(clientId);
    o.u16le(ib[9]).u16le(cch[9]);
    o.u16le(ib[10]).u16le(cch[10]);
    if (!legacy71) {
      o.u16le(ib[11]).u16le(cch[11]).u32le(0);
    }
    return o.bytes(var).toByteArray();
  }
}
