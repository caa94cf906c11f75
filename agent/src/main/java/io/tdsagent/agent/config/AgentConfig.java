package io.tdsagent.agent.config;

import java.util.Locale;

/**
 * The agent's own settings. Each is a system property, with an environment variable of the
 * usual upper-case form as the fallback (the same convention as {@code otel.*} / {@code OTEL_*}).
 * Export settings are OpenTelemetry's own and are read by the SDK's autoconfigure.
 */
public final class AgentConfig {
  /** {@code false} installs no instrumentation at all. */
  public static final String ENABLED = "tds.agent.enabled";
  /** {@code on|off}: whether taps decode and trace; may change while the application runs. */
  public static final String CAPTURE = "tds.capture";

  /** {@code raw} exports SQL text as sent; anything else (the default) replaces its literals with {@code ?}. */
  public static final String SQL = "tds.sql";

  /** A file to write what the taps saw to, as pcapng with credentials masked; unset (the default) writes nothing. */
  public static final String PCAP = "tds.pcap";

  private AgentConfig() {}

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
    if (v == null) {
      v = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
    return v;
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
}
