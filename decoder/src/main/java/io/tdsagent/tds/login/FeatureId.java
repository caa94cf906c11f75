package io.tdsagent.tds.login;

/** FeatureId values of LOGIN7 FeatureExt and of FEATUREEXTACK (MS-TDS 2.2.6.4, 2.2.7.11). */
public enum FeatureId {
  SESSIONRECOVERY(0x01),
  FEDAUTH(0x02),
  COLUMNENCRYPTION(0x04),
  GLOBALTRANSACTIONS(0x05),
  AZURESQLSUPPORT(0x08),
  DATACLASSIFICATION(0x09),
  UTF8_SUPPORT(0x0A),
  AZURESQLDNSCACHING(0x0B),
  JSONSUPPORT(0x0D),
  VECTORSUPPORT(0x0E),
  TERMINATOR(0xFF),
  UNKNOWN(-1);

  /** {@code values()} copies its array at every call; these lookups run for every message. */
  private static final FeatureId[] VALUES = values();

  private final int value;

  FeatureId(int value) {
    this.value = value;
  }

  public int value() {
    return value;
  }

  public static FeatureId fromByte(int b) {
    for (FeatureId f : VALUES) {
      if (f.value == b) {
        return f;
      }
    }
    return UNKNOWN;
  }
}
