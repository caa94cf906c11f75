package io.tdsagent.tds.event;

/**
 * An event of one MARS session's own TDS conversation (requests, responses, tokens, message
 * framing, decode errors), tagged with its SMP SID. Wrapping keeps listeners that know nothing of
 * MARS from mistaking a session's events for the connection's own. timeNanos() is the inner
 * event's.
 */
public final class SmpTdsEvent extends TdsEvent {
  private final int sid;
  private final TdsEvent event;

  public SmpTdsEvent(int sid, TdsEvent event) {
    super(event.timeNanos());
    this.sid = sid;
    this.event = event;
  }

  public int sid() {
    return sid;
  }

  public TdsEvent event() {
    return event;
  }

  @Override
  public String toString() {
    return "sid " + sid + ": " + event;
  }
}
