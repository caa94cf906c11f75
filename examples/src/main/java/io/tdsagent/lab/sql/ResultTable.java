package io.tdsagent.lab.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Columns and rows of one result set. Values: Integer/Long for INT/BIGINT, String for NVARCHAR,
 * null.
 */
public final class ResultTable {
  private final List<Column> columns;
  private final List<Object[]> rows = new ArrayList<>();

  public ResultTable(Column... columns) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("a result set needs at least one column");
    }
    this.columns = List.of(columns);
  }

  public ResultTable row(Object... values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          values.length + " values for " + columns.size() + " columns");
    }
    rows.add(values.clone());
    return this;
  }

  public List<Column> columns() {
    return columns;
  }

  public List<Object[]> rows() {
    return Collections.unmodifiableList(rows);
  }

  public static ResultTable single(Column column, Object value) {
    return new ResultTable(column).row(value);
  }
}
