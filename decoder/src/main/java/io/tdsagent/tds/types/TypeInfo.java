package io.tdsagent.tds.types;

/**
 * A decoded TYPE_INFO (MS-TDS 2.2.5.6): the type byte with its length, precision/scale, collation
 * and the XML/UDT extras. {@link #valueKind()} is what the value skipper needs to step over a value
 * of this type.
 */
public final class TypeInfo {
  /** No precision, scale or collation present. */
  public static final int ABSENT = -1;

  private final TdsDataType type;
  private final int rawType;
  private final long maxLength;
  private final int precision;
  private final int scale;
  private final long collation;
  private final String xmlSchemaCollection;
  private final String udtTypeName;
  private final String udtAssemblyName;
  private final int valueKind;

  TypeInfo(
      TdsDataType type,
      int rawType,
      long maxLength,
      int precision,
      int scale,
      long collation,
      String xmlSchemaCollection,
      String udtTypeName,
      String udtAssemblyName) {
    this.type = type;
    this.rawType = rawType;
    this.maxLength = maxLength;
    this.precision = precision;
    this.scale = scale;
    this.collation = collation;
    this.xmlSchemaCollection = xmlSchemaCollection;
    this.udtTypeName = udtTypeName;
    this.udtAssemblyName = udtAssemblyName;
    this.valueKind = ValueSkipper.kindOf(type, maxLength);
  }

  /** A TYPE_INFO of a fixed-length type, e.g. for tests and synthetic metadata. */
  public static TypeInfo fixed(TdsDataType type) {
    return new TypeInfo(
        type, type.code(), type.fixedLength(), ABSENT, ABSENT, ABSENT, null, null, null);
  }

  public TdsDataType type() {
    return type;
  }

  public int rawType() {
    return rawType;
  }

  /**
   * TYPE_VARLEN max length in bytes (0xFFFF for the max types); the fixed size for fixed-length
   * types.
   */
  public long maxLength() {
    return maxLength;
  }

  public int precision() {
    return precision;
  }

  /** Scale of decimal/numeric and the time types; dimension type of VECTOR. */
  public int scale() {
    return scale;
  }

  /**
   * The 5 COLLATION bytes little-endian in a long (LCID and flags, then SortId); {@link #ABSENT} if
   * none.
   */
  public long collation() {
    return collation;
  }

  /** LCID part of the collation (low 20 bits); -1 if none. */
  public int collationLcid() {
    return collation == ABSENT ? -1 : (int) (collation & 0xFFFFF);
  }

  /** Whether values are PLP-encoded (the max types, XML, UDT, JSON). */
  public boolean isPlp() {
    return (valueKind & 0xFF) == ValueSkipper.K_PLP;
  }

  /** "db.schema.collection" of a typed XML column; null otherwise. */
  public String xmlSchemaCollection() {
    return xmlSchemaCollection;
  }

  /** "db.schema.type" of a UDT; null otherwise. */
  public String udtTypeName() {
    return udtTypeName;
  }

  /** ASSEMBLY_QUALIFIED_NAME of a UDT (COLMETADATA only); null otherwise. */
  public String udtAssemblyName() {
    return udtAssemblyName;
  }

  /** Encoded value layout for {@link ValueSkipper#start(int)}. */
  public int valueKind() {
    return valueKind;
  }

  /**
   * The SQL Server type name with its length/precision, e.g. {@code nvarchar(50)}, {@code
   * decimal(18,2)}.
   */
  public String typeName() {
    switch (type) {
      case INTN:
        return maxLength == 1
            ? "tinyint"
            : maxLength == 2 ? "smallint" : maxLength == 8 ? "bigint" : "int";
      case FLTN:
        return maxLength == 4 ? "real" : "float";
      case MONEYN:
        return maxLength == 4 ? "smallmoney" : "money";
      case DATETIMN:
        return maxLength == 4 ? "smalldatetime" : "datetime";
      case DECIMAL:
      case DECIMALN:
      case NUMERIC:
      case NUMERICN:
        return type.sqlName() + "(" + precision + "," + scale + ")";
      case TIMEN:
      case DATETIME2N:
      case DATETIMEOFFSETN:
        return type.sqlName() + "(" + scale + ")";
      case BIGVARCHAR:
      case BIGVARBINARY:
      case BIGCHAR:
      case BIGBINARY:
      case CHAR:
      case VARCHAR:
      case BINARY:
      case VARBINARY:
        return type.sqlName() + "(" + (isPlp() ? "max" : Long.toString(maxLength)) + ")";
      case NVARCHAR:
      case NCHAR:
        return type.sqlName() + "(" + (isPlp() ? "max" : Long.toString(maxLength / 2)) + ")";
      case VECTOR:
        return "vector(" + Math.max(0, (maxLength - 8) / 4) + ")";
      case UDT:
        return udtTypeName != null ? udtTypeName : "udt";
      case UNKNOWN:
        return "unknown(0x" + Integer.toHexString(rawType) + ")";
      default:
        return type.sqlName();
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(typeName());
    if (xmlSchemaCollection != null) {
      sb.append(" schema=").append(xmlSchemaCollection);
    }
    if (udtAssemblyName != null) {
      sb.append(" assembly=").append(udtAssemblyName);
    }
    return sb.toString();
  }
}
