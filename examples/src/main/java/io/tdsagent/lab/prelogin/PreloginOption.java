package io.tdsagent.lab.prelogin;

/** PL_OPTION_TOKEN values (MS-TDS 2.2.6.5) and B_FENCRYPTION values. */
public final class PreloginOption {
  public static final int VERSION = 0x00;
  public static final int ENCRYPTION = 0x01;
  public static final int INSTOPT = 0x02;
  public static final int THREADID = 0x03;
  public static final int MARS = 0x04;
  public static final int TRACEID = 0x05;
  public static final int FEDAUTHREQUIRED = 0x06;
  public static final int NONCEOPT = 0x07;
  public static final int TERMINATOR = 0xFF;

  public static final int ENCRYPT_OFF = 0x00;
  public static final int ENCRYPT_ON = 0x01;
  public static final int ENCRYPT_NOT_SUP = 0x02;
  public static final int ENCRYPT_REQ = 0x03;
  public static final int ENCRYPT_CLIENT_CERT = 0x80;

  private PreloginOption() {}

  public static String encryptionName(int v) {
    String cert = (v & ENCRYPT_CLIENT_CERT) != 0 ? "CLIENT_CERT|" : "";
    switch (v & 0x7F) {
      case ENCRYPT_OFF:
        return cert + "ENCRYPT_OFF";
      case ENCRYPT_ON:
        return cert + "ENCRYPT_ON";
      case ENCRYPT_NOT_SUP:
        return cert + "ENCRYPT_NOT_SUP";
      case ENCRYPT_REQ:
        return cert + "ENCRYPT_REQ";
      default:
        return String.format("0x%02X", v);
    }
  }
}
