package io.tdsagent.tds.login;

import io.tdsagent.tds.wire.Hex;

/** MS-TDS 2.2.6.4 TDSVersion values as users read them: 0x74000004 is "7.4", TDS 8's 0x08000000 is "8.0". */
public final class TdsVersion {
    private TdsVersion() {}

    public static String name(int v) {
        switch (v) {
            case 0x70000000: return "7.0";
            case 0x71000000: return "7.1";
            case 0x71000001: return "7.1 rev 1";
            case 0x72090002: return "7.2";
            case 0x730A0003: return "7.3A";
            case 0x730B0003: return "7.3B";
            case 0x74000004: return "7.4";
            case 0x08000000: return "8.0";
            default: return Hex.code(v & 0xFFFFFFFFL, 8);
        }
    }
}
