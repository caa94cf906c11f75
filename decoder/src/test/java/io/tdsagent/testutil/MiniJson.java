package io.tdsagent.testutil;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser for checking what the replay writes (objects as LinkedHashMap, numbers
 * as Double or Long).
 */
public final class MiniJson {
  private final String s;
  private int p;

  private MiniJson(String s) {
    this.s = s;
  }

  public static Object parse(String s) {
    MiniJson j = new MiniJson(s);
    Object v = j.value();
    j.ws();
    if (j.p != s.length()) {
      throw new IllegalArgumentException("trailing data at " + j.p);
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> object(String s) {
    return (Map<String, Object>) parse(s);
  }

  private void ws() {
    while (p < s.length() && " \t\r\n".indexOf(s.charAt(p)) >= 0) {
      p++;
    }
  }

  private Object value() {
    ws();
    char c = s.charAt(p);
    if (c == '{') {
      Map<String, Object> m = new LinkedHashMap<>();
      p++;
      ws();
      if (s.charAt(p) == '}') {
        p++;
        return m;
      }
      while (true) {
        ws();
        String k = string();
        ws();
        expect(':');
        m.put(k, value());
        ws();
        if (s.charAt(p) == ',') {
          p++;
        } else {
          expect('}');
          return m;
        }
      }
    }
    if (c == '[') {
      List<Object> l = new ArrayList<>();
      p++;
      ws();
      if (s.charAt(p) == ']') {
        p++;
        return l;
      }
      while (true) {
        l.add(value());
        ws();
        if (s.charAt(p) == ',') {
          p++;
        } else {
          expect(']');
          return l;
        }
      }
    }
    if (c == '"') {
      return string();
    }
    if (s.startsWith("true", p)) {
      p += 4;
      return Boolean.TRUE;
    }
    if (s.startsWith("false", p)) {
      p += 5;
      return Boolean.FALSE;
    }
    if (s.startsWith("null", p)) {
      p += 4;
      return null;
    }
    int start = p;
    while (p < s.length() && "+-0123456789.eE".indexOf(s.charAt(p)) >= 0) {
      p++;
    }
    String n = s.substring(start, p);
    if (n.isEmpty()) {
      throw new IllegalArgumentException("unexpected " + c + " at " + p);
    }
    return n.contains(".") || n.contains("e") || n.contains("E")
        ? (Object) Double.parseDouble(n)
        : (Object) Long.parseLong(n);
  }

  private void expect(char c) {
    if (s.charAt(p) != c) {
      throw new IllegalArgumentException("expected " + c + " at " + p + ": " + s.charAt(p));
    }
    p++;
  }

  private String string() {
    expect('"');
    StringBuilder sb = new StringBuilder();
    while (true) {
      char c = s.charAt(p++);
      if (c == '"') {
        return sb.toString();
      }
      if (c < 0x20) {
        throw new IllegalArgumentException("raw control character in string at " + p);
      }
      if (c == '\\') {
        char e = s.charAt(p++);
        switch (e) {
          case 'n':
            sb.append('\n');
            break;
          case 'r':
            sb.append('\r');
            break;
          case 't':
            sb.append('\t');
            break;
          case 'b':
            sb.append('\b');
            break;
          case 'f':
            sb.append('\f');
            break;
          case 'u':
            sb.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
            p += 4;
            break;
          case '"':
          case '\\':
          case '/':
            sb.append(e);
            break;
          default:
            throw new IllegalArgumentException("bad escape \\" + e);
        }
      } else {
        sb.append(c);
      }
    }
  }
}
