package io.tdsagent.tds.token;

/** ENVCHANGE types (MS-TDS 2.2.7.9). */
public enum EnvChangeType {
  DATABASE(1, true),
  LANGUAGE(2, true),
  CHARSET(3, true),
  PACKETSIZE(4, true),
  UNICODE_SORTING_LOCAL(5, true),
  UNICODE_SORTING_FLAGS(6, true),
  SQL_COLLATION(7, false),
  BEGIN_TRANSACTION(8, false),
  COMMIT(9, false),
  ROLLBACK(10, false),
  ENLIST_DTC(11, false),
  DEFECT_TRANSACTION(12, false),
  REAL_TIME_LOG_SHIPPING(13, true),
  PROMOTE_TRANSACTION(15, false),
  TRANSACTION_MANAGER_ADDRESS(16, false),
  TRANSACTION_ENDED(17, false),
  RESETCONNECTION_ACK(18, false),
  USER_INSTANCE_STARTED(19, true),
  ROUTING(20, false),
  UNKNOWN(-1, false);

  /** {@code values()} copies its array at every call; these lookups run for every message. */
  private static final EnvChangeType[] VALUES = values();

  private final int value;
  private final boolean string;

  EnvChangeType(int value, boolean string) {
    this.value = value;
    this.string = string;
  }

  public int value() {
    return value;
  }

  /** Whether the values are B_VARCHAR strings (otherwise binary). */
  public boolean isString() {
    return string;
  }

  public static EnvChangeType fromByte(int b) {
    for (EnvChangeType t : VALUES) {
      if (t.value == b) {
        return t;
      }
    }
    return UNKNOWN;
  }
}
