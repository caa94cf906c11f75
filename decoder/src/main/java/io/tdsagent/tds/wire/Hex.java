package io.tdsagent.tds.wire;

/** Hex formatting for toString() of small binary fields, and for codes that have no name. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();
  private static final char[] UPPER = "0123456789ABCDEF".toCharArray();

  private Hex() {}

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

  /**
   * A code with no name, as "0x00FF": {@code digits} upper-case hex digits (the low ones,
   * zero-padded). Used instead of {@code String.format}, whose pattern parsing was a visible share
   * of making a login span.
   */
  public static String code(long value, int digits) {
    char[] c = new char[2 + digits];
    c[0] = '0';
    c[1] = 'x';
    for (int i = digits - 1; i >= 0; i--) {
      c[2 + i] = UPPER[(int) (value & 0xF)];
      value >>>= 4;
    }
    return new String(c);
  }
}
