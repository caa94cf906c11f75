package io.tdsagent.tds.types;

import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.Hex;
import java.nio.charset.StandardCharsets;

/**
 * A short human-readable rendering of a value's first bytes, for the opt-in parameter value
 * capture.
 */
public final class ValueRenderer {
  private ValueRenderer() {}

  /**
   * @param data the first {@code len} data bytes of the value
   * @param totalBytes data bytes of the whole value (more than {@code len} when only a prefix was
   *     kept)
   */
  public static String render(
      TypeInfo t, boolean isNull, byte[] data, int len, long totalBytes, int maxChars) {
    if (isNull) {
      return "NULL";
    }
    String s;
    try {
      s = renderValue(t, data, len, totalBytes);
    } catch (RuntimeException e) {
      s = "0x" + Hex.of(data, 0, len);
    }
    if (s.length() > maxChars) {
      return s.substring(0, maxChars) + "...";
    }
    return len < totalBytes ? s + "..." : s;
  }

  private static String renderValue(TypeInfo t, byte[] data, int len, long totalBytes) {
    boolean whole = len == totalBytes;
    ByteReader r = new ByteReader(data, 0, len);
    switch (t.type()) {
      case INT1:
        return Integer.toString(r.u8());
      case BIT:
      case BITN:
        return r.u8() != 0 ? "1" : "0";
      case INT2:
      case INT4:
      case INT8:
      case INTN:
        if (!whole) {
          break;
        }
        switch (len) {
          case 1:
            return Integer.toString(r.u8());
          case 2:
            return Integer.toString((short) r.u16le());
          case 4:
            return Integer.toString(r.i32le());
          case 8:
            return Long.toString(r.i64le());
          default:
            break;
        }
        break;
      case FLT4:
      case FLT8:
      case FLTN:
        if (whole && len == 4) {
          return Float.toString(Float.intBitsToFloat(r.i32le()));
        }
        if (whole && len == 8) {
          return Double.toString(Double.longBitsToDouble(r.i64le()));
        }
        break;
      case GUID:
        if (whole && len == 16) {
          return r.guid().toString();
        }
        break;
      case NVARCHAR:
      case NCHAR:
      case NTEXT:
      case XML:
        return new String(data, 0, len & ~1, StandardCharsets.UTF_16LE);
      case BIGVARCHAR:
      case BIGCHAR:
      case VARCHAR:
      case CHAR:
      case TEXT:
      case JSON:
        return new String(
            data,
            0,
            len,
            t.type() == TdsDataType.JSON ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      default:
        break;
    }
    return "0x" + Hex.of(data, 0, len);
  }
}
