package io.tdsagent.tds.request;

import io.tdsagent.tds.login.TdsVersion;
import io.tdsagent.tds.types.TdsDataType;
import io.tdsagent.tds.types.TextCapture;
import io.tdsagent.tds.types.TypeInfo;
import io.tdsagent.tds.types.TypeInfoReader;
import io.tdsagent.tds.types.ValueRenderer;
import io.tdsagent.tds.types.ValueSkipper;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import java.util.ArrayList;
import java.util.List;

/**
 * The RPCRequest body after ALL_HEADERS (MS-TDS 2.2.6.6): one or more RPCReqBatch (NameLenProcID,
 * OptionFlags, ParameterData*) separated by BatchFlag / NoExecFlag. Metadata arrives as whole
 * elements from {@link RequestDecoder}'s carry-over; values stream by and are stepped over by a
 * {@link ValueSkipper}, kept only as the statement text of a known procedure or, when opted into,
 * as a bounded rendering. Table-valued parameters: {@link TvpTypeInfo}, then rows until
 * TVP_END_TOKEN.
 */
final class RpcRequestReader {
  /** First problems of the request go to the caller, which keeps the first. */
  interface Problems {
    void error(String reason);
  }

  private static final int RPC_NAME = 0;
  private static final int PARAM_OR_SEPARATOR = 1;
  private static final int PARAM_VALUE = 2;
  private static final int PARAM_CIPHER = 3;
  private static final int TVP_ROW = 4;
  private static final int TVP_VALUES = 5;

  private static final int TVP_ROW_TOKEN = 0x01;
  private static final int TVP_END_TOKEN = 0x00;

  private final int maxQueryTextChars;
  private final int maxParameterValueChars;
  private final int maxParameters;
  private int callCount;
  private final Problems problems;
  private final ValueSkipper value = new ValueSkipper();
  private int tdsVersion;

  private int state = RPC_NAME;
  private final List<RpcCall> calls = new ArrayList<>(1);
  private String procName;
  private int procId;
  private int optionFlags;
  private List<RpcParameter> params;
  private int paramCount;
  private int statementIndex;
  private TextCapture statement;
  private String paramName;
  private int paramStatus;
  private TypeInfo paramType;
  private String tvpName;
  private int[] tvpKinds;
  private int tvpColumn;
  private ValueCapture valueCapture;

  RpcRequestReader(
      int maxQueryTextChars, int maxParameterValueChars, int maxParameters, Problems problems) {
    this.maxQueryTextChars = maxQueryTextChars;
    this.maxParameterValueChars = maxParameterValueChars;
    this.maxParameters = maxParameters;
    this.problems = problems;
  }

  void tdsVersion(int version) {
    this.tdsVersion = version;
  }

  private boolean tds72() {
    return tdsVersion == 0 || TdsVersion.atLeast72(tdsVersion);
  }

  /** A new request message: the first RPCReqBatch comes next. */
  void reset() {
    calls.clear();
    callCount = 0;
    params = null;
    statement = null;
    valueCapture = null;
    state = RPC_NAME;
    value.reset();
  }

  /** Drops a value being stepped over (the request failed or ended). */
  void resetValue() {
    value.reset();
  }

  /** Whether the next bytes are a value, fed as they come, rather than a whole element. */
  boolean inValue() {
    return state == PARAM_VALUE || state == TVP_VALUES;
  }

  /** Whether the last call ended (so the message may end here); {@code nothingHeld}: no partial. */
  boolean atEnd(boolean nothingHeld) {
    return state == PARAM_OR_SEPARATOR || state == RPC_NAME && nothingHeld && !calls.isEmpty();
  }

  /** Whether the next element starts an RPCReqBatch. */
  boolean atCallStart() {
    return state == RPC_NAME;
  }

  /** Where a request that ended early stopped. */
  String position() {
    switch (state) {
      case PARAM_VALUE:
      case TVP_VALUES:
      case TVP_ROW:
        return "a parameter value";
      default:
        return "parameter metadata";
    }
  }

  /**
   * The calls read so far, the first {@code maxParameters} of them (the open one included only
   * after {@link #endCall}).
   */
  List<RpcCall> calls() {
    return new ArrayList<>(calls);
  }

  /** Value bytes from {@code p}; returns where it stopped. */
  int feedValue(byte[] buf, int p, int end) {
    if (state == PARAM_VALUE) {
      p = value.feed(buf, p, end);
      if (value.done()) {
        endParamValue();
      }
      return p;
    }
    return tvpValues(buf, p, end);
  }

  /** One whole element: NameLenProcID + OptionFlags, a separator, ParamMetaData, or a TVP token. */
  void parseElement(ByteReader r) {
    switch (state) {
      case RPC_NAME:
        rpcName(r);
        return;
      case PARAM_OR_SEPARATOR:
        {
          int b = r.peekU8();
          if (b == 0xFF || b == 0xFE || b == 0x80 && !tds72()) {
            r.u8(); // BatchFlag / NoExecFlag: the next RPC follows
            endCall();
            state = RPC_NAME;
            return;
          }
          paramMeta(r);
          return;
        }
      case PARAM_CIPHER:
        TypeInfoReader.read(r, true);
        int algo = r.u8();
        if (algo == 0) {
          r.skip(r.u8() * 2); // AlgoName
        }
        r.skip(
            1 + 4 + 4 + 4 + 8
                + 1); // EncryptionType, DatabaseId, CekId, CekVersion, CekMDVersion, NormVersion
        state = PARAM_OR_SEPARATOR;
        return;
      case TVP_ROW:
        {
          int token = r.u8();
          if (token == TVP_ROW_TOKEN) {
            tvpColumn = 0;
            state = TVP_VALUES;
          } else if (token == TVP_END_TOKEN) {
            addParam(false, 0, null);
            state = PARAM_OR_SEPARATOR;
          } else {
            throw new DecodeException("TVP row token 0x" + Integer.toHexString(token));
          }
          return;
        }
      default:
        throw new DecodeException("no RPC element in state " + state);
    }
  }

