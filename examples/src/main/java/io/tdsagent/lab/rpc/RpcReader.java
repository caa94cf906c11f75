package io.tdsagent.lab.rpc;

import io.tdsagent.lab.sql.Column;
import io.tdsagent.lab.sql.ValueCodec;
import io.tdsagent.lab.wire.TdsCursor;
import io.tdsagent.lab.wire.TdsProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an RPC request message (MS-TDS 2.2.6.6) with parameter values: ALL_HEADERS, then RPCReqBatch entries
 * separated by BatchFlag (0xFF) or NoExecFlag (0xFE). Table-valued and encrypted parameters are refused.
 */
public final class RpcReader {
    private static final int BATCH_FLAG = 0xFF;
    private static final int NO_EXEC_FLAG = 0xFE;
    private static final int PROC_ID_SWITCH = 0xFFFF;

    private RpcReader() {
    }

    public static List<RpcInvocation> read(byte[] payload) throws TdsProtocolException {
        TdsCursor in = new TdsCursor(payload);
        skipAllHeaders(in, payload.length);
        List<RpcInvocation> calls = new ArrayList<>();
        while (in.remaining() > 0) {
            calls.add(readCall(in));
            if (in.remaining() > 0) {
                int sep = in.uint8();
                if (sep != BATCH_FLAG && sep != NO_EXEC_FLAG) {
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

    private static RpcInvocation readCall(TdsCursor in) throws TdsProtocolException {
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
            if (next == BATCH_FLAG || next == NO_EXEC_FLAG) {
                break;
            }
            String paramName = in.utf16(in.uint8());
            int status = in.uint8();
            if ((status & 0x08) != 0) {
                throw new TdsProtocolException("encrypted RPC parameters are not supported by the lab");
            }
            Column type = ValueCodec.readTypeInfo(paramName, in);
            Object value = ValueCodec.readValue(type, in);
            params.add(new RpcParam(params.size(), paramName, status, type, value));
        }
        return new RpcInvocation(name, procId, options, params);
    }
}
