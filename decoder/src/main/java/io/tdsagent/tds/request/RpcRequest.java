package io.tdsagent.tds.request;

import io.tdsagent.tds.packet.PacketType;
import java.util.Collections;
import java.util.List;

/** RPC (0x03): one or more RPC calls (separated by BatchFlag/NoExecFlag). */
public final class RpcRequest extends Request {
  private final AllHeaders headers;
  private final List<RpcCall> calls;
  private final int callCount;

  RpcRequest(AllHeaders headers, List<RpcCall> calls, int callCount, boolean complete) {
    super(PacketType.RPC, complete);
    this.headers = headers;
    this.calls = Collections.unmodifiableList(calls);
    this.callCount = Math.max(callCount, calls.size());
  }

  /** Null for pre-7.2 requests. */
  public AllHeaders headers() {
    return headers;
  }

  /** The first calls (as many as {@code DecoderLimits.maxRpcParameters()}). */
  public List<RpcCall> calls() {
    return calls;
  }

  /** How many calls the request made, including those not kept in {@link #calls()}. */
  public int callCount() {
    return callCount;
  }

  @Override
  public String toString() {
    return "RpcRequest{"
        + (headers != null ? headers + ", " : "")
        + calls
        + (isComplete() ? "" : ", incomplete")
        + '}';
  }
}
