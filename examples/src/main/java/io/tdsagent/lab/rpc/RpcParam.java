package io.tdsagent.lab.rpc;

import io.tdsagent.lab.sql.Column;

/** One ParameterData of an RPC call, with its value read (MS-TDS 2.2.6.6). */
public final class RpcParam {
  public static final int STATUS_BY_REF = 0x01;
  public static final int STATUS_DEFAULT = 0x02;

  private final int ordinal;
  private final String name;
  private final int status;
  private final Column type;
  private final Object value;

  public RpcParam(int ordinal, String name, int status, Column type, Object value) {
    this.ordinal = ordinal;
    this.name = name;
    this.status = status;
    this.type = type;
    this.value = value;
  }

  /** Position in the call's parameter list (0-based): RETURNVALUE's ParamOrdinal. */
  public int ordinal() {
    return ordinal;
  }

  /** "@name" or "" for a positional parameter. */
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

  /** The TYPE_INFO as a column (named like the parameter). */
  public Column type() {
    return type;
  }

  public Object value() {
    return value;
  }

  @Override
  public String toString() {
    return (name.isEmpty() ? "#" + ordinal : name)
        + " "
        + type.typeName()
        + (isOutput() ? " OUTPUT" : "")
        + " = "
        + (value instanceof byte[]
            ? ((byte[]) value).length + " bytes"
            : value instanceof String && ((String) value).length() > 60
                ? "'" + ((String) value).substring(0, 60) + "...'"
                : value);
  }
}
