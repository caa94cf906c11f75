package io.tdsagent.tds.event;

/**
 * An SMP (MARS) session opened (client SYN) or closed (FIN both ways, or the connection ended
 * first). timeNanos() is the chunk that opened or closed it.
 */
public final class SmpSessionEvent extends TdsEvent {

  public enum Kind {
    OPENED,
    CLOSED
  }

  private final Kind kind;
  private final int sid;
  private final long openNanos;
  private final boolean joined;
  private final Direction firstFin;
  private final boolean finBothWays;
  private final long clientDataPackets;
  private final long serverDataPackets;

  public SmpSessionEvent(
      Kind kind,
      int sid,
      long openNanos,
      boolean joined,
      Direction firstFin,
      boolean finBothWays,
      long clientDataPackets,
      long serverDataPackets,
      long timeNanos) {
    super(timeNanos);
    this.kind = kind;
    this.sid = sid;
    this.openNanos = openNanos;
    this.joined = joined;
    this.firstFin = firstFin;
    this.finBothWays = finBothWays;
    this.clientDataPackets = clientDataPackets;
    this.serverDataPackets = serverDataPackets;
  }

  public Kind kind() {
    return kind;
  }

  /** SID, 0..65535. */
  public int sid() {
    return sid;
  }

  /** Time of the SYN (or of the first packet seen, when joined). */
  public long openNanos() {
    return openNanos;
  }

  /** The session was already open when decoding started: no SYN was seen. */
  public boolean joined() {
    return joined;
  }

  /**
   * Who sent the first FIN; null if neither did (closed by the connection's end or a SYN reusing
   * the SID).
   */
  public Direction firstFin() {
    return firstFin;
  }

  /** Closed the orderly way: a FIN from each side (MC-SMP 3.1.4.4). */
  public boolean finBothWays() {
    return finBothWays;
  }

  public long clientDataPackets() {
    return clientDataPackets;
  }

  public long serverDataPackets() {
    return serverDataPackets;
  }

  @Override
  public String toString() {
    return "SmpSession{"
        + kind
        + " sid="
        + sid
        + (joined ? " joined" : "")
        + ", open="
        + openNanos
        + (kind == Kind.CLOSED
            ? ", firstFin="
                + firstFin
                + (finBothWays ? ", FIN both ways" : "")
                + ", data c/s="
                + clientDataPackets
                + "/"
                + serverDataPackets
            : "")
        + ", t="
        + timeNanos()
        + '}';
  }
}
