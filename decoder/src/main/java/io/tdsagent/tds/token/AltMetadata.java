package io.tdsagent.tds.token;

import java.util.Collections;
import java.util.List;

/** ALTMETADATA (0x88, deprecated in 7.4): the COMPUTE columns of ALTROWs with the same id. */
public final class AltMetadata extends Token {
  private final int id;
  private final List<Column> columns;

  public AltMetadata(int id, List<Column> columns) {
    super(TokenType.ALTMETADATA);
    this.id = id;
    this.columns = Collections.unmodifiableList(columns);
  }

  public int id() {
    return id;
  }

  public List<Column> columns() {
    return columns;
  }

  @Override
  public String toString() {
    return "AltMetadata{id=" + id + ", " + columns.size() + " cols " + columns + '}';
  }
}
