package io.tdsagent.agent.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's own settings. Each is a system property, with an environment variable of the usual
 * upper-case form as the fallback (the same convention as {@code otel.*} / {@code OTEL_*}). Export
 * settings are OpenTelemetry's own and are read by the SDK's autoconfigure.
 */
public final class AgentConfig {
  /** {@code false} installs no instrumentation at all. */
  public static final String ENABLED = "tds.agent.enabled";

  /** {@code on|off}: whether taps decode and trace; may change while the application runs. */
  public static final String CAPTURE = "tds.capture";

  /**
   * {@code raw} exports SQL text as sent; anything else (the default) replaces its literals with
   * {@code ?}.
   */
  public static final String SQL = "tds.sql";

  /**
   * A file to write what the taps saw to, as pcapng with credentials masked; unset (the default)
   * writes nothing.
   */
  public static final String PCAP = "tds.pcap";

  /**
   * Request spans per second for the whole process, for requests that end normally and quickly;
   * {@code unlimited} traces every request. Failed, cancelled and slow requests are always traced.
   * Default {@value #DEFAULT_REQUESTS_PER_SECOND}.
   */
  public static final String REQUESTS_PER_SECOND = "tds.requests.max_per_second";

  public static final int DEFAULT_REQUESTS_PER_SECOND = 1000;

  /**
   * A request at least this long (milliseconds) is always traced, whatever the rate. Default
   * {@value #DEFAULT_SLOW_MS}.
   */
  public static final String SLOW_MS = "tds.requests.slow_ms";

  public static final long DEFAULT_SLOW_MS = 100;

  /**
   * A login phase at least this long (milliseconds) is named slow in {@code tds.login.diagnosis}.
   * Default {@value #DEFAULT_DIAGNOSIS_SLOW_MS}.
   */
  public static final String DIAGNOSIS_SLOW_MS = "tds.diagnosis.slow_ms";

  public static final long DEFAULT_DIAGNOSIS_SLOW_MS =
      io.tdsagent.trace.TraceSettings.DEFAULT_DIAGNOSIS_SLOW_MS;

  /**
   * How long the export at JVM exit may wait for the exporter in all (milliseconds). An endpoint
   * that refuses, drops or never answers delays the exit by no more. Default {@value
   * #DEFAULT_EXIT_TIMEOUT_MS}.
   */
  public static final String EXIT_TIMEOUT_MS = "tds.export.exit_timeout_ms";

  public static final long DEFAULT_EXIT_TIMEOUT_MS = 2000;

  /**
   * A login at least this long (milliseconds) is exported whatever the sampler says, as a failed
   * one always is. Default {@value #DEFAULT_SLOW_LOGIN_MS}.
   */
  public static final String SLOW_LOGIN_MS = "tds.logins.slow_ms";

  public static final long DEFAULT_SLOW_LOGIN_MS = 1000;

  /** {@code true} prints each span exported and each decision of the agent to stderr. */
  public static final String DEBUG = "tds.debug";

  private AgentConfig() {}

  private static volatile long slowLoginMillis = -1;

  /** Read once. */
  public static long slowLoginMillis() {
    long v = slowLoginMillis;
    if (v < 0) {
      String s = read(SLOW_LOGIN_MS);
      try {
        v = s == null ? DEFAULT_SLOW_LOGIN_MS : Math.max(0, Long.parseLong(s.trim()));
      } catch (NumberFormatException e) {
        v = DEFAULT_SLOW_LOGIN_MS;
      }
      slowLoginMillis = v;
    }
    return v;
  }

  /** Read at each login (on the export thread), so it can be changed while the application runs. */
  public static long diagnosisSlowMillis() {
    String v = read(DIAGNOSIS_SLOW_MS);
    try {
      return v == null ? DEFAULT_DIAGNOSIS_SLOW_MS : Math.max(0, Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return DEFAULT_DIAGNOSIS_SLOW_MS;
    }
  }

  public static long exitTimeoutMillis() {
    String v = read(EXIT_TIMEOUT_MS);
    try {
      return v == null ? DEFAULT_EXIT_TIMEOUT_MS : Math.max(0, Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return DEFAULT_EXIT_TIMEOUT_MS;
    }
  }

  /**
   * Requests per second to trace; a negative number for no limit. Read once, at the first request.
   */
  public static double requestsPerSecond() {
    String v = read(REQUESTS_PER_SECOND);
    if (v == null || v.isBlank()) {
      return DEFAULT_REQUESTS_PER_SECOND;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("unlimited") || t.equals("all") || t.equals("-1")) {
      return -1;
    }
    try {
      double d = Double.parseDouble(t);
      return d >= 0 && !Double.isNaN(d) ? d : DEFAULT_REQUESTS_PER_SECOND;
    } catch (NumberFormatException e) {
      return DEFAULT_REQUESTS_PER_SECOND;
    }
  }

  public static long slowMillis() {
    String v = read(SLOW_MS);
    try {
      return v == null ? DEFAULT_SLOW_MS : Math.max(0, Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      return DEFAULT_SLOW_MS;
    }
  }

  /** Read once, at start-up. */
  public static String pcapFile() {
    return read(PCAP);
  }

  public static boolean rawSql() {
    String v = read(SQL);
    return v != null && v.trim().equalsIgnoreCase("raw");
  }

  public static boolean agentEnabled() {
    return parseSwitch(read(ENABLED), true);
  }

  /** Reads {@link #CAPTURE} afresh; cheap enough for connection set-up, not for every byte. */
  public static boolean captureOn() {
    return parseSwitch(read(CAPTURE), true);
  }

  static String read(String key) {
    String v = System.getProperty(key);
    return v != null ? v : env(key);
  }

  /**
   * The environment cannot change while the JVM runs, so each variable is looked up once: settings
   * read at every connection (the capture switch) would otherwise pay for the name's conversion and
   * the lookup each time.
   */
  private static final Map<String, Optional<String>> ENV = new ConcurrentHashMap<>();

  private static String env(String key) {
    // No lambda: this runs in premain, where the first lambda costs the JVM about 10 ms to
    // bootstrap.
    Optional<String> v = ENV.get(key);
    if (v == null) {
      v = Optional.ofNullable(System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_')));
      ENV.put(key, v);
    }
    return v.orElse(null);
  }

  static boolean parseSwitch(String value, boolean dflt) {
    if (value == null) {
      return dflt;
    }
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "on":
      case "true":
      case "yes":
      case "1":
        return true;
      case "off":
      case "false":
      case "no":
      case "0":
        return false;
      default:
        return dflt;
    }
  }

  static {
    // After ENV above. The agent's settings are first read in premain: the earliest point to switch
    // debug output on.
    if (parseSwitch(read(DEBUG), false)) {
      DebugLog.enable();
    }
  }
}
