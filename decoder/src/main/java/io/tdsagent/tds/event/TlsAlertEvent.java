package io.tdsagent.tds.event;

import io.tdsagent.tds.tls.TlsAlert;

/** A TLS alert seen in clear. */
public final class TlsAlertEvent extends TdsEvent {
  private final Direction direction;
  private final TlsAlert alert;

  public TlsAlertEvent(Direction direction, TlsAlert alert, long timeNanos) {
    super(timeNanos);
    this.direction = direction;
    this.alert = alert;
  }

  public Direction direction() {
    return direction;
  }

  public TlsAlert alert() {
    return alert;
  }

  @Override
  public String toString() {
    return "TlsAlertEvent{" + direction + ", " + alert + ", t=" + timeNanos() + '}';
  }
}
