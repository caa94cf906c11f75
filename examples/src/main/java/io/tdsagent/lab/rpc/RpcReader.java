package io.tdsagent.lab.rpc;

import io.tdsagent.lab.sql.Column;
import io.tdsagent.lab.sql.ValueCodec;
import io.tdsagent.lab.wire.TdsCursor;
import io.tdsagent.lab.wire.TdsProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an RPC request message (MS-TDS 2.2.6.6) with parameter values: ALL_HEADERS (TDS 7.2+), then
 * RPCReqBatch entries separated by BatchFlag (0xFF; 0x80 before TDS 7.2) or NoExecFlag (0xFE).
 * Table-valued and encrypted parameters are refused.
 */
public final class RpcReader {
  private static final int BATCH_FLAG = 0xFF;
  private static final int NO_EXEC_FLAG = 0xFE;

  /** BatchFlag of TDS 7.0/7.1 (jTDS ends each batched call with it). */
  private static final int BATCH_FLAG_71 = 0x80;

  private static final int PROC_ID_SWITCH = 0xFFFF;

  private RpcReader() {}

  /**
   * {@code tds72}: false for TDS 7.0/7.1 clients (jTDS), whose RPC requests have no ALL_HEADERS and
   * separate batched calls with 0x80.
   */
  public static List<RpcInvocation> read(byte[] payload, boolean tds72)
      throws TdsProtocolException {
    TdsCursor in = new TdsCursor(payload);
    if (tds72) {
      skipAllHeaders(in, payload.length);
    }
    List<RpcInvocation> calls = new ArrayList<>();
    while (in.remaining() > 0) {
      calls.add(readCall(in, tds72));
      if (in.remaining() > 0) {
        int sep = in.uint8();
        if (!isSeparator(sep, tds72)) {
          throw new TdsProtocolException(String.format("RPC batch separator 0x%02X", sep));
        }
      }
    }
    return calls;
  }

  /** ALL_HEADERS (TDS 7.2+): TotalLength includes itself. */
  private static void skipAllHeaders(TdsCursor in, int length) throws TdsProtocolException {
    if (length < 4) {
      return;
    }
    int total = in.int32();
    if (total < 4 || total > length) {
      throw new TdsProtocolException("RPC ALL_HEADERS TotalLength " + total);
    }
    in.position(total);
  }

  private static boolean isSeparator(int b, boolean tds72) {
    return tds72 ? b == BATCH_FLAG || b == NO_EXEC_FLAG : b == BATCH_FLAG_71;
  }

  private static RpcInvocation readCall(TdsCursor in, boolean tds72) throws TdsProtocolException {
    int nameLen = in.uint16();
    String name = null;
    int procId = 0;
    if (nameLen == PROC_ID_SWITCH) {
      procId = in.uint16();
    } else {
      name = in.utf16(nameLen);
    }
    int options = in.uint16();
    List<RpcParam> params = new ArrayList<>();
    while (in.remaining() > 0) {
      int next = in.peekUint8();
      if (isSeparator(next, tds72)) {
        break;
      }
      String paramName = in.utf16(in.uint8());
      int status = in.uint8();
      if ((status & 0x08) != 0) {
        throw new TdsProtocolException("encrypted RPC parameters are not supported by the lab");
      }
      Column type;
      Object value;
      if (ValueCodec.isLongLen(in.peekUint8())) {
        Object[] typeAndValue = ValueCodec.readLongLenParameter(paramName, in);
        type = (Column) typeAndValue[0];
        value = typeAndValue[1];
      } else {
        type = ValueCodec.readTypeInfo(paramName, in);
        value = ValueCodec.readValue(type, in);
      }
      params.add(new RpcParam(params.size(), paramName, status, type, value));
    }
    return new RpcInvocation(name, procId, options, params);
  }
}
