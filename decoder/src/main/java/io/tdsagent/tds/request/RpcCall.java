package io.tdsagent.tds.request;

import java.util.Collections;
import java.util.List;

/** One RPCReqBatch of an RPC message: the procedure, its option flags and parameters. */
public final class RpcCall {
  public static final int OPTION_WITH_RECOMP = 0x01;
  public static final int OPTION_NO_METADATA = 0x02;
  public static final int OPTION_REUSE_METADATA = 0x04;

  private final String procName;
  private final int procId;
  private final int optionFlags;
  private final List<RpcParameter> parameters;
  private final int parameterCount;
  private final String statementText;
  private final long statementLength;
  private final boolean statementTruncated;

  RpcCall(
      String procName,
      int procId,
      int optionFlags,
      List<RpcParameter> parameters,
      int parameterCount,
      String statementText,
      long statementLength,
      boolean statementTruncated) {
    this.procName = procName;
    this.procId = procId;
    this.optionFlags = optionFlags;
    this.parameters = Collections.unmodifiableList(parameters);
    this.parameterCount = parameterCount;
    this.statementText = statementText;
    this.statementLength = statementLength;
    this.statementTruncated = statementTruncated;
  }

  /** The name sent, or the well-known name of the ProcID (e.g. {@code sp_executesql}). */
  public String procName() {
    return procName;
  }

  /** ProcID when called by ProcIDSwitch, else 0. */
  public int procId() {
    return procId;
  }

  /** The well-known procedure, by id or by name; null for other procedures. */
  public ProcId wellKnown() {
    return procId != 0 ? ProcId.fromId(procId) : ProcId.fromName(procName);
  }

  public int optionFlags() {
    return optionFlags;
  }

  public boolean isWithRecompile() {
    return (optionFlags & OPTION_WITH_RECOMP) != 0;
  }

  public boolean isNoMetadata() {
    return (optionFlags & OPTION_NO_METADATA) != 0;
  }

  public boolean isReuseMetadata() {
    return (optionFlags & OPTION_REUSE_METADATA) != 0;
  }

  /** The first {@code DecoderLimits.maxRpcParameters()} parameters. */
  public List<RpcParameter> parameters() {
    return parameters;
  }

  /** All parameters seen, described or not. */
  public int parameterCount() {
    return parameterCount;
  }

  /**
   * The SQL text of the @stmt parameter of sp_executesql, sp_prepexec, sp_prepare, sp_cursoropen,
   * sp_cursorprepare and sp_cursorprepexec, bounded like a batch's text; null for other procedures.
   */
  public String statementText() {
    return statementText;
  }

  public long statementLength() {
    return statementLength;
  }

  public boolean isStatementTruncated() {
    return statementTruncated;
  }

  @Override
  public String toString() {
    String stmt =
        statementText == null
            ? ""
            : ", stmt='"
                + (statementText.length() > 80
                    ? statementText.substring(0, 80) + "..."
                    : statementText)
                + "'";
    return procName
        + (procId != 0 ? "(#" + procId + ")" : "")
        + (optionFlags != 0 ? " options=0x" + Integer.toHexString(optionFlags) : "")
        + " params="
        + parameters
        + (parameterCount > parameters.size() ? "+" + (parameterCount - parameters.size()) : "")
        + stmt;
  }
}
