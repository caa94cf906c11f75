package io.tdsagent.tds.token;

import io.tdsagent.tds.sspi.SspiDecoder;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;

/**
 * SSPI (0xED): an authentication blob from the server (NTLM challenge, Kerberos reply...). Only its
 * decoded form is kept: the raw blob holds the NTLM server challenge, which must not leave the
 * decoder.
 */
public final class SspiToken extends Token {
  private final int length;
  private final SspiMessage message;

  SspiToken(byte[] data) {
    super(TokenType.SSPI);
    this.length = data.length;
    this.message = SspiDecoder.decode(data);
  }

  public int length() {
    return length;
  }

  public SspiMessage message() {
    return message;
  }

  @Override
  public String toString() {
    return "SspiToken{length=" + length + ", message=" + message + '}';
  }
}
