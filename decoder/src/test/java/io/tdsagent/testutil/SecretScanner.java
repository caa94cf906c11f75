package io.tdsagent.testutil;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks everything reachable from an object through its public no-argument getters (and toString),
 * collecting where a secret shows up: as a String, or as UTF-16LE / ASCII / TDS-obfuscated bytes.
 */
public final class SecretScanner {
  private final String secret;
  private final List<byte[]> needles = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private final Map<Object, Boolean> seen = new IdentityHashMap<>();

  private final java.util.regex.Pattern pattern;
  private final List<String> hexNeedles = new ArrayList<>();

  /**
   * Scans for binary secrets (NT hash, NT response, session key...): as bytes in any byte[]
   * reachable, and as hex (either case) or Base64 in any string.
   */
  public static SecretScanner forBytes(byte[]... secrets) {
    SecretScanner s =
        new SecretScanner("\u0000never\u0000", java.util.regex.Pattern.compile("(?!)"));
    s.needles.clear();
    for (byte[] b : secrets) {
      s.needles.add(b.clone());
      String hex = io.tdsagent.tds.wire.Hex.of(b);
      s.hexNeedles.add(hex);
      s.hexNeedles.add(hex.toUpperCase(java.util.Locale.ROOT));
      s.hexNeedles.add(java.util.Base64.getEncoder().withoutPadding().encodeToString(b));
      StringBuilder spaced = new StringBuilder();
      for (int i = 0; i < hex.length(); i += 2) {
        spaced.append(i > 0 ? " " : "").append(hex, i, i + 2);
      }
      s.hexNeedles.add(spaced.toString());
    }
    return s;
  }

  public SecretScanner(String secret) {
    this(secret, java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(secret)));
  }

  /**
   * @param pattern how the secret is searched for in strings (e.g. whole words for short secrets)
   */
  public SecretScanner(String secret, java.util.regex.Pattern pattern) {
    this.secret = secret;
    this.pattern = pattern;
    needles.add(secret.getBytes(StandardCharsets.UTF_16LE));
    needles.add(secret.getBytes(StandardCharsets.US_ASCII));
    needles.add(Login7Bytes.obfuscate(secret));
  }

  public List<String> scan(Object root) {
    visit(root, "event", 0);
    return findings;
  }

  private void visit(Object o, String path, int depth) {
    if (o == null || depth > 8 || seen.put(o, Boolean.TRUE) != null) {
      return;
    }
    if (o instanceof String) {
      if (pattern.matcher((String) o).find()) {
        findings.add(path);
      }
      for (String h : hexNeedles) {
        if (((String) o).contains(h)) {
          findings.add(path + " (hex/base64)");
        }
      }
      return;
    }
    if (o instanceof byte[]) {
      for (byte[] n : needles) {
        if (indexOf((byte[]) o, n) >= 0) {
          findings.add(path + " (bytes)");
        }
      }
      return;
    }
    if (o instanceof Collection) {
      int i = 0;
      for (Object e : (Collection<?>) o) {
        visit(e, path + "[" + i++ + "]", depth + 1);
      }
      return;
    }
    if (!o.getClass().getName().startsWith("io.tdsagent.")) {
      visit(String.valueOf(o), path + ".toString", depth + 1);
      return;
    }
    visit(o.toString(), path + ".toString()", depth + 1);
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() == 0
          && !Modifier.isStatic(m.getModifiers())
          && m.getReturnType() != void.class
          && m.getDeclaringClass() != Object.class
          && !m.getName().equals("hashCode")) {
        try {
          visit(m.invoke(o), path + "." + m.getName() + "()", depth + 1);
        } catch (ReflectiveOperationException e) {
          findings.add(path + "." + m.getName() + " threw " + e.getCause());
        }
      }
    }
  }

  public static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
