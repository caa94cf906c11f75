package io.tdsagent.tds.login;

import io.tdsagent.tds.wire.Hex;

/**
 * MS-TDS 2.2.6.4 TDSVersion values as users read them: 0x74000004 is "7.4", TDS 8's 0x08000000 is
 * "8.0".
 */
public final class TdsVersion {
  private TdsVersion() {}

  /**
   * Whether a TDS version (LOGIN7's or LOGINACK's, not 0) has the 7.2 layouts: 8-byte DONE row
   * counts, 4-byte user types, PLP. TDS 8's 0x08000000 does, although it is numerically smaller
   * than 0x72000000; servers answering 7.0 and 7.1 clients may spell their LOGINACK version
   * 0x07000000 and 0x07010000.
   */
  public static boolean atLeast72(int v) {
    int major = v >>> 24;
    if (major >= 0x70) {
      return major >= 0x72; // 0x7X: 7.X as LOGIN7 and most LOGINACKs write it
    }
    if (major == 0x07) {
      return (v >>> 16 & 0xFF) >= 2; // 0x07MM0000
    }
    return major >= 0x08; // 0x08000000 and later, in TDS 8's plain spelling
  }

  public static String name(int v) {
    switch (v) {
      case 0x70000000:
        return "7.0";
      case 0x71000000:
        return "7.1";
      case 0x71000001:
        return "7.1 rev 1";
      case 0x72090002:
        return "7.2";
      case 0x730A0003:
        return "7.3A";
      case 0x730B0003:
        return "7.3B";
      case 0x74000004:
        return "7.4";
      case 0x08000000:
        return "8.0";
      default:
        return Hex.code(v & 0xFFFFFFFFL, 8);
    }
  }
}
