package io.tdsagent.lab.sql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One call of a {@link Procedure}: arguments by declared name, OUTPUT values set, results added.
 */
public final class ProcedureCall {
  private final String procedureName;
  private final Map<String, Object> args;
  private final Map<String, Object> outputs = new LinkedHashMap<>();
  private final QueryResult results = new QueryResult();

  ProcedureCall(String procedureName, Map<String, Object> args) {
    this.procedureName = procedureName;
    this.args = args;
  }

  public String procedureName() {
    return procedureName;
  }

  /** The argument for a declared parameter ("@a"); null if not passed. */
  public Object arg(String name) {
    return args.get(key(name));
  }

  public boolean hasArg(String name) {
    return args.containsKey(key(name));
  }

  /** Sets an OUTPUT parameter. */
  public void output(String name, Object value) {
    outputs.put(key(name), value);
  }

  public Map<String, Object> outputs() {
    return outputs;
  }

  /**
   * Result sets, messages and errors the procedure produces (inside an RPC they end with
   * DONEINPROC).
   */
  public QueryResult results() {
    return results;
  }

  static String key(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.startsWith("@") ? n : "@" + n;
  }

  /** A registered procedure: its declared parameter names (for positional arguments) and body. */
  public static final class Definition {
    final String name;
    final List<String> parameters;
    final Procedure body;

    Definition(String name, List<String> parameters, Procedure body) {
      this.name = name;
      this.parameters = List.copyOf(parameters);
      this.body = body;
    }

    public String name() {
      return name;
    }

    public List<String> parameters() {
      return parameters;
    }

    /**
     * Runs the procedure. {@code names[i]} is the i-th argument's name ("" if positional); a
     * positional argument takes the declared parameter at its position.
     */
    public ProcedureCall call(List<String> names, List<Object> values, QueryContext ctx) {
      Map<String, Object> args = new LinkedHashMap<>();
      for (int i = 0; i < values.size(); i++) {
        String n = names.get(i);
        if (n == null || n.isEmpty()) {
          if (i >= parameters.size()) {
            throw new ProcedureException(
                8144,
                2,
                16,
                "Procedure or function " + name + " has too many arguments specified.");
          }
          n = parameters.get(i);
        }
        args.put(key(n), values.get(i));
      }
      ProcedureCall call = new ProcedureCall(name, args);
      int status = body.run(call, ctx);
      call.returnStatus = status;
      return call;
    }

    /** Declared name of the i-th parameter, or "" past the end. */
    public String parameterAt(int i) {
      return i < parameters.size() ? parameters.get(i) : "";
    }
  }

  int returnStatus;

  /** The RETURN status of the finished call. */
  public int returnStatus() {
    return returnStatus;
  }

  /**
   * An error a procedure (or argument binding) raises instead of running: becomes an ERROR token.
   */
  public static final class ProcedureException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final int number;
    public final int state;
    public final int severityClass;

    public ProcedureException(int number, int state, int severityClass, String message) {
      super(message, null, false, false);
      this.number = number;
      this.state = state;
      this.severityClass = severityClass;
    }
  }
}
