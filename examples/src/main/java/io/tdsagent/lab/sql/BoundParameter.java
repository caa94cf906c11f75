package io.tdsagent.lab.sql;

/**
 * A parameter visible to a statement run by sp_executesql, sp_prepexec or sp_execute: its declared
 * name ({@code @P0}), its type as sent, its value, and whether it is OUTPUT (a statement may then
 * assign it, e.g. {@code EXEC dbo.add_numbers @P0, @P1, @P2 OUTPUT}).
 */
public final class BoundParameter {
  private final String name;
  private final Column type;
  private final boolean output;
  private Object value;

  public BoundParameter(String name, Column type, boolean output, Object value) {
    this.name = name;
    this.type = type;
    this.output = output;
    this.value = value;
  }

  public String name() {
    return name;
  }

  public Column type() {
    return type;
  }

  public boolean output() {
    return output;
  }

  public Object value() {
    return value;
  }

  public void value(Object v) {
    this.value = v;
  }

  @Override
  public String toString() {
    return name + " " + type.typeName() + (output ? " OUTPUT" : "") + " = " + value;
  }
}
