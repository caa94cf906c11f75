package io.tdsagent.tds.token;

import io.tdsagent.tds.types.TypeInfo;

/** One ColumnData of COLMETADATA/ALTMETADATA (MS-TDS 2.2.7.4). */
public final class Column {
  public static final int FLAG_NULLABLE = 0x0001;
  public static final int FLAG_CASESEN = 0x0002;
  public static final int FLAG_IDENTITY = 0x0010;
  public static final int FLAG_COMPUTED = 0x0020;
  public static final int FLAG_FIXED_LEN_CLR_TYPE = 0x0100;
  public static final int FLAG_SPARSE_COLUMN_SET = 0x0400;
  public static final int FLAG_ENCRYPTED = 0x0800;
  public static final int FLAG_HIDDEN = 0x2000;
  public static final int FLAG_KEY = 0x4000;
  public static final int FLAG_NULLABLE_UNKNOWN = 0x8000;

  private final String name;
  private final long userType;
  private final int flags;
  private final TypeInfo typeInfo;
  private final String tableName;
  private final CryptoMetadata crypto;

  public Column(
      String name,
      long userType,
      int flags,
      TypeInfo typeInfo,
      String tableName,
      CryptoMetadata crypto) {
    this.name = name;
    this.userType = userType;
    this.flags = flags;
    this.typeInfo = typeInfo;
    this.tableName = tableName;
    this.crypto = crypto;
  }

  public String name() {
    return name;
  }

  public long userType() {
    return userType;
  }

  public int flags() {
    return flags;
  }

  public boolean isNullable() {
    return (flags & FLAG_NULLABLE) != 0;
  }

  public boolean isIdentity() {
    return (flags & FLAG_IDENTITY) != 0;
  }

  public boolean isEncrypted() {
    return (flags & FLAG_ENCRYPTED) != 0;
  }

  /** The wire type (for encrypted columns the varbinary cipher text; see {@link #crypto()}). */
  public TypeInfo typeInfo() {
    return typeInfo;
  }

  /** Table of a text/ntext/image column, parts joined with '.'; null otherwise. */
  public String tableName() {
    return tableName;
  }

  /** Always Encrypted metadata; null for plaintext columns. */
  public CryptoMetadata crypto() {
    return crypto;
  }

  @Override
  public String toString() {
    return name
        + " "
        + (crypto != null ? crypto.baseTypeInfo() + " encrypted" : typeInfo.toString())
        + (tableName != null ? " table=" + tableName : "");
  }
}
