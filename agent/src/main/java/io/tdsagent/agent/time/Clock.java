package io.tdsagent.agent.time;

/**
 * Turns {@link System#nanoTime()} readings, taken on the driver's thread, into epoch nanoseconds
 * for span timestamps later, on the export thread.
 */
public final class Clock {
  private static final long ANCHOR_EPOCH_NANOS = System.currentTimeMillis() * 1_000_000L;
  private static final long ANCHOR_NANO_TIME = System.nanoTime();

  private Clock() {}

  public static long now() {
    return System.nanoTime();
  }

  public static long toEpochNanos(long nanoTime) {
    return ANCHOR_EPOCH_NANOS + (nanoTime - ANCHOR_NANO_TIME);
  }
}
