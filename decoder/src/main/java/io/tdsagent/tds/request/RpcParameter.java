package io.tdsagent.tds.request;

import io.tdsagent.tds.types.TypeInfo;

/**
 * One ParameterData of an RPC: name, status and type. The value is skipped unless rendering was
 * opted into.
 */
public final class RpcParameter {
  public static final int STATUS_BY_REF = 0x01;
  public static final int STATUS_DEFAULT = 0x02;
  public static final int STATUS_ENCRYPTED = 0x08;

  private final String name;
  private final int status;
  private final TypeInfo typeInfo;
  private final String tvpTypeName;
  private final boolean isNull;
  private final long valueLength;
  private final String renderedValue;

  RpcParameter(
      String name,
      int status,
      TypeInfo typeInfo,
      String tvpTypeName,
      boolean isNull,
      long valueLength,
      String renderedValue) {
    this.name = name;
    this.status = status;
    this.typeInfo = typeInfo;
    this.tvpTypeName = tvpTypeName;
    this.isNull = isNull;
    this.valueLength = valueLength;
    this.renderedValue = renderedValue;
  }

  /** May be empty: parameters can be passed by position. */
  public String name() {
    return name;
  }

  public int status() {
    return status;
  }

  /** fByRefValue: an OUTPUT parameter. */
  public boolean isOutput() {
    return (status & STATUS_BY_REF) != 0;
  }

  /** fDefaultValue. */
  public boolean isDefault() {
    return (status & STATUS_DEFAULT) != 0;
  }

  public boolean isEncrypted() {
    return (status & STATUS_ENCRYPTED) != 0;
  }

  /** Null for a table-valued parameter (see {@link #tvpTypeName()}). */
  public TypeInfo typeInfo() {
    return typeInfo;
  }

  /** SQL type name, e.g. {@code nvarchar(4000)}, or {@code table} for a TVP. */
  public String typeName() {
    return typeInfo != null ? typeInfo.typeName() : "table";
  }

  /** "schema.type" of a TVP; null otherwise. */
  public String tvpTypeName() {
    return tvpTypeName;
  }

  public boolean isNull() {
    return isNull;
  }

  /** Data bytes of the value (TVPs: 0). */
  public long valueLength() {
    return valueLength;
  }

  /**
   * Bounded rendering of the value, only when {@code DecoderLimits.maxParameterValueChars() > 0};
   * else null.
   */
  public String renderedValue() {
    return renderedValue;
  }

  @Override
  public String toString() {
    return (name.isEmpty() ? "?" : name)
        + " "
        + typeName()
        + (isOutput() ? " OUTPUT" : "")
        + (isDefault() ? " DEFAULT" : "")
        + (isNull ? " NULL" : "")
        + (renderedValue != null ? " = " + renderedValue : "");
  }
}
