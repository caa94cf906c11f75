package io.tdsagent.lab;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the lab server does wrong on purpose, to reproduce each cause of a failed or slow login:
 * close or reset the connection before a step, answer the TLS handshake with a fatal alert, route
 * the client to another server, refuse a good login with a chosen error. Immutable; {@link #NONE}
 * does nothing wrong. (Delays and stalls are {@link LabServer.Builder#delay}; a listener that never
 * answers a SYN is {@link io.tdsagent.lab.transport.SilentListener}.)
 */
public final class Faults {
  /** How the connection ends before a step. */
  public enum End {
    /** A clean close: the client reads the end of the stream (FIN). */
    CLOSE,
    /**
     * An abortive close (SO_LINGER 0): the client's next read fails with "Connection reset" (RST).
     */
    RESET
  }

  public static final Faults NONE = new Faults(Map.of(), -1, null, 0, 0, 0, false);

  private final Map<Step, End> ends;
  private final int tlsAlert;
  private final String routeHost;
  private final int routePort;
  private final int loginErrorNumber;
  private final int loginErrorState;
  private final boolean plpToOldClients;

  private Faults(
      Map<Step, End> ends,
      int tlsAlert,
      String routeHost,
      int routePort,
      int loginErrorNumber,
      int loginErrorState,
      boolean plpToOldClients) {
    this.ends = ends.isEmpty() ? Map.of() : new EnumMap<>(ends);
    this.tlsAlert = tlsAlert;
    this.routeHost = routeHost;
    this.routePort = routePort;
    this.loginErrorNumber = loginErrorNumber;
    this.loginErrorState = loginErrorState;
    this.plpToOldClients = plpToOldClients;
  }

  /** How the server ends the connection before {@code step}; null: it does not. */
  public End endBefore(Step step) {
    return ends.get(step);
  }

  /**
   * The fatal alert's description code (RFC 8446 6.2) the TLS handshake is answered with; -1: none.
   */
  public int tlsAlert() {
    return tlsAlert;
  }

  /** Where a successful login is routed (ENVCHANGE type 20, MS-TDS 2.2.7.9); null: not routed. */
  public String routeHost() {
    return routeHost;
  }

  public int routePort() {
    return routePort;
  }

  /** The error a login with good credentials is refused with; 0: none. */
  public int loginErrorNumber() {
    return loginErrorNumber;
  }

  public int loginErrorState() {
    return loginErrorState;
  }

  public Faults endBefore(Step step, End end) {
    Map<Step, End> m = new EnumMap<>(Step.class);
    m.putAll(ends);
    m.put(step, end);
    return new Faults(
        m, tlsAlert, routeHost, routePort, loginErrorNumber, loginErrorState, plpToOldClients);
  }

  public Faults tlsAlert(int description) {
    if (description < 0 || description > 255) {
      throw new IllegalArgumentException("TLS alert " + description);
    }
    return new Faults(
        ends,
        description,
        routeHost,
        routePort,
        loginErrorNumber,
        loginErrorState,
        plpToOldClients);
  }

  public Faults route(String host, int port) {
    if (host == null || host.isEmpty() || port <= 0 || port > 65535) {
      throw new IllegalArgumentException("route to " + host + ":" + port);
    }
    return new Faults(
        ends, tlsAlert, host, port, loginErrorNumber, loginErrorState, plpToOldClients);
  }

  public Faults loginError(int number, int state) {
    if (number <= 0 || state < 0 || state > 255) {
      throw new IllegalArgumentException("login error " + number + " state " + state);
    }
    return new Faults(ends, tlsAlert, routeHost, routePort, number, state, plpToOldClients);
  }

  /**
   * Whether results reach a TDS 7.0/7.1 client (jTDS) in the TDS 7.2+ encodings: (max) and xml
   * values as PLP, NBCROW, date and time types. A real server sends such a client text, ntext and
   * image, ROW, and date and time values as nvarchar; the lab does too unless this is set.
   */
  public boolean plpToOldClients() {
    return plpToOldClients;
  }

  public Faults plpToOldClients(boolean on) {
    return new Faults(ends, tlsAlert, routeHost, routePort, loginErrorNumber, loginErrorState, on);
  }

  /** RFC 8446 6.2 alert descriptions the lab can send, by name. */
  private static final Map<String, Integer> ALERTS =
      Map.ofEntries(
          Map.entry("handshake_failure", 40),
          Map.entry("bad_certificate", 42),
          Map.entry("certificate_expired", 45),
          Map.entry("unknown_ca", 48),
          Map.entry("access_denied", 49),
          Map.entry("decode_error", 50),
          Map.entry("protocol_version", 70),
          Map.entry("insufficient_security", 71),
          Map.entry("internal_error", 80),
          Map.entry("unrecognized_name", 112));

  /** "handshake_failure", "protocol-version" or a number. */
  public static int parseTlsAlert(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    Integer code = ALERTS.get(n);
    if (code != null) {
      return code;
    }
    try {
      return Integer.parseInt(n);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "unknown TLS alert '" + name + "' (one of " + ALERTS.keySet() + " or a number)");
    }
  }
}