  private void rpcName(ByteReader r) {
    int len = r.u16le();
    String name;
    int id = 0;
    if (len == 0xFFFF) {
      id = r.u16le();
      ProcId p = ProcId.fromId(id);
      name = p != null ? p.procName() : "procid#" + id;
    } else {
      name = r.utf16le(len);
    }
    int options = r.u16le();
    procName = name;
    procId = id;
    optionFlags = options;
    params = new ArrayList<>(4);
    paramCount = 0;
    statement = null;
    ProcId known = id != 0 ? ProcId.fromId(id) : ProcId.fromName(name);
    statementIndex = known != null ? known.statementParameter() : -1;
    state = PARAM_OR_SEPARATOR;
  }

  /** Closes the open call, if any. */
  void endCall() {
    if (procName == null) {
      return;
    }
    // A JDBC batch of prepared statements is one request of as many calls: the first ones are
    // kept (as many as parameters per call), the rest only counted.
    callCount++;
    if (keepingCall()) {
      calls.add(
          new RpcCall(
              procName,
              procId,
              optionFlags,
              params,
              paramCount,
              statement != null ? statement.text() : null,
              statement != null ? statement.totalChars() : 0,
              statement != null && statement.isTruncated()));
    }
    procName = null;
  }

  /**
   * Whether the open call is one of those kept: past them, a call's parameters and statement are
   * stepped over, not collected.
   */
  private boolean keepingCall() {
    return calls.size() < Math.max(1, maxParameters);
  }

  /** Every call read so far, kept or not. */
  int callCount() {
    return callCount;
  }

  private void paramMeta(ByteReader r) {
    String name = r.bVarchar();
    int status = r.u8();
    if (r.peekU8() == TdsDataType.TVP.code()) {
      TvpTypeInfo tvp = TvpTypeInfo.read(r);
      paramName = name;
      paramStatus = status;
      paramType = null;
      tvpName = tvp.typeName;
      tvpKinds = tvp.rowColumnKinds;
      state = TVP_ROW;
      return;
    }
    TypeInfo ti = TypeInfoReader.read(r, true);
    int kind = ValueSkipper.withoutTextPointer(ti.valueKind());
    if ((kind & 0xFF) == ValueSkipper.K_UNSUPPORTED) {
      throw new DecodeException("parameter of type " + ti.typeName());
    }
    paramName = name;
    paramStatus = status;
    paramType = ti;
    ValueSkipper.Sink sink = null;
    if (keepingCall() && paramCount == statementIndex && isText(ti.type())) {
      statement = new TextCapture(maxQueryTextChars, ti.type().isUnicode());
      sink = statement;
    } else if (maxParameterValueChars > 0 && paramCount < maxParameters && keepingCall()) {
      // room for whole numbers and GUIDs however small the rendering limit
      valueCapture = new ValueCapture(Math.max(16, maxParameterValueChars * 2));
      sink = valueCapture;
    }
    value.start(kind, sink);
    state = PARAM_VALUE;
  }

  private static boolean isText(TdsDataType t) {
    return t == TdsDataType.NVARCHAR
        || t == TdsDataType.NCHAR
        || t == TdsDataType.NTEXT
        || t == TdsDataType.BIGVARCHAR
        || t == TdsDataType.BIGCHAR
        || t == TdsDataType.TEXT;
  }

  private void endParamValue() {
    String rendered = null;
    if (valueCapture != null) {
      rendered =
          ValueRenderer.render(
              paramType,
              value.isNull(),
              valueCapture.data,
              valueCapture.length,
              value.dataLength(),
              maxParameterValueChars);
    }
    valueCapture = null;
    addParam(value.isNull(), value.dataLength(), rendered);
    state = (paramStatus & RpcParameter.STATUS_ENCRYPTED) != 0 ? PARAM_CIPHER : PARAM_OR_SEPARATOR;
  }

  private void addParam(boolean isNull, long length, String rendered) {
    if (paramCount < maxParameters && keepingCall()) {
      params.add(
          new RpcParameter(
              paramName,
              paramStatus,
              paramType,
              paramType == null ? tvpName : null,
              isNull,
              length,
              rendered));
    }
    paramCount++;
  }

  private int tvpValues(byte[] buf, int p, int end) {
    while (true) {
      if (!value.done()) {
        p = value.feed(buf, p, end);
        if (!value.done()) {
          return p;
        }
      }
      if (tvpColumn == tvpKinds.length) {
        state = TVP_ROW;
        return p;
      }
      value.start(tvpKinds[tvpColumn++], null);
    }
  }
}
