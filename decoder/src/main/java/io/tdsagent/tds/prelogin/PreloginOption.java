package io.tdsagent.tds.prelogin;

import io.tdsagent.tds.wire.Hex;

/** An option this decoder does not interpret, kept with its token byte. */
public final class PreloginOption {
  private final int token;
  private final byte[] data;

  PreloginOption(int token, byte[] data) {
    this.token = token;
    this.data = data.clone();
  }

  public int token() {
    return token;
  }

  public byte[] data() {
    return data.clone();
  }

  @Override
  public String toString() {
    return "PreloginOption{token=0x"
        + Integer.toHexString(token)
        + ", data="
        + Hex.brief(data)
        + '}';
  }
}
