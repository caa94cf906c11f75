package io.tdsagent.replay;

import java.util.List;
import java.util.Map;

/** The little JSON writing the replay needs (RFC 8259 escaping); no parsing. */
final class Json {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Json() {}

  static StringBuilder string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        case '\b':
          sb.append("\\b");
          break;
        case '\f':
          sb.append("\\f");
          break;
        default:
          // control characters, line separators JavaScript chokes on, and lone surrogates as \\u
          // escapes
          boolean lone =
              Character.isSurrogate(c)
                  && !(Character.isHighSurrogate(c)
                      && i + 1 < s.length()
                      && Character.isLowSurrogate(s.charAt(i + 1)))
                  && !(Character.isLowSurrogate(c)
                      && i > 0
                      && Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7F || lone) {
            sb.append("\\u")
                .append(HEX[c >> 12 & 0xF])
                .append(HEX[c >> 8 & 0xF])
                .append(HEX[c >> 4 & 0xF])
                .append(HEX[c & 0xF]);
          } else {
            sb.append(c);
          }
      }
    }
    return sb.append('"');
  }

  /** A value: String, Long/Integer, Double, Boolean, List or Map (keys as strings), null. */
  static StringBuilder value(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      string(sb, (String) v);
    } else if (v instanceof Double) {
      double d = (Double) v;
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        sb.append("null");
      } else {
        sb.append(d);
      }
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof List) {
      sb.append('[');
      boolean first = true;
      for (Object o : (List<?>) v) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        value(sb, o);
      }
      sb.append(']');
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        string(sb, String.valueOf(e.getKey())).append(':');
        value(sb, e.getValue());
      }
      sb.append('}');
    } else {
      string(sb, String.valueOf(v));
    }
    return sb;
  }
}
