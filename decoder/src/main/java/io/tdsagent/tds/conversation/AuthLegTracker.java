package io.tdsagent.tds.conversation;

import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.event.AuthLegEvent.Result;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.SspiEvent;
import io.tdsagent.tds.event.SspiEvent.Carrier;
import io.tdsagent.tds.sspi.SspiAuthSummary;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;

/**
 * Turns the SSPI payloads of one login into {@link SspiEvent}s and delimits the round trips ({@link
 * AuthLegEvent}): a client payload opens a leg, the server message answering it closes it. Methods
 * return the event to emit (or null) so the conversation keeps control of emission.
 */
final class AuthLegTracker {
  private SspiAuthSummary summary = SspiAuthSummary.empty();
  private int legs;

  // the open leg, if any
  private boolean open;
  private Carrier carrier;
  private SspiMessage request;
  private SspiMessage response;
  private long start;
  private long requestEnd;
  private long firstResponse = -1;

  /**
   * A client message carrying SSPI ended: its event; opens a leg (closing a stale one silently).
   */
  SspiEvent clientPayload(Carrier c, SspiMessage m, long startNanos, long endNanos) {
    summary = summary.with(m);
    openLeg(c, m, startNanos, endNanos);
    return new SspiEvent(Direction.CLIENT_TO_SERVER, c, m, summary, endNanos);
  }

  /**
   * LOGIN7 the decoder could not read (inside TLS): a leg with an unknown request, in case the
   * answer holds SSPI.
   */
  void unreadLogin7(long startNanos, long endNanos) {
    openLeg(Carrier.LOGIN7, null, startNanos, endNanos);
  }

  private void openLeg(Carrier c, SspiMessage m, long startNanos, long endNanos) {
    open = true;
    carrier = c;
    request = m;
    response = null;
    start = startNanos;
    requestEnd = endNanos;
    firstResponse = -1;
  }

  void serverMessageStart(long nanos) {
    if (open && firstResponse < 0) {
      firstResponse = nanos;
    }
  }

  /** An SSPI token from the server: its event; the first one of a message is the leg's answer. */
  SspiEvent serverToken(SspiMessage m, long nanos) {
    summary = summary.with(m);
    if (open && response == null) {
      response = m;
    }
    return new SspiEvent(Direction.SERVER_TO_CLIENT, Carrier.SSPI_TOKEN, m, summary, nanos);
  }

  /**
   * A server message of the login response ended. Closes the open leg when it was answered (SSPI
   * token) or the login concluded; a message with neither (unusual) leaves it open.
   */
  AuthLegEvent serverMessageEnd(boolean concluded, boolean succeeded, long nanos) {
    if (!open || (!concluded && response == null)) {
      return null;
    }
    if (request == null && response == null) {
      open = false; // an unreadable LOGIN7 answered without SSPI: not an SSPI login, no leg
      return null;
    }
    Result r = !concluded ? Result.CONTINUE : succeeded ? Result.LOGGED_IN : Result.REJECTED;
    return close(r, nanos);
  }

  /** The connection closed (or the login became unreadable) with a leg open. */
  AuthLegEvent abort(long nanos) {
    if (!open || (request == null && response == null)) {
      open = false;
      return null;
    }
    return close(Result.ABORTED, nanos);
  }

  private AuthLegEvent close(Result r, long nanos) {
    open = false;
    AuthLegEvent e =
        new AuthLegEvent(
            ++legs,
            carrier,
            request,
            response,
            start,
            requestEnd,
            firstResponse,
            nanos,
            r,
            summary);
    request = null;
    response = null;
    return e;
  }
}
