package io.tdsagent.tds.request;

import java.util.UUID;

/** ALL_HEADERS (MS-TDS 2.2.5.3) of a SQLBatch, RPC or Transaction Manager request. */
public final class AllHeaders {
  private final long transactionDescriptor;
  private final long outstandingRequestCount;
  private final UUID activityId;
  private final long activitySequence;
  private final boolean queryNotification;
  private final long notifyTimeout;

  AllHeaders(
      long transactionDescriptor,
      long outstandingRequestCount,
      UUID activityId,
      long activitySequence,
      boolean queryNotification,
      long notifyTimeout) {
    this.transactionDescriptor = transactionDescriptor;
    this.outstandingRequestCount = outstandingRequestCount;
    this.activityId = activityId;
    this.activitySequence = activitySequence;
    this.queryNotification = queryNotification;
    this.notifyTimeout = notifyTimeout;
  }

  /**
   * 0 in autocommit mode; otherwise the descriptor the server returned in ENVCHANGE
   * BEGIN_TRANSACTION.
   */
  public long transactionDescriptor() {
    return transactionDescriptor;
  }

  public long outstandingRequestCount() {
    return outstandingRequestCount;
  }

  /** Trace Activity header's ActivityId; null if absent. */
  public UUID activityId() {
    return activityId;
  }

  public long activitySequence() {
    return activitySequence;
  }

  /** A Query Notifications header was present (its NotifyId/SSBDeployment strings are not kept). */
  public boolean hasQueryNotification() {
    return queryNotification;
  }

  /** NotifyTimeout in ms; -1 if absent. */
  public long notifyTimeout() {
    return notifyTimeout;
  }

  @Override
  public String toString() {
    return "AllHeaders{txn=0x"
        + Long.toHexString(transactionDescriptor)
        + ", outstanding="
        + outstandingRequestCount
        + (activityId != null ? ", activity=" + activityId + "#" + activitySequence : "")
        + (queryNotification ? ", queryNotification timeout=" + notifyTimeout : "")
        + '}';
  }
}
