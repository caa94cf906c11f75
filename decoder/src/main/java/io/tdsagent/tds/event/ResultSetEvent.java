package io.tdsagent.tds.event;

import io.tdsagent.tds.token.ColMetadata;
import io.tdsagent.tds.token.Done;

/**
 * A result set ended: its columns, the rows stepped over, and the DONE/DONEINPROC/DONEPROC that
 * closed it (null if the response ended, or a new COLMETADATA began, without one).
 */
public final class ResultSetEvent extends TdsEvent {
  private final ColMetadata columns;
  private final long rowCount;
  private final Done done;

  public ResultSetEvent(ColMetadata columns, long rowCount, Done done, long timeNanos) {
    super(timeNanos);
    this.columns = columns;
    this.rowCount = rowCount;
    this.done = done;
  }

  public ColMetadata columns() {
    return columns;
  }

  /** ROW + NBCROW tokens of this result set. */
  public long rowCount() {
    return rowCount;
  }

  public Done done() {
    return done;
  }

  @Override
  public String toString() {
    return "ResultSet{cols="
        + columns.columnCount()
        + ", rows="
        + rowCount
        + ", done="
        + done
        + ", t="
        + timeNanos()
        + '}';
  }
}
