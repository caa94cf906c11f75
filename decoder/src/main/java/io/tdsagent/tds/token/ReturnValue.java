package io.tdsagent.tds.token;

import io.tdsagent.tds.types.TypeInfo;

/**
 * RETURNVALUE (0xAC): an output parameter or UDF result. The value itself is skipped, never kept.
 */
public final class ReturnValue extends Token {
  public static final int STATUS_OUTPUT = 0x01;
  public static final int STATUS_UDF = 0x02;

  private final int ordinal;
  private final String name;
  private final int status;
  private final long userType;
  private final int flags;
  private final TypeInfo typeInfo;
  private final CryptoMetadata crypto;

  public ReturnValue(
      int ordinal,
      String name,
      int status,
      long userType,
      int flags,
      TypeInfo typeInfo,
      CryptoMetadata crypto) {
    super(TokenType.RETURNVALUE);
    this.ordinal = ordinal;
    this.name = name;
    this.status = status;
    this.userType = userType;
    this.flags = flags;
    this.typeInfo = typeInfo;
    this.crypto = crypto;
  }

  public int ordinal() {
    return ordinal;
  }

  public String name() {
    return name;
  }

  public int status() {
    return status;
  }

  public long userType() {
    return userType;
  }

  public int flags() {
    return flags;
  }

  public TypeInfo typeInfo() {
    return typeInfo;
  }

  public CryptoMetadata crypto() {
    return crypto;
  }

  @Override
  public String toString() {
    return "ReturnValue{#" + ordinal + " '" + name + "' " + typeInfo + ", status=" + status + '}';
  }
}
