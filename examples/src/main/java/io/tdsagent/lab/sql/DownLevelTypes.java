package io.tdsagent.lab.sql;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The types a real SQL Server sends a TDS 7.0/7.1 client (jTDS) for result columns whose types came
 * later (MS-TDS 2.2.5.4: PLP with TDS 7.2, DATENTYPE and its kin with TDS 7.3): varchar(max) as
 * text, nvarchar(max) and xml as ntext, varbinary(max) as image, date, time, datetime2 and
 * datetimeoffset as nvarchar strings. Such a client also never gets an NBCROW (TDS 7.3).
 */
public final class DownLevelTypes {
  private DownLevelTypes() {}

  /** Whether {@code columns} hold a type a TDS 7.0/7.1 client gets as another one. */
  public static boolean needed(List<Column> columns) {
    for (Column c : columns) {
      if (c != map(c)) {
        return true;
      }
    }
    return false;
  }

  /** The columns as a TDS 7.0/7.1 client sees them. */
  public static List<Column> columns(List<Column> columns) {
    List<Column> out = new ArrayList<>(columns.size());
    for (Column c : columns) {
      out.add(map(c));
    }
    return out;
  }

  /** One row's values for {@link #columns}: date and time values become their strings. */
  public static Object[] values(List<Column> columns, Object[] values) {
    Object[] out = values.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] != null && isDateOrTime(columns.get(i).type())) {
        out[i] = format(columns.get(i), out[i]);
      }
    }
    return out;
  }

  static Column map(Column c) {
    if (c.isPlp()) {
      switch (c.type()) {
        case VARCHAR:
          return same(c, SqlType.TEXT);
        case VARBINARY:
          return same(c, SqlType.IMAGE);
        default: // nvarchar(max), xml
          return same(c, SqlType.NTEXT);
      }
    }
    if (isDateOrTime(c.type())) {
      return Column.of(c.name(), SqlType.NVARCHAR, stringLength(c)).nullable(c.nullable());
    }
    return c;
  }

  private static Column same(Column c, SqlType type) {
    return Column.of(c.name(), type).nullable(c.nullable());
  }

  private static boolean isDateOrTime(SqlType t) {
    return t == SqlType.DATE
        || t == SqlType.TIME
        || t == SqlType.DATETIME2
        || t == SqlType.DATETIMEOFFSET;
  }

  /**
   * nvarchar length SQL Server gives these types: e.g. 16 for time(7), 34 for datetimeoffset(7).
   */
  private static int stringLength(Column c) {
    int fraction = c.scale() == 0 ? 0 : c.scale() + 1;
    switch (c.type()) {
      case DATE:
        return 10;
      case TIME:
        return 8 + fraction;
      case DATETIME2:
        return 19 + fraction;
      default: // DATETIMEOFFSET
        return 26 + fraction;
    }
  }

  /** The value as SQL Server writes it: {@code 2024-02-29 13:45:30.1234567 +01:00}. */
  static String format(Column c, Object v) {
    switch (c.type()) {
      case DATE:
        return ((LocalDate) v).toString();
      case TIME:
        return time((LocalTime) v, c.scale());
      case DATETIME2:
        {
          LocalDateTime t = (LocalDateTime) v;
          return t.toLocalDate() + " " + time(t.toLocalTime(), c.scale());
        }
      default:
        {
          OffsetDateTime t = (OffsetDateTime) v;
          return t.toLocalDate()
              + " "
              + time(t.toLocalTime(), c.scale())
              + " "
              + DateTimeFormatter.ofPattern("xxx").format(t);
        }
    }
  }

  private static String time(LocalTime t, int scale) {
    String hms = DateTimeFormatter.ofPattern("HH:mm:ss").format(t);
    if (scale == 0) {
      return hms;
    }
    String nanos = String.format("%09d", t.getNano());
    return hms + "." + nanos.substring(0, scale);
  }
}
