package io.tdsagent.tds.request;

import io.tdsagent.tds.packet.PacketType;
import java.util.Collections;
import java.util.List;

/** RPC (0x03): one or more RPC calls (separated by BatchFlag/NoExecFlag). */
public final class RpcRequest extends Request {
  private final AllHeaders headers;
  private final List<RpcCall> calls;

  RpcRequest(AllHeaders headers, List<RpcCall> calls, boolean complete) {
    super(PacketType.RPC, complete);
    this.headers = headers;
    this.calls = Collections.unmodifiableList(calls);
  }

  /** Null for pre-7.2 requests. */
  public AllHeaders headers() {
    return headers;
  }

  public List<RpcCall> calls() {
    return calls;
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
