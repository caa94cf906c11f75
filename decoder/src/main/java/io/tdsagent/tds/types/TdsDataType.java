package io.tdsagent.tds.types;

/**
 * The TDS type bytes of TYPE_INFO (MS-TDS 2.2.5.4) with how their values are length-prefixed on the
 * wire. {@link #fixedLength()} is the value size of FIXEDLENTYPEs; the others carry a TYPE_VARLEN
 * or PLP body.
 */
public enum TdsDataType {
  NULLTYPE(0x1F, "null", LengthClass.FIXED, 0),
  INT1(0x30, "tinyint", LengthClass.FIXED, 1),
  BIT(0x32, "bit", LengthClass.FIXED, 1),
  INT2(0x34, "smallint", LengthClass.FIXED, 2),
  INT4(0x38, "int", LengthClass.FIXED, 4),
  DATETIM4(0x3A, "smalldatetime", LengthClass.FIXED, 4),
  FLT4(0x3B, "real", LengthClass.FIXED, 4),
  MONEY(0x3C, "money", LengthClass.FIXED, 8),
  DATETIME(0x3D, "datetime", LengthClass.FIXED, 8),
  FLT8(0x3E, "float", LengthClass.FIXED, 8),
  MONEY4(0x7A, "smallmoney", LengthClass.FIXED, 4),
  INT8(0x7F, "bigint", LengthClass.FIXED, 8),

  GUID(0x24, "uniqueidentifier", LengthClass.BYTELEN, 0),
  INTN(0x26, "intn", LengthClass.BYTELEN, 0),
  DECIMAL(0x37, "decimal", LengthClass.BYTELEN, 0),
  NUMERIC(0x3F, "numeric", LengthClass.BYTELEN, 0),
  BITN(0x68, "bit", LengthClass.BYTELEN, 0),
  DECIMALN(0x6A, "decimal", LengthClass.BYTELEN, 0),
  NUMERICN(0x6C, "numeric", LengthClass.BYTELEN, 0),
  FLTN(0x6D, "float", LengthClass.BYTELEN, 0),
  MONEYN(0x6E, "money", LengthClass.BYTELEN, 0),
  DATETIMN(0x6F, "datetime", LengthClass.BYTELEN, 0),
  DATEN(0x28, "date", LengthClass.BYTELEN, 0),
  TIMEN(0x29, "time", LengthClass.BYTELEN, 0),
  DATETIME2N(0x2A, "datetime2", LengthClass.BYTELEN, 0),
  DATETIMEOFFSETN(0x2B, "datetimeoffset", LengthClass.BYTELEN, 0),
  CHAR(0x2F, "char", LengthClass.BYTELEN, 0),
  VARCHAR(0x27, "varchar", LengthClass.BYTELEN, 0),
  BINARY(0x2D, "binary", LengthClass.BYTELEN, 0),
  VARBINARY(0x25, "varbinary", LengthClass.BYTELEN, 0),

  BIGVARBINARY(0xA5, "varbinary", LengthClass.USHORTLEN, 0),
  BIGVARCHAR(0xA7, "varchar", LengthClass.USHORTLEN, 0),
  BIGBINARY(0xAD, "binary", LengthClass.USHORTLEN, 0),
  BIGCHAR(0xAF, "char", LengthClass.USHORTLEN, 0),
  NVARCHAR(0xE7, "nvarchar", LengthClass.USHORTLEN, 0),
  NCHAR(0xEF, "nchar", LengthClass.USHORTLEN, 0),
  VECTOR(0xF5, "vector", LengthClass.USHORTLEN, 0),

  TEXT(0x23, "text", LengthClass.LONGLEN, 0),
  IMAGE(0x22, "image", LengthClass.LONGLEN, 0),
  NTEXT(0x63, "ntext", LengthClass.LONGLEN, 0),
  SSVARIANT(0x62, "sql_variant", LengthClass.LONGLEN, 0),

  XML(0xF1, "xml", LengthClass.PLP, 0),
  UDT(0xF0, "udt", LengthClass.PLP, 0),
  JSON(0xF4, "json", LengthClass.PLP, 0),

  /** Table-valued parameter: only in RPC requests. */
  TVP(0xF3, "table", LengthClass.TVP, 0),
  UNKNOWN(-1, "unknown", LengthClass.UNKNOWN, 0);

  /**
   * How a value's length is given (before type-specific refinements such as max types being PLP).
   */
  public enum LengthClass {
    FIXED,
    BYTELEN,
    USHORTLEN,
    LONGLEN,
    PLP,
    TVP,
    UNKNOWN
  }

  private static final TdsDataType[] BY_CODE = new TdsDataType[256];

  static {
    java.util.Arrays.fill(BY_CODE, UNKNOWN);
    for (TdsDataType t : values()) {
      if (t.code >= 0) {
        BY_CODE[t.code] = t;
      }
    }
  }

  private final int code;
  private final String sqlName;
  private final LengthClass lengthClass;
  private final int fixedLength;

  TdsDataType(int code, String sqlName, LengthClass lengthClass, int fixedLength) {
    this.code = code;
    this.sqlName = sqlName;
    this.lengthClass = lengthClass;
    this.fixedLength = fixedLength;
  }

  public int code() {
    return code;
  }

  /**
   * The SQL Server type name, before length/precision refinements (see {@link
   * TypeInfo#typeName()}).
   */
  public String sqlName() {
    return sqlName;
  }

  public LengthClass lengthClass() {
    return lengthClass;
  }

  public int fixedLength() {
    return fixedLength;
  }

  /** Types whose TYPE_INFO carries a COLLATION. */
  public boolean hasCollation() {
    return this == BIGCHAR
        || this == BIGVARCHAR
        || this == TEXT
        || this == NTEXT
        || this == NCHAR
        || this == NVARCHAR;
  }

  /** Character data as UTF-16LE. */
  public boolean isUnicode() {
    return this == NCHAR || this == NVARCHAR || this == NTEXT || this == XML;
  }

  public static TdsDataType fromCode(int code) {
    return code >= 0 && code < 256 ? BY_CODE[code] : UNKNOWN;
  }
}
