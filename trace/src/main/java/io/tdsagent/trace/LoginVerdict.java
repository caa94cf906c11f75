package io.tdsagent.trace;

import io.tdsagent.tds.diagnosis.LoginDiagnosis;
import io.tdsagent.tds.diagnosis.LoginDiagnosis.EndedBy;
import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.token.ServerMessage;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The login budget and the verdict on a login span, on the export thread: the driver's login
 * timeout and the share of it the login used, for an attempt the server did not answer the phase in
 * flight, how long it had waited there and who ended it, and {@code tds.login.diagnosis} from
 * {@link LoginDiagnosis}.
 */
final class LoginVerdict {
  static final String TIMEOUT_MS = "tds.login.timeout_ms";
  static final String BUDGET_USED = "tds.login.budget_used";
  static final String PHASE_IN_FLIGHT = "tds.login.phase_in_flight";
  static final String PHASE_AT_TIMEOUT = "tds.login.phase_at_timeout";
  static final String PHASE_WAIT_MS = "tds.login.phase_wait_ms";
  static final String ENDED_BY = "tds.login.ended_by";
  static final String DIAGNOSIS = "tds.login.diagnosis";

  private LoginVerdict() {}

  static void describe(LoginRecord r, SpanPlan.Builder root) {
    if (r.loginTimeoutMillis > 0) {
      root.attr(TIMEOUT_MS, r.loginTimeoutMillis)
          .attr(BUDGET_USED, share(r.end - r.start, r.loginTimeoutMillis));
    }
    LoginDiagnosis.Builder d =
        LoginDiagnosis.builder().slowMillis(TraceSettings.diagnosisSlowMillis());
    LoginOutcomeEvent.Outcome outcome = r.outcome == null ? null : r.outcome.outcome();
    boolean answered =
        outcome == LoginOutcomeEvent.Outcome.SUCCESS
            || outcome == LoginOutcomeEvent.Outcome.FAILURE
            || outcome == LoginOutcomeEvent.Outcome.ROUTED;
    d.completed(answered);
    if (outcome == LoginOutcomeEvent.Outcome.ROUTED && r.outcome.routingServer() != null) {
      d.routedTo(r.outcome.routingServer(), r.outcome.routingPort());
    }
    ServerMessage error = r.outcome != null ? r.outcome.error() : null;
    if (error != null && r.errorDescription != null) {
      d.serverError(error.number(), error.state());
    }
    phases(r, d);
    if (r.authSummary != null && r.authSummary.isKerberosRequestedButNtlmUsed()) {
      d.kerberosFellBackToNtlm(true);
    }
    if (!answered) {
      unanswered(r, root, d);
    }
    root.attr(DIAGNOSIS, d.diagnose());
  }

  /** The phases that completed, each with the time the client waited for the server in it. */
  private static void phases(LoginRecord r, LoginDiagnosis.Builder d) {
    if (r.tcpEnd >= 0 && r.tcpError == null) {
      d.phase(LoginDiagnosis.TCP_CONNECT, millis(r.tcpEnd - r.tcpStart));
    }
    if (r.preloginEnd >= 0) {
      d.phase(
          LoginDiagnosis.PRELOGIN,
          millis(r.preloginEnd - (r.preloginSent >= 0 ? r.preloginSent : r.preloginStart)));
    }
    if (r.tlsStart >= 0 && r.tlsEnd >= 0 && r.tlsError == null) {
      d.phase(LoginDiagnosis.TLS_HANDSHAKE, millis(r.tlsEnd - r.tlsStart));
    } else if (r.tlsStart < 0 && r.tlsPhaseStart >= 0) {
      d.phase(LoginDiagnosis.TLS_HANDSHAKE, millis(r.tlsPhaseEnd - r.tlsPhaseStart));
    }
    if (r.authLegs.isEmpty()) {
      if (r.login7Sent >= 0 && r.responseStart >= r.login7Sent) {
        d.phase(LoginDiagnosis.LOGINACK, millis(r.responseStart - r.login7Sent));
      }
    } else {
      for (AuthLegEvent leg : r.authLegs) {
        long answer = leg.firstResponseNanos() >= 0 ? leg.firstResponseNanos() : leg.endNanos();
        if (leg.requestEndNanos() >= 0 && answer >= leg.requestEndNanos()) {
          d.phase(leg.name(), millis(answer - leg.requestEndNanos()));
        }
      }
    }
  }

