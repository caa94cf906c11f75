package io.tdsagent.capture;

/** One captured link-layer frame. */
public final class CapturedFrame {
  private final int linkType;
  private final long timestampNanos;
  private final byte[] data;
  private final int originalLength;

  public CapturedFrame(int linkType, long timestampNanos, byte[] data, int originalLength) {
    this.linkType = linkType;
    this.timestampNanos = timestampNanos;
    this.data = data;
    this.originalLength = originalLength;
  }

  /** LINKTYPE_* value (1 Ethernet, 113 SLL, 276 SLL2, 0 null/loopback, 101 raw IP). */
  public int linkType() {
    return linkType;
  }

  /** Capture time, nanoseconds since the epoch. */
  public long timestampNanos() {
    return timestampNanos;
  }

  /** The captured bytes (not copied: frames are short-lived). */
  public byte[] data() {
    return data;
  }

  public int originalLength() {
    return originalLength;
  }

  public boolean isTruncated() {
    return data.length < originalLength;
  }
}
