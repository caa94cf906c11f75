package io.tdsagent.agent.tap;

import java.lang.reflect.Field;

/** Reads the tap field the agent defined on a driver class, from outside that class's advice. */
final class TapFieldReader {
  static final String FIELD = "tdsagent$tap";
  private static volatile Field cached;

  private TapFieldReader() {}

  static Object read(Object owner) throws ReflectiveOperationException {
    Field f = cached;
    if (f == null || f.getDeclaringClass() != owner.getClass()) {
      f = owner.getClass().getField(FIELD);
      f.setAccessible(true); // public field, but of a package-private driver class
      cached = f;
    }
    return f.get(owner);
  }
}