  /** An attempt with no answer from the server: where it was, since when, and who ended it. */
  private static void unanswered(LoginRecord r, SpanPlan.Builder root, LoginDiagnosis.Builder d) {
    String phase;
    long since;
    if (r.tcpEnd < 0 || r.tcpError != null) {
      phase = LoginDiagnosis.TCP_CONNECT;
      since = r.tcpStart;
    } else if (r.sspiSent >= 0 && r.sspiSentName != null && r.sspiSent > r.serverMessageEnd) {
      phase = r.sspiSentName;
      since = r.sspiSent;
    } else if (r.login7Sent >= 0) {
      phase = LoginDiagnosis.LOGINACK;
      since = r.login7Sent;
    } else if (r.tlsStart >= 0 && (r.tlsEnd < 0 || r.tlsError != null)) {
      phase = LoginDiagnosis.TLS_HANDSHAKE;
      since = r.tlsStart;
    } else if (r.preloginSent >= 0 && r.preloginEnd < 0) {
      phase = LoginDiagnosis.PRELOGIN;
      since = r.preloginSent;
    } else if (r.preloginEnd >= 0) {
      // answered PRELOGIN, then nothing decoded: TLS inside PRELOGIN packets or the LOGIN7 not seen
      // yet
      phase = r.tlsPhaseStart >= 0 ? LoginDiagnosis.TLS_HANDSHAKE : LoginDiagnosis.LOGIN7;
      since = r.tlsPhaseStart >= 0 ? r.tlsPhaseStart : r.preloginEnd;
    } else {
      phase = LoginDiagnosis.PRELOGIN;
      since = r.tcpEnd;
    }
    double wait = millis(r.end - since);
    Throwable cause =
        r.tcpError != null
            ? r.tcpError
            : r.clientErrorCause != null ? r.clientErrorCause : r.tlsError;
    String message = r.tcpError != null ? r.tcpError.getMessage() : r.clientError;
    boolean timedOut = isTimeout(cause, message);
    EndedBy by;
    if (timedOut) {
      by = EndedBy.CLIENT;
    } else if (r.serverClosed >= 0 || r.tlsAlertFromServer || receivedAlert(cause) != null) {
      by = EndedBy.SERVER;
    } else if (isReset(cause) || (r.tcpError != null && mentions(cause, "refused"))) {
      by = EndedBy.SERVER_RESET;
    } else {
      by = EndedBy.CLIENT;
    }
    root.attr(PHASE_IN_FLIGHT, phase).attr(PHASE_WAIT_MS, wait).attr(ENDED_BY, by.label());
    if (timedOut) {
      root.attr(PHASE_AT_TIMEOUT, phase);
    }
    if (by == EndedBy.SERVER_RESET) {
      root.attr("tds.login.server_reset", true);
    }
    if (by != EndedBy.CLIENT && r.tcpError == null) {
      CloseEvent.serverFirst(
          root, r.serverClosed >= 0 ? r.serverClosed : r.end, by == EndedBy.SERVER_RESET);
    } else if (by == EndedBy.CLIENT && r.tcpError == null) {
      CloseEvent.add(root, "client", r.end, null);
    }
    d.ended(by, timedOut).inFlight(phase, wait);
    if (r.tcpError != null) {
      d.tcpFailure(socketReason(rootMessage(r.tcpError)), timedOut);
    } else if (r.tlsAlertFromServer && r.tlsAlertDescription != null) {
      d.tlsFailure("server sent fatal alert " + r.tlsAlertDescription);
    } else if (receivedAlert(cause) != null) {
      // TDS 8: the handshake runs on the socket, not through the tapped channel; JSSE names the
      // server's alert
      d.tlsFailure("server sent fatal alert " + receivedAlert(cause));
    } else if (r.tlsError != null && !timedOut && by == EndedBy.CLIENT) {
      d.tlsFailure(rootMessage(r.tlsError));
    } else if (r.clientError != null && by == EndedBy.CLIENT && !timedOut) {
      d.clientFailure(r.clientError);
    }
  }

  /**
   * The login timeout's marks: a socket timeout anywhere in the chain, or the driver's "timed out"
   * message.
   */
  static boolean isTimeout(Throwable cause, String message) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SocketTimeoutException || mentionsTimeout(t.getMessage())) {
        return true;
      }
    }
    return mentionsTimeout(message);
  }

  private static boolean mentionsTimeout(String m) {
    if (m == null) {
      return false;
    }
    String s = m.toLowerCase(Locale.ROOT);
    return s.contains("timed out") || s.contains("timeout");
  }

  static boolean isReset(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // (Netty's native transport says it as an IOException: "recvAddress(..) failed: Connection
      // reset by peer")
      if (t instanceof IOException
          && t.getMessage() != null
          && t.getMessage().toLowerCase(Locale.ROOT).contains("reset")) {
        return true;
      }
    }
    return false;
  }

  private static boolean mentions(Throwable cause, String word) {
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(word)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The socket's own reason from mssql-jdbc's connect message ({@code ... has failed. Error:
   * "Connection refused. Verify the connection properties...}), or from Netty's native transport
   * ({@code finishConnect(..) failed: Connection refused}, r2dbc-mssql), else the message as it is.
   */
  static String socketReason(String message) {
    if (message == null) {
      return null;
    }
    Matcher syscall = NATIVE_CALL.matcher(message);
    if (syscall.matches()) {
      return syscall.group(1);
    }
    int i = message.indexOf("Error: \"");
    if (i < 0) {
      return message;
    }
    int from = i + "Error: \"".length();
    int end = from;
    while (end < message.length() && message.charAt(end) != '.' && message.charAt(end) != '"') {
      end++;
    }
    return end > from ? message.substring(from, end) : message;
  }

  /** Netty's native transport names the system call before the OS's reason. */
  private static final Pattern NATIVE_CALL =
      Pattern.compile("[A-Za-z_]+\\(\\.\\.\\) failed: (.+)", Pattern.DOTALL);

  /**
   * JSSE's "Received fatal alert: NAME" anywhere in the chain: the alert's name; null when there is
   * none.
   */
  static String receivedAlert(Throwable cause) {
    String marker = "received fatal alert: ";
    for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String m = t.getMessage();
      int i = m == null ? -1 : m.toLowerCase(Locale.ROOT).indexOf(marker);
      if (i >= 0) {
        int from = i + marker.length();
        int end = from;
        while (end < m.length()
            && (Character.isLetterOrDigit(m.charAt(end)) || m.charAt(end) == '_')) {
          end++;
        }
        return end > from ? m.substring(from, end) : null;
      }
    }
    return null;
  }

  /** The innermost message (a driver wraps the JSSE alert or the socket's reason). */
  private static String rootMessage(Throwable t) {
    String m = t.getMessage();
    for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null) {
        m = c.getMessage();
      }
    }
    return m;
  }

  /** A fraction of the login timeout, to four places (0.0421 = 4.21 %). */
  static double share(long nanos, long timeoutMillis) {
    return Math.round(nanos / 1e6 / timeoutMillis * 10_000) / 10_000.0;
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1e3) / 1e3;
  }
}
