package io.tdsagent.tds.event;

/**
 * Something could not be decoded. {@code layer} is "packet", "prelogin", "tls", "login7", "token",
 * "sspi" or "internal"; {@code reason} never contains payload bytes.
 */
public final class DecodeErrorEvent extends TdsEvent {
  private final Direction direction;
  private final String layer;
  private final String reason;

  public DecodeErrorEvent(Direction direction, String layer, String reason, long timeNanos) {
    super(timeNanos);
    this.direction = direction;
    this.layer = layer;
    this.reason = reason;
  }

  /** Null when the error is not tied to one direction. */
  public Direction direction() {
    return direction;
  }

  public String layer() {
    return layer;
  }

  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "DecodeError{" + direction + ", " + layer + ": " + reason + ", t=" + timeNanos() + '}';
  }
}
