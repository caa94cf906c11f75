package io.tdsagent.lab.login;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which requested LOGIN7 features the server acknowledges in FEATUREEXTACK. mssql-jdbc needs none
 * by default (it insists only on COLUMNENCRYPTION when Always Encrypted is on, and rejects acks for
 * features it did not request, e.g. FEDAUTH), so the lab acknowledges only what it really honours.
 */
public final class FeatureAcks {
  private FeatureAcks() {}

  public static Map<Integer, byte[]> forRequest(Map<Integer, byte[]> requested) {
    Map<Integer, byte[]> acks = new LinkedHashMap<>();
    if (requested.containsKey(FeatureId.UTF8_SUPPORT)) {
      // The lab sends only NVARCHAR text, which is fine for a UTF-8 capable client; SQL Server
      // 2019+ acks 1.
      acks.put(FeatureId.UTF8_SUPPORT, new byte[] {1});
    }
    return acks;
  }
}
