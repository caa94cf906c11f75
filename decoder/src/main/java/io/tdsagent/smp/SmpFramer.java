package io.tdsagent.smp;

import io.tdsagent.tds.wire.ByteReader;

/**
 * One direction of an SMP connection, framed out of arbitrary chunks. Only the 16-byte header is
 * buffered; DATA payload is handed on as slices of the caller's chunk. After a framing error the
 * packet boundary is lost: it reports once and ignores the rest.
 */
public final class SmpFramer {

  /** Receives framing callbacks, synchronously. */
  public interface Sink {
    /** A header was read (every packet, DATA or not). */
    void onHeader(SmpHeader h, long timeNanos);

    /** Payload of the current DATA packet; valid only during the call. */
    default void onData(SmpHeader h, byte[] buf, int off, int len, long timeNanos) {}

    /** The current packet is complete (right after onHeader for SYN, ACK, FIN). */
    default void onPacketEnd(SmpHeader h, long timeNanos) {}

    void onFramingError(String reason, long timeNanos);
  }

  /**
   * No SMP implementation carries more than a TDS packet (at most 32 KiB) per DATA: far beyond is
   * desync.
   */
  public static final long MAX_PACKET = 1 << 20;

  private final Sink sink;
  private final byte[] header = new byte[SmpHeader.SIZE];
  private int headerFill;
  private SmpHeader current;
  private long remaining;
  private boolean failed;
  private long packets;

  SmpFramer(Sink sink) {
    this.sink = sink;
  }

  public void feed(byte[] buf, int off, int len, long timeNanos) {
    int p = off;
    int end = off + len;
    while (p < end && !failed) {
      if (current != null) {
        int n = (int) Math.min(remaining, end - p);
        remaining -= n;
        sink.onData(current, buf, p, n, timeNanos);
        p += n;
        if (remaining == 0) {
          endPacket(timeNanos);
        }
        continue;
      }
      int n = Math.min(SmpHeader.SIZE - headerFill, end - p);
      System.arraycopy(buf, p, header, headerFill, n);
      headerFill += n;
      p += n;
      String problem = SmpHeader.problem(header, 0, headerFill, MAX_PACKET);
      if (problem != null) {
        failed = true;
        sink.onFramingError(problem + " after " + packets + " SMP packets", timeNanos);
        return;
      }
      if (headerFill == SmpHeader.SIZE) {
        headerFill = 0;
        current = SmpHeader.read(new ByteReader(header));
        remaining = current.dataLength();
        packets++;
        sink.onHeader(current, timeNanos);
        if (remaining == 0) {
          endPacket(timeNanos);
        }
      }
    }
  }

  private void endPacket(long timeNanos) {
    SmpHeader h = current;
    current = null;
    sink.onPacketEnd(h, timeNanos);
  }

  /** Between packets, with no header byte pending. */
  public boolean atBoundary() {
    return current == null && headerFill == 0;
  }

  public boolean isFailed() {
    return failed;
  }

  public long packetCount() {
    return packets;
  }
}
