package io.tdsagent.lab.sql;

/**
 * A result column (or a parameter's type): name, type, length, precision/scale and nullability.
 * Length is in characters for character types and bytes for binary types; 0 means (max) for
 * VARCHAR, NVARCHAR and VARBINARY. Scale is the decimal scale, or the fractional-second digits of
 * TIME, DATETIME2 and DATETIMEOFFSET.
 */
public final class Column {
  private final String name;
  private final SqlType type;
  private final int maxLength;
  private final int precision;
  private final int scale;
  private final boolean nullable;

  private Column(
      String name, SqlType type, int maxLength, int precision, int scale, boolean nullable) {
    this.name = name == null ? "" : name;
    this.type = type;
    this.maxLength = maxLength;
    this.precision = precision;
    this.scale = scale;
    this.nullable = nullable;
    validate();
  }

  private void validate() {
    switch (type) {
      case NVARCHAR:
      case NCHAR:
        check(type == SqlType.NVARCHAR ? maxLength >= 0 : maxLength >= 1, maxLength <= 4000);
        break;
      case CHAR:
      case BINARY:
        check(maxLength >= 1, maxLength <= 8000);
        break;
      case VARCHAR:
      case VARBINARY:
        check(maxLength >= 0, maxLength <= 8000);
        break;
      case DECIMAL:
        check(precision >= 1 && precision <= 38, scale >= 0 && scale <= precision);
        break;
      case TIME:
      case DATETIME2:
      case DATETIMEOFFSET:
        check(scale >= 0, scale <= 7);
        break;
      default:
        break;
    }
  }

  private void check(boolean a, boolean b) {
    if (!a || !b) {
      throw new IllegalArgumentException("bad column type " + typeName());
    }
  }

  /**
   * Any type with its defaults: (max) for variable-length types, decimal(18,0), 7 fractional
   * digits.
   */
  public static Column of(String name, SqlType type) {
    switch (type) {
      case DECIMAL:
        return new Column(name, type, 0, 18, 0, true);
      case TIME:
      case DATETIME2:
      case DATETIMEOFFSET:
        return new Column(name, type, 0, 0, 7, true);
      case CHAR:
      case NCHAR:
      case BINARY:
        return new Column(name, type, 1, 0, 0, true);
      default:
        return new Column(name, type, 0, 0, 0, true);
    }
  }

  /** A character or binary type of the given length (0: max). */
  public static Column of(String name, SqlType type, int length) {
    return new Column(name, type, length, 0, 0, true);
  }

  public static Column decimal(String name, int precision, int scale) {
    return new Column(name, SqlType.DECIMAL, 0, precision, scale, true);
  }

  /** TIME, DATETIME2 or DATETIMEOFFSET with {@code scale} fractional-second digits. */
  public static Column time(String name, SqlType type, int scale) {
    return new Column(name, type, 0, 0, scale, true);
  }

  public static Column integer(String name) {
    return new Column(name, SqlType.INT, 0, 0, 0, false);
  }

  public static Column bigint(String name) {
    return new Column(name, SqlType.BIGINT, 0, 0, 0, false);
  }

  public static Column nvarchar(String name, int maxChars) {
    if (maxChars < 1 || maxChars > 4000) {
      throw new IllegalArgumentException("NVARCHAR length " + maxChars + " (1..4000)");
    }
    return new Column(name, SqlType.NVARCHAR, maxChars, 0, 0, true);
  }

  public Column nullable(boolean n) {
    return new Column(name, type, maxLength, precision, scale, n);
  }

  public Column named(String newName) {
    return new Column(newName, type, maxLength, precision, scale, nullable);
  }

  public String name() {
    return name;
  }

  public SqlType type() {
    return type;
  }

  public int maxLength() {
    return maxLength;
  }

  public int precision() {
    return precision;
  }

  public int scale() {
    return scale;
  }

  public boolean nullable() {
    return nullable;
  }

  /** VARCHAR(max), NVARCHAR(max), VARBINARY(max) and XML: values are PLP. */
  public boolean isPlp() {
    return type == SqlType.XML
        || (maxLength == 0
            && (type == SqlType.VARCHAR || type == SqlType.NVARCHAR || type == SqlType.VARBINARY));
  }

  /** The T-SQL type, e.g. {@code nvarchar(40)}, {@code decimal(18,2)}, {@code varbinary(max)}. */
  public String typeName() {
    if (type.hasLength()) {
      return type.sqlName() + "(" + (maxLength == 0 ? "max" : Integer.toString(maxLength)) + ")";
    }
    if (type == SqlType.DECIMAL) {
      return "decimal(" + precision + "," + scale + ")";
    }
    if (type.hasTimeScale()) {
      return type.sqlName() + "(" + scale + ")";
    }
    return type.sqlName();
  }

  @Override
  public String toString() {
    return (name.isEmpty() ? "?" : name) + " " + typeName() + (nullable ? "" : " NOT NULL");
  }
}
