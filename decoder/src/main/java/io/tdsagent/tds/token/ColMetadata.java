package io.tdsagent.tds.token;

import java.util.Collections;
import java.util.List;

/** COLMETADATA (0x81): the columns of the rows that follow. */
public final class ColMetadata extends Token {
  private final List<Column> columns;
  private final int cekCount;
  private final boolean noMetadata;

  public ColMetadata(List<Column> columns, int cekCount, boolean noMetadata) {
    super(TokenType.COLMETADATA);
    this.columns = Collections.unmodifiableList(columns);
    this.cekCount = cekCount;
    this.noMetadata = noMetadata;
  }

  public List<Column> columns() {
    return columns;
  }

  public int columnCount() {
    return columns.size();
  }

  /** Entries of the Always Encrypted CEK table (0 when column encryption is off). */
  public int cekCount() {
    return cekCount;
  }

  /**
   * Count was 0xFFFF: the client asked for no metadata (fNoMetaData); rows use the previous
   * metadata.
   */
  public boolean isNoMetadata() {
    return noMetadata;
  }

  @Override
  public String toString() {
    return "ColMetadata{"
        + (noMetadata ? "NoMetaData" : columns.size() + " cols " + columns)
        + (cekCount > 0 ? ", cek=" + cekCount : "")
        + '}';
  }
}
