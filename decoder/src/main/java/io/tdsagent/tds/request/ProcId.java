package io.tdsagent.tds.request;

/** Well-known procedures an RPC names by ProcID (ProcIDSwitch 0xFFFF), MS-TDS 2.2.6.6. */
public enum ProcId {
  SP_CURSOR(1, "sp_cursor", -1),
  SP_CURSOROPEN(2, "sp_cursoropen", 1),
  SP_CURSORPREPARE(3, "sp_cursorprepare", 2),
  SP_CURSOREXECUTE(4, "sp_cursorexecute", -1),
  SP_CURSORPREPEXEC(5, "sp_cursorprepexec", 3),
  SP_CURSORUNPREPARE(6, "sp_cursorunprepare", -1),
  SP_CURSORFETCH(7, "sp_cursorfetch", -1),
  SP_CURSOROPTION(8, "sp_cursoroption", -1),
  SP_CURSORCLOSE(9, "sp_cursorclose", -1),
  SP_EXECUTESQL(10, "sp_executesql", 0),
  SP_PREPARE(11, "sp_prepare", 2),
  SP_EXECUTE(12, "sp_execute", -1),
  SP_PREPEXEC(13, "sp_prepexec", 2),
  SP_PREPEXECRPC(14, "sp_prepexecrpc", -1),
  SP_UNPREPARE(15, "sp_unprepare", -1);

  /** {@code values()} copies its array at every call; these lookups run for every message. */
  private static final ProcId[] VALUES = values();

  private final int id;
  private final String procName;
  private final int statementParameter;

  ProcId(int id, String procName, int statementParameter) {
    this.id = id;
    this.procName = procName;
    this.statementParameter = statementParameter;
  }

  public int id() {
    return id;
  }

  public String procName() {
    return procName;
  }

  /**
   * Position of the parameter holding the SQL statement text (@stmt); -1 if the procedure has none.
   */
  public int statementParameter() {
    return statementParameter;
  }

  public static ProcId fromId(int id) {
    for (ProcId p : VALUES) {
      if (p.id == id) {
        return p;
      }
    }
    return null;
  }

  /** By name, as sent in ProcName (with or without a "sys." / "master.." prefix, any case). */
  public static ProcId fromName(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    int dot = n.lastIndexOf('.');
    if (dot >= 0) {
      n = n.substring(dot + 1);
    }
    for (ProcId p : VALUES) {
      if (p.procName.equals(n)) {
        return p;
      }
    }
    return null;
  }
}
