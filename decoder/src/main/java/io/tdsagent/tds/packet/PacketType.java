package io.tdsagent.tds.packet;

/** TDS packet header Type values (MS-TDS 2.2.3.1.1). */
public enum PacketType {
  SQL_BATCH(0x01),
  PRE_TDS7_LOGIN(0x02),
  RPC(0x03),
  TABULAR_RESULT(0x04),
  ATTENTION(0x06),
  BULK_LOAD(0x07),
  FEDAUTH_TOKEN(0x08),
  TRANSACTION_MANAGER(0x0E),
  LOGIN7(0x10),
  SSPI(0x11),
  PRELOGIN(0x12),
  /** Any other value: a framing error when seen in a header. */
  UNKNOWN(-1);

  private static final PacketType[] BY_CODE = new PacketType[256];

  static {
    java.util.Arrays.fill(BY_CODE, UNKNOWN);
    for (PacketType t : values()) {
      if (t.code >= 0) {
        BY_CODE[t.code] = t;
      }
    }
  }

  private final int code;

  PacketType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static PacketType fromCode(int code) {
    return code >= 0 && code < 256 ? BY_CODE[code] : UNKNOWN;
  }
}
