package io.tdsagent.trace;

import io.tdsagent.tds.login.FeatureExtension;
import io.tdsagent.tds.login.FeatureId;
import io.tdsagent.tds.login.Login7;
import io.tdsagent.tds.login.TdsVersion;
import io.tdsagent.tds.wire.Hex;
import java.util.ArrayList;
import java.util.List;

/** Values as users read them in attributes. */
final class TdsNames {
  private TdsNames() {}

  static String tdsVersion(int v) {
    return TdsVersion.name(v);
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
    for (FeatureExtension f : l.featureExtensions()) {
      names.add(f.id() == FeatureId.UNKNOWN ? Hex.code(f.rawId(), 2) : f.id().name());
    }
    return names.isEmpty() ? null : names;
  }

  static boolean hasFedAuth(Login7 l) {
    for (FeatureExtension f : l.featureExtensions()) {
      if (f.id() == FeatureId.FEDAUTH) {
        return true;
      }
    }
    return false;
  }
}
