package io.tdsagent.trace;

import java.util.function.LongSupplier;

/**
 * Settings the model reads while it makes spans. The agent points them at its configuration (read
 * at each use, so they can change while the application runs); the replay tool keeps the defaults.
 */
public final class TraceSettings {
  /** A login at least this slow gets a "slow" verdict. */
  public static final long DEFAULT_DIAGNOSIS_SLOW_MS = 1000;

  private static volatile LongSupplier diagnosisSlowMillis = () -> DEFAULT_DIAGNOSIS_SLOW_MS;

  private TraceSettings() {}

  public static void diagnosisSlowMillis(LongSupplier source) {
    diagnosisSlowMillis = source;
  }

  static long diagnosisSlowMillis() {
    return diagnosisSlowMillis.getAsLong();
  }
}
