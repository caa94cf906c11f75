package io.tdsagent.tds.prelogin;

import java.util.UUID;

/** PRELOGIN TRACEID: client connection id, activity id and activity sequence. */
public final class TraceId {
  private final UUID connectionId;
  private final UUID activityId;
  private final long sequence;

  TraceId(UUID connectionId, UUID activityId, long sequence) {
    this.connectionId = connectionId;
    this.activityId = activityId;
    this.sequence = sequence;
  }

  public UUID connectionId() {
    return connectionId;
  }

  public UUID activityId() {
    return activityId;
  }

  public long sequence() {
    return sequence;
  }

  @Override
  public String toString() {
    return "TraceId{connectionId="
        + connectionId
        + ", activityId="
        + activityId
        + ", sequence="
        + sequence
        + '}';
  }
}
