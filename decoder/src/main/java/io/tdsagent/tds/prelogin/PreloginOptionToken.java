package io.tdsagent.tds.prelogin;

/** PL_OPTION_TOKEN values (MS-TDS 2.2.6.5). */
public enum PreloginOptionToken {
  VERSION(0x00),
  ENCRYPTION(0x01),
  INSTOPT(0x02),
  THREADID(0x03),
  MARS(0x04),
  TRACEID(0x05),
  FEDAUTHREQUIRED(0x06),
  NONCEOPT(0x07),
  TERMINATOR(0xFF),
  UNKNOWN(-1);

  /** {@code values()} copies its array at every call; these lookups run for every message. */
  private static final PreloginOptionToken[] VALUES = values();

  private final int value;

  PreloginOptionToken(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static PreloginOptionToken fromByte(int b) {
    for (PreloginOptionToken t : VALUES) {
      if (t.value == b) {
        return t;
      }
    }
    return UNKNOWN;
  }
}
