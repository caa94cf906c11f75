package io.tdsagent.lab.wire;

/** TDS packet header message types (MS-TDS 2.2.3.1.1). */
public final class PacketType {
  public static final int SQL_BATCH = 0x01;
  public static final int PRE_TDS7_LOGIN = 0x02;
  public static final int RPC = 0x03;
  public static final int TABULAR_RESULT = 0x04;
  public static final int ATTENTION = 0x06;
  public static final int BULK_LOAD = 0x07;
  public static final int FEDAUTH_TOKEN = 0x08;
  public static final int TRANSACTION_MANAGER = 0x0E;
  public static final int LOGIN7 = 0x10;
  public static final int SSPI = 0x11;
  public static final int PRELOGIN = 0x12;

  /** First byte of a TLS handshake record: how a TDS 8 (strict) client opens the connection. */
  public static final int TLS_HANDSHAKE_RECORD = 0x16;

  private PacketType() {}

  public static String name(int type) {
    switch (type) {
      case SQL_BATCH:
        return "SQLBatch";
      case PRE_TDS7_LOGIN:
        return "PreTDS7Login";
      case RPC:
        return "RPC";
      case TABULAR_RESULT:
        return "TabularResult";
      case ATTENTION:
        return "Attention";
      case BULK_LOAD:
        return "BulkLoad";
      case FEDAUTH_TOKEN:
        return "FedAuthToken";
      case TRANSACTION_MANAGER:
        return "TransactionManager";
      case LOGIN7:
        return "Login7";
      case SSPI:
        return "SSPI";
      case PRELOGIN:
        return "PreLogin";
      default:
        return String.format("0x%02X", type);
    }
  }
}
