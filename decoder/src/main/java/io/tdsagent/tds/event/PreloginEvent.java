package io.tdsagent.tds.event;

import io.tdsagent.tds.prelogin.Prelogin;

/** A decoded PRELOGIN request (client) or response (server). timeNanos() is the last byte. */
public final class PreloginEvent extends TdsEvent {
  private final Direction direction;
  private final Prelogin prelogin;
  private final long firstByteNanos;

  public PreloginEvent(
      Direction direction, Prelogin prelogin, long firstByteNanos, long lastByteNanos) {
    super(lastByteNanos);
    this.direction = direction;
    this.prelogin = prelogin;
    this.firstByteNanos = firstByteNanos;
  }

  public Direction direction() {
    return direction;
  }

  public Prelogin prelogin() {
    return prelogin;
  }

  public long firstByteNanos() {
    return firstByteNanos;
  }

  public long lastByteNanos() {
    return timeNanos();
  }

  @Override
  public String toString() {
    return "PreloginEvent{"
        + direction
        + ", "
        + prelogin
        + ", first="
        + firstByteNanos
        + ", last="
        + timeNanos()
        + '}';
  }
}
