package io.tdsagent.lab;

/**
 * The server's encryption setting, as in the MS-TDS 2.2.6.5 negotiation table. {@link #REQUIRED}
 * behaves like {@link #ON} ("force encryption"): the table has no separate server column for it.
 */
public enum Encryption {
  /** Encryption available but off: login-only TLS unless the client asks for encryption. */
  OFF,
  /** Encryption forced for every client that can do it. */
  ON,
  /** Same answers as {@link #ON}. */
  REQUIRED,
  /** No TLS at all: clients that require encryption are refused; strict (TDS 8) clients too. */
  NOT_SUPPORTED;

  /** Parses the CLI spelling: off, on, required (req), not-supported (not_sup). */
  public static Encryption parse(String s) {
    switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "off":
        return OFF;
      case "on":
        return ON;
      case "required":
      case "req":
        return REQUIRED;
      case "not-supported":
      case "not_supported":
      case "not_sup":
      case "notsup":
        return NOT_SUPPORTED;
      default:
        throw new IllegalArgumentException(
            "unknown encryption setting '" + s + "' (expected off, on, required or not-supported)");
    }
  }

  public String cliName() {
    return this == NOT_SUPPORTED ? "not-supported" : name().toLowerCase(java.util.Locale.ROOT);
  }
}
