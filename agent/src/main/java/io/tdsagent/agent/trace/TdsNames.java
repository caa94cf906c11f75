package io.tdsagent.agent.trace;

import io.tdsagent.tds.login.FeatureExtension;
import io.tdsagent.tds.login.FeatureId;
import io.tdsagent.tds.login.Login7;
import java.util.ArrayList;
import java.util.List;

/** Values as users read them in attributes. */
final class TdsNames {
  private TdsNames() {}

  /** MS-TDS 2.2.6.4 TDSVersion: 0x74000004 is "7.4", 0x08000000 (TDS 8 strict) is "8.0". */
  static String tdsVersion(int v) {
    switch (v) {
      case 0x70000000: return "7.0";
      case 0x71000000: return "7.1";
      case 0x71000001: return "7.1 rev 1";
      case 0x72090002: return "7.2";
      case 0x730A0003: return "7.3A";
      case 0x730B0003: return "7.3B";
      case 0x74000004: return "7.4";
      case 0x08000000: return "8.0";
      default: return String.format("0x%08X", v);
    }
  }

  /** "TLSv1.2" or "TLS 1.2" as "1.2", the form of {@code tls.protocol.version}. */
  static String tlsVersion(String name) {
    if (name == null) {
      return null;
    }
    String s = name.trim();
    if (s.startsWith("TLSv")) {
      return s.substring(4);
    }
    if (s.startsWith("TLS ")) {
      return s.substring(4);
    }
    return s;
  }

  static List<String> features(Login7 l) {
    List<String> names = new ArrayList<>();
    for (FeatureExtension f : l.getFeatureExtensions()) {
      names.add(f.getId() == FeatureId.UNKNOWN ? String.format("0x%02X", f.getRawId()) : f.getId().name());
    }
    return names.isEmpty() ? null : names;
  }

  static boolean hasFedAuth(Login7 l) {
    for (FeatureExtension f : l.getFeatureExtensions()) {
      if (f.getId() == FeatureId.FEDAUTH) {
        return true;
      }
    }
    return false;
  }
}
