package io.tdsagent.tds.event;

/**
 * An SMP sender used up the window its peer granted (its DATA SEQNUM reached the last WNDW
 * received, MC-SMP 3.1.5.2.1) in the middle of a TDS message, so it had to wait for a window update
 * (an ACK, or a DATA with a higher WNDW). Fired when the window reopened, or when the connection
 * ended first ({@code resolved} false). timeNanos() is the end of the wait.
 */
public final class SmpWindowStallEvent extends TdsEvent {
  private final int sid;
  private final Direction sender;
  private final long seqNum;
  private final long startNanos;
  private final long newWindow;
  private final boolean resolved;

  public SmpWindowStallEvent(
      int sid,
      Direction sender,
      long seqNum,
      long startNanos,
      long newWindow,
      boolean resolved,
      long endNanos) {
    super(endNanos);
    this.sid = sid;
    this.sender = sender;
    this.seqNum = seqNum;
    this.startNanos = startNanos;
    this.newWindow = newWindow;
    this.resolved = resolved;
  }

  public int sid() {
    return sid;
  }

  /** The side that had to wait. */
  public Direction sender() {
    return sender;
  }

  /** The SEQNUM that exhausted the window (equal to the WNDW the sender had). */
  public long seqNum() {
    return seqNum;
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

  /** The WNDW that reopened the window; -1 if unresolved. */
  public long newWindow() {
    return newWindow;
  }

  public boolean resolved() {
    return resolved;
  }

  @Override
  public String toString() {
    return "SmpWindowStall{sid="
        + sid
        + ", "
        + sender
        + " at seq "
        + seqNum
        + (resolved ? ", reopened to " + newWindow : ", never reopened")
        + ", t="
        + startNanos
        + ".."
        + timeNanos()
        + '}';
  }
}
