package io.tdsagent.tds.request;

import io.tdsagent.tds.packet.PacketType;

/** SQLBatch (0x01): the batch text, kept up to a limit. */
public final class SqlBatch extends Request {
  private final AllHeaders headers;
  private final String text;
  private final long textLength;
  private final boolean textTruncated;

  public SqlBatch(
      AllHeaders headers, String text, long textLength, boolean textTruncated, boolean complete) {
    super(PacketType.SQL_BATCH, complete);
    this.headers = headers;
    this.text = text;
    this.textLength = textLength;
    this.textTruncated = textTruncated;
  }

  /** Null for 7.1-style batches, which have none. */
  public AllHeaders headers() {
    return headers;
  }

  /** The first {@code DecoderLimits.maxQueryTextChars()} characters of the batch. */
  public String text() {
    return text;
  }

  /** Characters in the whole batch. */
  public long textLength() {
    return textLength;
  }

  public boolean isTextTruncated() {
    return textTruncated;
  }

  @Override
  public String toString() {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return "SqlBatch{"
        + (headers != null ? headers + ", " : "")
        + "chars="
        + textLength
        + (textTruncated ? " (truncated)" : "")
        + ", text='"
        + shown
        + "'"
        + (isComplete() ? "" : ", incomplete")
        + '}';
  }
}
