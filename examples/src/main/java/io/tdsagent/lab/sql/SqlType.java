package io.tdsagent.lab.sql;

/**
 * SQL Server types the lab can return and read, with their TDS encodings (MS-TDS 2.2.5.4, 2.2.5.5).
 * Java values: TINYINT/SMALLINT/INT Integer (any Number), BIGINT Long, BIT Boolean, REAL Float,
 * FLOAT Double, DECIMAL/MONEY/ SMALLMONEY BigDecimal, DATE LocalDate, TIME LocalTime,
 * DATETIME/SMALLDATETIME/DATETIME2 LocalDateTime, DATETIMEOFFSET OffsetDateTime, UNIQUEIDENTIFIER
 * UUID, character types and XML String, binary types byte[], SQL_VARIANT Integer, Long or String.
 * Null is null.
 */
public enum SqlType {
  TINYINT("tinyint"),
  SMALLINT("smallint"),
  INT("int"),
  BIGINT("bigint"),
  BIT("bit"),
  REAL("real"),
  FLOAT("float"),
  DECIMAL("decimal"),
  MONEY("money"),
  SMALLMONEY("smallmoney"),
  DATE("date"),
  TIME("time"),
  DATETIME("datetime"),
  SMALLDATETIME("smalldatetime"),
  DATETIME2("datetime2"),
  DATETIMEOFFSET("datetimeoffset"),
  UNIQUEIDENTIFIER("uniqueidentifier"),
  /** BIGCHARTYPE (0xAF), single-byte code page 1252 (the lab's collation). */
  CHAR("char"),
  /** BIGVARCHARTYPE (0xA7); length 0 in {@link Column} means varchar(max), sent as PLP. */
  VARCHAR("varchar"),
  NCHAR("nchar"),
  /** NVARCHARTYPE (0xE7); length 0 means nvarchar(max). */
  NVARCHAR("nvarchar"),
  BINARY("binary"),
  /** BIGVARBINARYTYPE (0xA5); length 0 means varbinary(max). */
  VARBINARY("varbinary"),
  XML("xml"),
  SQL_VARIANT("sql_variant"),
  /** TEXTTYPE (0x23): what a TDS 7.0/7.1 client gets for varchar(max) ({@link DownLevelTypes}). */
  TEXT("text"),
  /** NTEXTTYPE (0x63): nvarchar(max) and xml for a TDS 7.0/7.1 client. */
  NTEXT("ntext"),
  /** IMAGETYPE (0x22): varbinary(max) for a TDS 7.0/7.1 client. */
  IMAGE("image");

  private final String sqlName;

  SqlType(String sqlName) {
    this.sqlName = sqlName;
  }

  public String sqlName() {
    return sqlName;
  }

  /** Types with a length (characters for character types, bytes for binary types). */
  public boolean hasLength() {
    switch (this) {
      case CHAR:
      case VARCHAR:
      case NCHAR:
      case NVARCHAR:
      case BINARY:
      case VARBINARY:
        return true;
      default:
        return false;
    }
  }

  /** Types with a fractional-second scale (0..7). */
  public boolean hasTimeScale() {
    return this == TIME || this == DATETIME2 || this == DATETIMEOFFSET;
  }
}
