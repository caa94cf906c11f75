package io.tdsagent.lab.rpc;

import java.util.List;
import java.util.Locale;

/** One RPCReqBatch: a procedure by ProcID or name, its OptionFlags and parameters. */
public final class RpcInvocation {
  public static final int SP_CURSOROPEN = 2;
  public static final int SP_EXECUTESQL = 10;
  public static final int SP_PREPARE = 11;
  public static final int SP_EXECUTE = 12;
  public static final int SP_PREPEXEC = 13;
  public static final int SP_UNPREPARE = 15;

  private static final String[] WELL_KNOWN = {
    null,
    "sp_cursor",
    "sp_cursoropen",
    "sp_cursorprepare",
    "sp_cursorexecute",
    "sp_cursorprepexec",
    "sp_cursorunprepare",
    "sp_cursorfetch",
    "sp_cursoroption",
    "sp_cursorclose",
    "sp_executesql",
    "sp_prepare",
    "sp_execute",
    "sp_prepexec",
    "sp_prepexecrpc",
    "sp_unprepare"
  };

  private final String procName;
  private final int procId;
  private final int optionFlags;
  private final List<RpcParam> params;

  public RpcInvocation(String procName, int procId, int optionFlags, List<RpcParam> params) {
    this.procName = procName;
    this.procId = procId;
    this.optionFlags = optionFlags;
    this.params = List.copyOf(params);
  }

  /** The name sent (null when called by ProcID). */
  public String procName() {
    return procName;
  }

  /**
   * The ProcID sent, or the well-known id of a system procedure called by name ("sp_executesql"),
   * else 0.
   */
  public int procId() {
    if (procId != 0 || procName == null) {
      return procId;
    }
    String n = procName.toLowerCase(Locale.ROOT);
    n = n.substring(n.lastIndexOf('.') + 1);
    for (int i = 1; i < WELL_KNOWN.length; i++) {
      if (WELL_KNOWN[i].equals(n)) {
        return i;
      }
    }
    return 0;
  }

  public int optionFlags() {
    return optionFlags;
  }

  public List<RpcParam> params() {
    return params;
  }

  /** The name to show: the name sent or the well-known procedure's. */
  public String displayName() {
    if (procName != null) {
      return procName;
    }
    return procId > 0 && procId < WELL_KNOWN.length ? WELL_KNOWN[procId] : "#" + procId;
  }

  @Override
  public String toString() {
    return displayName() + params;
  }
}
