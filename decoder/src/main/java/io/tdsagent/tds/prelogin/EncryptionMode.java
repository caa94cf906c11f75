package io.tdsagent.tds.prelogin;

/** PRELOGIN ENCRYPTION option values (MS-TDS 2.2.6.5), without the CLIENT_CERT bit. */
public enum EncryptionMode {
  /** ENCRYPT_OFF: available but off. */
  OFF(0),
  /** ENCRYPT_ON. */
  ON(1),
  /** ENCRYPT_NOT_SUP. */
  NOT_SUP(2),
  /** ENCRYPT_REQ. */
  REQ(3),
  /** A value the spec does not define; see {@link Prelogin#encryptionRaw()}. */
  UNKNOWN(-1);

  /** Bit ORed into the value when the client wants to authenticate with a certificate. */
  public static final int CLIENT_CERT = 0x80;

  private final int value;

  EncryptionMode(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  /** Decodes the option byte, ignoring the CLIENT_CERT bit. */
  public static EncryptionMode fromByte(int b) {
    switch (b & 0x7F) {
      case 0:
        return OFF;
      case 1:
        return ON;
      case 2:
        return NOT_SUP;
      case 3:
        return REQ;
      default:
        return UNKNOWN;
    }
  }
}
