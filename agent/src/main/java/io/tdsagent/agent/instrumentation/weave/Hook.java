package io.tdsagent.agent.instrumentation.weave;

import java.util.ArrayList;
import java.util.List;

/**
 * One driver method and the static calls woven into it: at entry, before each normal return, and
 * (with an exception handler around the original body) when it throws. A call's operands are {@code
 * this}, {@code argN} (the N-th parameter), {@code field:NAME} (a field of {@code this}), {@code
 * return} (the value being returned, null for void), {@code thrown} (the exception), {@code tds8}
 * (the last parameter when the method has six or more and that one is a boolean, else false).
 * {@code return} and {@code thrown} can only come first: they are the value on the stack.
 */
public final class Hook {
  final String label;
  final boolean required;
  final String[] names;

  /** Parameter descriptors the method must start with, concatenated. */
  final String params;

  final boolean exactParams;

  /** {@link #names} holds one prefix: public methods whose names start with it. */
  boolean prefix;

  /** Accepted return descriptors, or null for any. */
  final String[] returns;

  Call enter;
  Call exit;
  Call thrown;

  private Hook(
      String label,
      boolean required,
      String[] names,
      String params,
      boolean exactParams,
      String[] returns) {
    this.label = label;
    this.required = required;
    this.names = names;
    this.params = params;
    this.exactParams = exactParams;
    this.returns = returns;
  }

  /**
   * A method that must exist exactly once for the class to be woven; {@code label} names it when it
   * does not.
   */
  public static Hook required(
      String label, String name, String params, boolean exactParams, String... returns) {
    return new Hook(
        label,
        true,
        new String[] {name},
        params,
        exactParams,
        returns.length == 0 ? null : returns);
  }

  /** Woven into every method that matches, if any. */
  public static Hook optional(
      String[] names, String params, boolean exactParams, String... returns) {
    return new Hook(
        String.join("/", names),
        false,
        names,
        params,
        exactParams,
        returns.length == 0 ? null : returns);
  }

  /**
   * Woven into every public method whose name starts with {@code prefix}, whatever its parameters.
   */
  public static Hook optionalPublicPrefix(String prefix) {
    Hook h = new Hook(prefix + "*", false, new String[] {prefix}, "", false, null);
    h.prefix = true;
    return h;
  }

  public Hook onEnter(String owner, String method, String descriptor, String... operands) {
    enter = new Call(owner, method, descriptor, operands);
    return this;
  }

  public Hook onReturn(String owner, String method, String descriptor, String... operands) {
    exit = new Call(owner, method, descriptor, operands);
    return this;
  }

  public Hook onThrow(String owner, String method, String descriptor, String... operands) {
    thrown = new Call(owner, method, descriptor, operands);
    return this;
  }

  boolean matches(int access, String name, String descriptor) {
    if ((access & (0x0008 | 0x0400 | 0x0100)) != 0) { // static, abstract, native
      return false;
    }
    boolean named = false;
    if (prefix) {
      named = (access & 0x0001) != 0 && !name.startsWith("<") && name.startsWith(names[0]);
    }
    for (String n : prefix ? new String[0] : names) {
      named |= n.equals(name);
    }
    if (!named) {
      return false;
    }
    int close = descriptor.indexOf(')');
    String ps = descriptor.substring(1, close);
    if (exactParams ? !ps.equals(params) : !ps.startsWith(params)) {
      return false;
    }
    if (returns == null) {
      return true;
    }
    String r = descriptor.substring(close + 1);
    for (String accepted : returns) {
      if (accepted.equals(r)) {
        return true;
      }
    }
    return false;
  }

  /** Fields named by this hook's calls. */
  List<String> fields() {
    List<String> f = new ArrayList<>();
    for (Call c : new Call[] {enter, exit, thrown}) {
      if (c != null) {
        for (String o : c.operands) {
          if (o.startsWith("field:")) {
            f.add(o.substring(6));
          }
        }
      }
    }
    return f;
  }

  /** A static call. */
  static final class Call {
    final String owner;
    final String method;
    final String descriptor;
    final String[] operands;

    Call(String owner, String method, String descriptor, String[] operands) {
      this.owner = owner;
      this.method = method;
      this.descriptor = descriptor;
      this.operands = operands;
    }
  }
}
