package io.tdsagent.lab.prelogin;

import io.tdsagent.lab.Encryption;

/**
 * The MS-TDS 2.2.6.5 encryption table: what the server answers and what the connection does next.
 */
public final class EncryptionNegotiation {
  /** What happens on the wire after PRELOGIN. */
  public enum Mode {
    /** No TLS. */
    NONE,
    /** TLS for the first LOGIN7 packet only; plaintext afterwards both ways. */
    LOGIN_ONLY,
    /** TLS for the rest of the connection. */
    FULL,
    /** Answer, then close the connection. */
    TERMINATE
  }

  private final int response;
  private final Mode mode;

  private EncryptionNegotiation(int response, Mode mode) {
    this.response = response;
    this.mode = mode;
  }

  public int response() {
    return response;
  }

  public Mode mode() {
    return mode;
  }

  public static EncryptionNegotiation negotiate(Encryption server, int client) {
    boolean clientCert = (client & PreloginOption.ENCRYPT_CLIENT_CERT) != 0;
    int c = client & 0x7F;
    boolean forced = server == Encryption.ON || server == Encryption.REQUIRED;
    if (clientCert && c == PreloginOption.ENCRYPT_NOT_SUP) {
      return new EncryptionNegotiation(PreloginOption.ENCRYPT_REQ, Mode.TERMINATE);
    }
    switch (c) {
      case PreloginOption.ENCRYPT_OFF:
        if (server == Encryption.NOT_SUPPORTED) {
          return new EncryptionNegotiation(PreloginOption.ENCRYPT_NOT_SUP, Mode.NONE);
        }
        return forced
            ? new EncryptionNegotiation(PreloginOption.ENCRYPT_REQ, Mode.FULL)
            : new EncryptionNegotiation(PreloginOption.ENCRYPT_OFF, Mode.LOGIN_ONLY);
      case PreloginOption.ENCRYPT_ON:
      case PreloginOption.ENCRYPT_REQ:
        if (server == Encryption.NOT_SUPPORTED) {
          return new EncryptionNegotiation(PreloginOption.ENCRYPT_NOT_SUP, Mode.TERMINATE);
        }
        return new EncryptionNegotiation(PreloginOption.ENCRYPT_ON, Mode.FULL);
      case PreloginOption.ENCRYPT_NOT_SUP:
        return forced
            ? new EncryptionNegotiation(PreloginOption.ENCRYPT_REQ, Mode.TERMINATE)
            : new EncryptionNegotiation(PreloginOption.ENCRYPT_NOT_SUP, Mode.NONE);
      default:
        return new EncryptionNegotiation(PreloginOption.ENCRYPT_NOT_SUP, Mode.TERMINATE);
    }
  }

  @Override
  public String toString() {
    return PreloginOption.encryptionName(response) + "/" + mode;
  }
}
