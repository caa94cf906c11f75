package io.tdsagent.tds.event;

import io.tdsagent.tds.sspi.SspiAuthSummary;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;

/**
 * A decoded SSPI payload. The blob itself never leaves the decoder; {@link #message()} is what is
 * safe to know about it. {@link #summary()} covers every SSPI message of this login so far, this
 * one included.
 */
public final class SspiEvent extends TdsEvent {

  /** Where TDS carried the blob. */
  public enum Carrier {
    /** The SSPI field of LOGIN7 (cbSSPI > 0), client to server. */
    LOGIN7,
    /** An SSPI token (0xED) in a login response, server to client. */
    SSPI_TOKEN,
    /** An SSPI message (packet type 0x11), client to server. */
    SSPI_MESSAGE
  }

  private final Direction direction;
  private final Carrier carrier;
  private final SspiMessage message;
  private final SspiAuthSummary summary;

  public SspiEvent(Direction direction, SspiMessage message, long timeNanos) {
    this(
        direction,
        direction == Direction.SERVER_TO_CLIENT ? Carrier.SSPI_TOKEN : Carrier.SSPI_MESSAGE,
        message,
        SspiAuthSummary.empty().with(message),
        timeNanos);
  }

  public SspiEvent(
      Direction direction,
      Carrier carrier,
      SspiMessage message,
      SspiAuthSummary summary,
      long timeNanos) {
    super(timeNanos);
    this.direction = direction;
    this.carrier = carrier;
    this.message = message;
    this.summary = summary;
  }

  public Direction direction() {
    return direction;
  }

  public Carrier carrier() {
    return carrier;
  }

  public SspiMessage message() {
    return message;
  }

  public SspiAuthSummary summary() {
    return summary;
  }

  @Override
  public String toString() {
    return "SspiEvent{" + direction + ", " + carrier + ", " + message + ", t=" + timeNanos() + '}';
  }
}
