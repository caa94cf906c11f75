package io.tdsagent.tds.event;

import io.tdsagent.tds.login.Login7;

/** A decoded LOGIN7 (always client to server). timeNanos() is the last byte. */
public final class Login7Event extends TdsEvent {
  private final Login7 login7;
  private final long firstByteNanos;

  public Login7Event(Login7 login7, long firstByteNanos, long lastByteNanos) {
    super(lastByteNanos);
    this.login7 = login7;
    this.firstByteNanos = firstByteNanos;
  }

  public Login7 login7() {
    return login7;
  }

  public long firstByteNanos() {
    return firstByteNanos;
  }

  public long lastByteNanos() {
    return timeNanos();
  }

  @Override
  public String toString() {
    return "Login7Event{" + login7 + ", first=" + firstByteNanos + ", last=" + timeNanos() + '}';
  }
}
