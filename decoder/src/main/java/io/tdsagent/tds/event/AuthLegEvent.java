package io.tdsagent.tds.event;

import io.tdsagent.tds.sspi.SspiAuthSummary;
import io.tdsagent.tds.sspi.mechanism.SspiMechanism;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;

/**
 * One authentication round trip, for one span per leg. A leg starts with the first byte of a client
 * message carrying an SSPI payload (LOGIN7 with cbSSPI > 0, or an SSPI message) and ends with the
 * last byte of the server message that answers it: one holding an SSPI token (the exchange goes
 * on), or the one that concludes the login (LOGINACK / ERROR / final DONE, possibly with a last
 * SSPI token such as a Kerberos AP-REP). Fired once per leg, after that message's TokenEvents and
 * SspiEvents and before the LOGIN_RESPONSE PhaseEvent; a leg still open when the connection closes
 * is fired as {@link Result#ABORTED}.
 *
 * <p>The legs tile the login: leg 1 starts with LOGIN7 (so it overlaps the LOGIN7 phase and the
 * start of LOGIN_RESPONSE), later legs start at their SSPI message. timeNanos() is the end.
 */
public final class AuthLegEvent extends TdsEvent {

  public enum Result {
    /** The server answered with an SSPI token and the login is not over. */
    CONTINUE,
    /** The answer concluded the login successfully (or routed it). */
    LOGGED_IN,
    /** The answer concluded the login with a failure. */
    REJECTED,
    /** The connection closed before the answer ended. */
    ABORTED
  }

  private final int index;
  private final SspiEvent.Carrier requestCarrier;
  private final SspiMessage request;
  private final SspiMessage response;
  private final long startNanos;
  private final long requestEndNanos;
  private final long firstResponseNanos;
  private final Result result;
  private final SspiAuthSummary summary;

  public AuthLegEvent(
      int index,
      SspiEvent.Carrier requestCarrier,
      SspiMessage request,
      SspiMessage response,
      long startNanos,
      long requestEndNanos,
      long firstResponseNanos,
      long endNanos,
      Result result,
      SspiAuthSummary summary) {
    super(endNanos);
    this.index = index;
    this.requestCarrier = requestCarrier;
    this.request = request;
    this.response = response;
    this.startNanos = startNanos;
    this.requestEndNanos = requestEndNanos;
    this.firstResponseNanos = firstResponseNanos;
    this.result = result;
    this.summary = summary;
  }

  /** 1 for the LOGIN7 leg, then 2, 3... */
  public int index() {
    return index;
  }

  /** LOGIN7 or SSPI_MESSAGE. */
  public SspiEvent.Carrier requestCarrier() {
    return requestCarrier;
  }

  /** What the client sent; null when it could not be read (LOGIN7 inside TLS in a capture). */
  public SspiMessage request() {
    return request;
  }

  /** The server's SSPI token, or null (e.g. the NTLM AUTHENTICATE leg ends with LOGINACK only). */
  public SspiMessage response() {
    return response;
  }

  /**
   * "ntlm", "kerberos", "spnego" or "unknown", from the innermost token of the request (else the
   * response).
   */
  public String mechanism() {
    SspiMessage m =
        request != null ? request.innermost() : response != null ? response.innermost() : null;
    return m == null ? "unknown" : m.mechanism().label();
  }

  /**
   * e.g. "ntlm negotiate/challenge", "ntlm authenticate", "kerberos ap-req/ap-rep", "kerberos
   * ap-req/krb-error": mechanism, the request's message name, and the response's after a slash when
   * there is one.
   */
  public String name() {
    SspiMessage req = request != null ? request.innermost() : null;
    SspiMessage resp = response != null ? response.innermost() : null;
    StringBuilder sb = new StringBuilder(mechanism()).append(' ');
    sb.append(req != null ? req.messageName() : "?");
    // an SPNEGO reply without a token (accept-completed + mechListMIC) adds nothing to the name
    if (resp != null && resp.mechanism() != SspiMechanism.SPNEGO) {
      sb.append('/');
      if (req != null && resp.mechanism() != req.mechanism()) {
        sb.append(resp.mechanism().label()).append(' ');
      }
      sb.append(resp.messageName());
    }
    return sb.toString();
  }

  public long startNanos() {
    return startNanos;
  }

  /** Last byte of the client's message. */
  public long requestEndNanos() {
    return requestEndNanos;
  }

  /** First byte of the server's answer, or -1 if none came. */
  public long firstResponseNanos() {
    return firstResponseNanos;
  }

  public long endNanos() {
    return timeNanos();
  }

  public long durationNanos() {
    return timeNanos() - startNanos;
  }

  public Result result() {
    return result;
  }

  /** Every SSPI message of this login up to the end of this leg. */
  public SspiAuthSummary summary() {
    return summary;
  }

  @Override
  public String toString() {
    return "AuthLegEvent{#"
        + index
        + " "
        + name()
        + ", "
        + result
        + ", start="
        + startNanos
        + ", requestEnd="
        + requestEndNanos
        + ", firstResponse="
        + firstResponseNanos
        + ", end="
        + timeNanos()
        + '}';
  }
}
