package io.tdsagent.tds.event;

import io.tdsagent.tds.request.Request;

/** The first byte of the server's response to a request (time = the chunk holding it). */
public final class ResponseStartEvent extends TdsEvent {
  private final Request request;

  public ResponseStartEvent(Request request, long timeNanos) {
    super(timeNanos);
    this.request = request;
  }

  /** The request answered; null when the conversation was joined mid-response. */
  public Request request() {
    return request;
  }

  @Override
  public String toString() {
    return "ResponseStart{"
        + (request != null ? request.packetType() : "unknown request")
        + ", t="
        + timeNanos()
        + '}';
  }
}
