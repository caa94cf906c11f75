package io.tdsagent.tds.diagnosis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Says in words why a login failed or was slow ({@code tds.login.diagnosis}), from what its phases
 * show. It knows nothing of spans, drivers or the decoder's events: the caller (the agent's login
 * span, a replay of a capture) describes the attempt with the {@link Builder} and gets one verdict
 * back.
 *
 * <p>The causes are the ones a login timeout is usually traced to: a network that never completes
 * the TCP handshake, a TLS handshake refused on version or cipher, a server too busy to answer
 * LOGIN7 (its worker threads starved), a slow or remote domain controller behind NTLM or Kerberos,
 * and the server's own refusals (18456 and its states, 4060). First match wins, in this order:
 * routed, server error, TLS failure, TCP connect failure, server close, the client giving up (login
 * timeout) in a phase, any other client-side failure, then for a login that completed, its slowest
 * phase at or above the slow threshold, a Kerberos login that fell back to NTLM, else {@value #OK}.
 */
public final class LoginDiagnosis {
  /** A login that completed with no phase at or above the slow threshold. */
  public static final String OK = "ok";

  public static final long DEFAULT_SLOW_MS = 1000;

  /** Phase names, the same as the login span's children. */
  public static final String TCP_CONNECT = "tcp connect";

  public static final String PRELOGIN = "prelogin";
  public static final String TLS_HANDSHAKE = "tls handshake";
  public static final String LOGIN7 = "login7";

  /** The wait for the server's answer to LOGIN7 (LOGINACK or the login error). */
  public static final String LOGINACK = "loginack";

  /** How an attempt the server never answered came to an end. */
  public enum EndedBy {
    /** The driver gave up (login timeout, its own error) and closed the connection. */
    CLIENT,
    /** The server closed the connection (EOF) first. */
    SERVER,
    /** The server reset the connection (RST). */
    SERVER_RESET;

    /** {@code client} or {@code server}: the value of {@code tds.login.ended_by}. */
    public String label() {
      return this == CLIENT ? "client" : "server";
    }
  }

  private LoginDiagnosis() {}

  public static Builder builder() {
    return new Builder();
  }

  /** One phase that completed: its name and how long the client waited in it. */
  private static final class Timing {
    final String name;
    final double millis;

    Timing(String name, double millis) {
      this.name = name;
      this.millis = millis;
    }
  }

  /** Describes one login attempt; every setter is optional. */
  public static final class Builder {
    private long slowMs = DEFAULT_SLOW_MS;
    private boolean completed;
    private String routedTo;
    private long errorNumber = -1;
    private int errorState;
    private String tlsFailure;
    private String tcpFailure;
    private boolean tcpTimedOut;
    private EndedBy endedBy;
    private boolean timedOut;
    private String inFlightPhase;
    private double inFlightMillis = -1;
    private String clientFailure;
    private boolean kerberosFellBackToNtlm;
    private final List<Timing> phases = new ArrayList<>();

    private Builder() {}

    /** A phase at or above this many milliseconds is slow (default {@value #DEFAULT_SLOW_MS}). */
    public Builder slowMillis(long millis) {
      this.slowMs = Math.max(0, millis);
      return this;
    }

    /** The server answered the login (LOGINACK, a login error or a routing answer). */
    public Builder completed(boolean completed) {
      this.completed = completed;
      return this;
    }

    /** The server answered with a routing ENVCHANGE (MS-TDS 2.2.7.9, type 20). */
    public Builder routedTo(String host, int port) {
      this.routedTo = host + ":" + port;
      return this;
    }

    /** The first ERROR token of a failed login. */
    public Builder serverError(long number, int state) {
      this.errorNumber = number;
      this.errorState = state;
      return this;
    }

    /**
     * A phase that completed, e.g. {@link #TCP_CONNECT}, {@link #PRELOGIN}, {@link #TLS_HANDSHAKE},
     * {@link #LOGINACK} (the server's think time for LOGIN7), or an SSPI leg's name ({@code ntlm
     * negotiate/challenge}) with the time the client waited for the server's answer to that leg.
     */
    public Builder phase(String name, double millis) {
      if (name != null && millis >= 0) {
        phases.add(new Timing(name, millis));
      }
      return this;
    }

    /**
     * The TLS handshake failed: the alert's description (e.g. {@code handshake_failure}) or the
     * driver's message.
     */
    public Builder tlsFailure(String cause) {
      this.tlsFailure = cause;
      return this;
    }

    /** The TCP connect failed; {@code timedOut}: it ended for want of an answer (no SYN-ACK). */
    public Builder tcpFailure(String cause, boolean timedOut) {
      this.tcpFailure = cause == null ? "" : cause;
      this.tcpTimedOut = timedOut;
      return this;
    }

    /**
     * An attempt the server did not answer ended: by whom, and whether the client's login timeout
     * ended it.
     */
    public Builder ended(EndedBy endedBy, boolean timedOut) {
      this.endedBy = endedBy;
      this.timedOut = timedOut;
      return this;
    }

    /** The phase in flight when the attempt ended, and how long it had been waiting there. */
    public Builder inFlight(String phase, double waitMillis) {
      this.inFlightPhase = phase;
      this.inFlightMillis = waitMillis;
      return this;
    }

    /**
     * The driver failed the login for a reason of its own (no Kerberos ticket, a protocol error).
     */
    public Builder clientFailure(String cause) {
      this.clientFailure = cause;
      return this;
    }

    public Builder kerberosFellBackToNtlm(boolean fellBack) {
      this.kerberosFellBackToNtlm = fellBack;
      return this;
    }

    /** The verdict: never null. */
    public String diagnose() {
      if (routedTo != null) {
        return "redirected to " + routedTo;
      }
      if (errorNumber >= 0) {
        return serverRefusal(errorNumber, errorState);
      }
      if (tlsFailure != null) {
        return "tls handshake failed: " + tlsFailure;
      }
      if (tcpFailure != null) {
        return tcpTimedOut
            ? "tcp connect slow or blocked (no SYN-ACK for " + ms(waitOr(TCP_CONNECT)) + ")"
            : "tcp connect failed" + (tcpFailure.isEmpty() ? "" : ": " + tcpFailure);
      }
      if (endedBy == EndedBy.SERVER || endedBy == EndedBy.SERVER_RESET) {
        return "server "
            + (endedBy == EndedBy.SERVER ? "closed" : "reset")
            + " the connection during "
            + during(inFlightPhase);
      }
      if (timedOut && inFlightPhase != null) {
        return slowPhase(inFlightPhase, inFlightMillis, true);
      }
      if (clientFailure != null) {
        return "client gave up: " + clientFailure;
      }
      if (!completed) {
        return endedBy == EndedBy.CLIENT
            ? "client closed the connection during " + during(inFlightPhase)
            : "login did not complete";
      }
      Timing slowest = null;
      for (Timing t : phases) {
        if (t.millis >= slowMs && (slowest == null || t.millis > slowest.millis)) {
          slowest = t;
        }
      }
      if (slowest != null) {
        return slowPhase(slowest.name, slowest.millis, false);
      }
      return kerberosFellBackToNtlm ? "kerberos fell back to ntlm" : OK;
    }

    private double waitOr(String phase) {
      if (inFlightMillis >= 0) {
        return inFlightMillis;
      }
      for (Timing t : phases) {
        if (t.name.equals(phase)) {
          return t.millis;
        }
      }
      return 0;
    }
  }

  /**
   * The phase as a support engineer says it: waiting for the answer to LOGIN7 is still "login7".
   */
  static String during(String phase) {
    if (phase == null) {
      return "the login";
    }
    return phase.equals(LOGINACK) ? LOGIN7 + " (no answer yet)" : phase;
  }

  /** The 18456 states and the other refusals a login gets, in the words support engineers use. */
  static String serverRefusal(long number, int state) {
    String code = " (error " + number + (number == 18456 ? ", state " + state : "") + ")";
    if (number == 18456) {
      switch (state) {
        case 8:
        case 9:
          return "wrong password" + code;
        case 2:
        case 5:
          return "unknown login" + code;
        case 18:
          return "password expired" + code;
        case 7:
          return "login disabled" + code;
        case 38:
        case 40:
          return "database unavailable" + code;
        default:
          break;
      }
    } else if (number == 18487 || number == 18488) {
      return "password expired" + code;
    } else if (number == 4060 || number == 4064 || number == 40613) {
      return "database unavailable" + code;
    } else if (number == 18470) {
      return "login disabled" + code;
    }
    String reason = LoginFailures.reason(number, state);
    return (reason != null ? reason : "login refused by the server") + code;
  }

  /** A phase that was slow, or in which the client gave up ({@code timedOut}). */
  static String slowPhase(String phase, double millis, boolean timedOut) {
    String n = ms(millis) + (timedOut ? ", then the login timed out" : "");
    String p = phase.toLowerCase(Locale.ROOT);
    if (p.equals(TCP_CONNECT)) {
      return "tcp connect slow or blocked (no SYN-ACK for " + n + ")";
    }
    if (p.equals(PRELOGIN)) {
      return "server slow to answer PRELOGIN (" + n + ")";
    }
    if (p.equals(TLS_HANDSHAKE)) {
      return "tls handshake slow (" + n + ")";
    }
    if (p.equals(LOGIN7) || p.equals(LOGINACK)) {
      return "server slow to answer LOGIN7 (" + n + "; worker threads starved?)";
    }
    if (p.startsWith("ntlm")
        || p.startsWith("kerberos")
        || p.startsWith("spnego")
        || p.startsWith("negotiate")) {
      return "domain controller slow (" + phase + " " + n + ")";
    }
    return "slow " + phase + " (" + n + ")";
  }

  static String ms(double millis) {
    return Math.round(millis) + " ms";
  }
}
