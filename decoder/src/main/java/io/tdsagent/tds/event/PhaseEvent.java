package io.tdsagent.tds.event;

/** A connection set-up phase finished; timeNanos() is its end. */
public final class PhaseEvent extends TdsEvent {
  private final Phase phase;
  private final long startNanos;

  public PhaseEvent(Phase phase, long startNanos, long endNanos) {
    super(endNanos);
    this.phase = phase;
    this.startNanos = startNanos;
  }

  public Phase phase() {
    return phase;
  }

  public long startNanos() {
    return startNanos;
  }

  public long endNanos() {
    return timeNanos();
  }

  public long durationNanos() {
    return timeNanos() - startNanos;
  }

  @Override
  public String toString() {
    return "PhaseEvent{" + phase + ", start=" + startNanos + ", end=" + timeNanos() + '}';
  }
}
