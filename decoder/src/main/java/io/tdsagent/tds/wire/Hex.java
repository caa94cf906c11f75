package io.tdsagent.tds.wire;

/** Hex formatting for toString() of small binary fields. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    public static String of(byte[] b) {
        return b == null ? "null" : of(b, 0, b.length);
    }

    public static String of(byte[] b, int off, int len) {
        char[] out = new char[len * 2];
        for (int i = 0; i < len; i++) {
            int v = b[off + i] & 0xFF;
            out[2 * i] = DIGITS[v >>> 4];
            out[2 * i + 1] = DIGITS[v & 0xF];
        }
        return new String(out);
    }

    /** For toString(): short arrays in full, long ones by length only. */
    public static String brief(byte[] b) {
        if (b == null) {
            return "null";
        }
        return b.length <= 32 ? "0x" + of(b) : "<" + b.length + " bytes>";
    }
}
