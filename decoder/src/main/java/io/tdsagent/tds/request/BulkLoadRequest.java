package io.tdsagent.tds.request;

import io.tdsagent.tds.packet.PacketType;
import io.tdsagent.tds.token.ColMetadata;

/**
 * Bulk Load (0x07): the COLMETADATA describing the rows sent, and how many rows were stepped over.
 */
public final class BulkLoadRequest extends Request {
  private final ColMetadata columns;
  private final long rowCount;

  BulkLoadRequest(ColMetadata columns, long rowCount, boolean complete) {
    super(PacketType.BULK_LOAD, complete);
    this.columns = columns;
    this.rowCount = rowCount;
  }

  /** Null if the stream did not start with a decodable COLMETADATA. */
  public ColMetadata columns() {
    return columns;
  }

  public long rowCount() {
    return rowCount;
  }

  @Override
  public String toString() {
    return "BulkLoad{"
        + columns
        + ", rows="
        + rowCount
        + (isComplete() ? "" : ", incomplete")
        + '}';
  }
}
