package io.tdsagent.tds.event;

import io.tdsagent.tds.request.Request;

/**
 * A client request message completed (after the login). Spans from the chunk holding its first byte
 * to the one holding its last. {@code ignored}: the client voided it with the IGNORE status bit
 * (the server still answers, with a DONE_ERROR).
 */
public final class RequestEvent extends TdsEvent {
  private final Request request;
  private final long firstByteNanos;
  private final long messageBytes;
  private final boolean ignored;

  public RequestEvent(
      Request request,
      long firstByteNanos,
      long lastByteNanos,
      long messageBytes,
      boolean ignored) {
    super(lastByteNanos);
    this.request = request;
    this.firstByteNanos = firstByteNanos;
    this.messageBytes = messageBytes;
    this.ignored = ignored;
  }

  public Request request() {
    return request;
  }

  public long firstByteNanos() {
    return firstByteNanos;
  }

  public long lastByteNanos() {
    return timeNanos();
  }

  /** All packets of the message, headers included. */
  public long messageBytes() {
    return messageBytes;
  }

  public boolean ignored() {
    return ignored;
  }

  @Override
  public String toString() {
    return "Request{"
        + request
        + ", bytes="
        + messageBytes
        + (ignored ? ", IGNORED" : "")
        + ", t="
        + firstByteNanos
        + ".."
        + timeNanos()
        + '}';
  }
}
