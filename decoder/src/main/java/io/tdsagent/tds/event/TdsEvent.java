package io.tdsagent.tds.event;

/** Base of every event the decoder pushes to its listener. Immutable. */
public abstract class TdsEvent {
  private final long timeNanos;

  protected TdsEvent(long timeNanos) {
    this.timeNanos = timeNanos;
  }

  /** The caller's clock value for the chunk that completed this event. */
  public long timeNanos() {
    return timeNanos;
  }
}
