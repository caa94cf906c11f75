package io.tdsagent.tds.request;

import io.tdsagent.tds.login.TdsVersion;
import io.tdsagent.tds.packet.PacketType;
import io.tdsagent.tds.response.TokenHandler;
import io.tdsagent.tds.response.TokenStreamParser;
import io.tdsagent.tds.token.ColMetadata;
import io.tdsagent.tds.token.Token;
import io.tdsagent.tds.types.TdsDataType;
import io.tdsagent.tds.types.TextCapture;
import io.tdsagent.tds.types.TypeInfo;
import io.tdsagent.tds.types.TypeInfoReader;
import io.tdsagent.tds.types.ValueRenderer;
import io.tdsagent.tds.types.ValueSkipper;
import io.tdsagent.tds.wire.BoundedBuffer;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import io.tdsagent.tds.wire.ElementCarry;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one client request message at a time as its payload streams by: {@link #start}, any
 * number of {@link #feed}s, then {@link #finish} at EOM. Headers and parameter metadata are parsed
 * from the chunk in place, or from a carry-over buffer (capped) when a chunk boundary cuts them;
 * batch text is kept up to a character limit; parameter values are stepped over by a {@link
 * ValueSkipper} and never kept unless a bounded rendering was opted into. Never throws; problems
 * are reported by {@link #errors()} and make the request incomplete. Not thread-safe; reusable.
 */
public final class RequestDecoder {
  private static final int HEADERS = 0;
  private static final int TEXT = 1;
  private static final int RPC_NAME = 2;
  private static final int PARAM_OR_SEPARATOR = 3;
  private static final int PARAM_META = 4;
  private static final int PARAM_VALUE = 5;
  private static final int PARAM_CIPHER = 6;
  private static final int TVP_ROW = 7;
  private static final int TVP_VALUES = 8;
  private static final int TRANSACTION_MANAGER = 9;
  private static final int BULK = 10;
  private static final int IGNORE = 11;
  private static final int FAILED = 12;

  private static final int TVP_TOKEN_ROW = 0x01;
  private static final int TVP_FLAG_DEFAULT = 0x0200;

  private final int maxQueryTextChars;
  private final int maxParameterValueChars;
  private final int maxParameters;

  /** Elements parsed whole; one cut by a chunk boundary is held and parsed again. */
  private final ElementCarry elements;

  private final BoundedBuffer carry;
  private final ValueSkipper value = new ValueSkipper();
  private int tdsVersion;

  private PacketType type;
  private int state;
  private String error;

  private AllHeaders headers;
  private TextCapture text;

  // RPC
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

  // bulk load
  private TokenStreamParser bulk;
  private ColMetadata bulkColumns;
  private long bulkRows;
  private String bulkError;

  public RequestDecoder(
      int maxCarryBytes, int maxQueryTextChars, int maxParameterValueChars, int maxParameters) {
    this.elements =
        new ElementCarry(
            new ElementCarry.Owner() {
              @Override
              public boolean parse(ByteReader r, byte[] buf, int off) {
                parseElement(r);
                return true;
              }

              @Override
              public long retryPoint(int code, int held, long needed) {
                // an element's size shows only as it is parsed (a TVP's column list): wait for
                // twice the bytes, so
                // the attempts at one element cost at most about twice its length whatever the
                // chunking
                return Math.max(needed, 2L * held);
              }

              @Override
              public void tooLong(int code) {
                fail("request element longer than " + carry.cap() + " bytes");
              }

              @Override
              public void refeed(byte[] rest) {
                feed(rest, 0, rest.length);
              }
            },
            maxCarryBytes);
    this.carry = elements.buffer();
    this.maxQueryTextChars = maxQueryTextChars;
    this.maxParameterValueChars = maxParameterValueChars;
    this.maxParameters = maxParameters;
  }

  /** Negotiated TDS version; 0 if unknown (decoded as 7.2 or later). */
  public void tdsVersion(int version) {
    this.tdsVersion = version;
  }

  private boolean tds72() {
    return tdsVersion == 0 || TdsVersion.atLeast72(tdsVersion);
  }

  public void start(PacketType messageType) {
    type = messageType;
    error = null;
    headers = null;
    text = null;
    calls.clear();
    params = null;
    statement = null;
    valueCapture = null;
    bulkColumns = null;
    bulkRows = 0;
    bulkError = null;
    carry.clear();
    elements.resetRetry();
    value.reset();
    switch (messageType) {
      case SQL_BATCH:
      case RPC:
        state = HEADERS;
        break;
      case TRANSACTION_MANAGER:
        state = TRANSACTION_MANAGER;
        break;
      case BULK_LOAD:
        state = BULK;
        bulkParser().tdsVersion(tdsVersion);
        break;
      default:
        state = IGNORE;
    }
  }

  /** The first error met in this message, or null. */
  public String errors() {
    return error != null ? error : bulkError;
  }

  public void feed(byte[] buf, int off, int len) {
    int p = off;
    int end = off + len;
    try {
      while (p < end) {
        switch (state) {
          case TEXT:
            text.onData(buf, p, end - p);
            return;
          case PARAM_VALUE:
            p = value.feed(buf, p, end);
            if (value.done()) {
              endParamValue();
            }
            break;
          case TVP_VALUES:
            p = tvpValues(buf, p, end);
            break;
          case BULK:
            bulk.feed(buf, p, end - p);
            return;
          case TRANSACTION_MANAGER:
            carry.append(
                buf, p, Math.min(end - p, carry.cap() - carry.size())); // parsed at the end
            return;
          case IGNORE:
          case FAILED:
            return;
          default:
            p = element(buf, p, end);
        }
      }
    } catch (RuntimeException e) {
      fail(e instanceof DecodeException ? e.getMessage() : "internal: " + e.getClass().getName());
    }
  }

  private void fail(String reason) {
    if (error == null) {
      error = reason;
    }
    state = FAILED;
    value.reset();
  }

  /**
   * Bytes read by element parses so far, failed attempts included (for tests of the cost's
   * linearity).
   */
  long bytesExamined() {
    return elements.examined();
  }

  /** The message ended: the request as far as it could be decoded. */
  public Request finish() {
    try {
      if (carry.size() > 0 && carry.size() < elements.retryAt() && isElementState()) {
        elements.resetRetry(); // a held element that may be whole: its last chance
        try {
          element(new byte[0], 0, 0);
        } catch (RuntimeException e) {
          fail(
              e instanceof DecodeException
                  ? e.getMessage()
                  : "internal: " + e.getClass().getName());
        }
      }
      return build();
    } catch (RuntimeException e) {
      fail(e instanceof DecodeException ? e.getMessage() : "internal: " + e.getClass().getName());
      return new OtherRequest(type);
    } finally {
      carry.clear();
      value.reset();
      elements.resetRetry();
    }
  }

  private boolean isElementState() {
    switch (state) {
      case TEXT:
      case PARAM_VALUE:
      case TVP_VALUES:
      case BULK:
      case TRANSACTION_MANAGER:
      case IGNORE:
      case FAILED:
        return false;
      default:
        return true;
    }
  }

  private Request build() {
    switch (type) {
      case SQL_BATCH:
        {
          if (state == HEADERS && carry.size() > 0) {
            // shorter than an ALL_HEADERS length field: a tiny 7.1-style batch
            text = new TextCapture(maxQueryTextChars, true);
            text.onData(carry.array(), 0, carry.size());
            state = TEXT;
          }
          boolean complete = state == TEXT || state == HEADERS;
          if (state == HEADERS) {
            text = new TextCapture(maxQueryTextChars, true);
          }
          if (text == null) {
            text = new TextCapture(0, true);
          }
          return new SqlBatch(
              headers,
              text.text(),
              text.totalChars(),
              text.isTruncated(),
              complete && error == null);
        }
      case RPC:
        {
          boolean complete =
              state == PARAM_OR_SEPARATOR
                  || state == RPC_NAME && carry.size() == 0 && !calls.isEmpty();
          if (state != RPC_NAME && state != HEADERS) {
            endCall();
          }
          if (!complete && error == null) {
            error = "RPC request ended inside " + stateName();
          }
          return new RpcRequest(headers, new ArrayList<>(calls), complete && error == null);
        }
      case TRANSACTION_MANAGER:
        return transactionManager();
      case BULK_LOAD:
        bulk.endOfMessage();
        return new BulkLoadRequest(bulkColumns, bulkRows, bulkError == null);
      case ATTENTION:
        return new AttentionRequest();
      default:
        return new OtherRequest(type);
    }
  }

  private String stateName() {
    switch (state) {
      case PARAM_VALUE:
      case TVP_VALUES:
      case TVP_ROW:
        return "a parameter value";
      case FAILED:
        return "an undecodable part";
      default:
        return "parameter metadata";
    }
  }

  // ---- elements: parsed whole from the chunk or from the carry-over buffer ---------------------

  private int element(byte[] buf, int p, int end) {
    return elements.step(buf, p, end);
  }

  private void parseElement(ByteReader r) {
    switch (state) {
      case HEADERS:
        allHeaders(r);
        return;
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
          if (token == TVP_TOKEN_ROW) {
            tvpColumn = 0;
            state = TVP_VALUES;
          } else if (token == 0) {
            addParam(false, 0, null); // TVP_END_TOKEN
            state = PARAM_OR_SEPARATOR;
          } else {
            throw new DecodeException("TVP row token 0x" + Integer.toHexString(token));
          }
          return;
        }
      default:
        throw new DecodeException("no element in state " + state);
    }
  }

  private void allHeaders(ByteReader r) {
    long total = r.u32le();
    AllHeaders h = null;
    if (AllHeadersReader.looksLikeAllHeaders(r, total)) {
      h = AllHeadersReader.parseAllHeaders(r.slice((int) total - 4));
    } else {
      r.seek(0); // 7.1 style: no ALL_HEADERS
    }
    headers = h;
    if (type == PacketType.SQL_BATCH) {
      text = new TextCapture(maxQueryTextChars, true);
      state = TEXT;
    } else {
      state = RPC_NAME;
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

  private void endCall() {
    if (procName == null) {
      return;
    }
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
    procName = null;
    if (calls.size() > maxParameters) {
      fail("more than " + maxParameters + " RPCs in one request");
    }
  }

  private void paramMeta(ByteReader r) {
    String name = r.bVarchar();
    int status = r.u8();
    if (r.peekU8() == TdsDataType.TVP.code()) {
      tvpMeta(r, name, status);
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
    if (paramCount == statementIndex && isText(ti.type())) {
      statement = new TextCapture(maxQueryTextChars, ti.type().isUnicode());
      sink = statement;
    } else if (maxParameterValueChars > 0 && paramCount < maxParameters) {
      valueCapture = valueCapture(Math.max(16, maxParameterValueChars * 2)); // whole numbers, GUIDs
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
    if (paramCount < maxParameters) {
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

  /** TVP_TYPE_INFO (MS-TDS 2.2.5.5.5.1) up to the TVP_END_TOKEN that closes the metadata. */
  private void tvpMeta(ByteReader r, String name, int status) {
    r.u8(); // TVPTYPE
    r.skip(r.u8() * 2); // DbName
    String schema = r.bVarchar();
    String typeName = r.bVarchar();
    int count = r.u16le();
    int[] layout;
    if (count == 0xFFFF) {
      layout = new int[0]; // TVP_NULL_TOKEN
    } else {
      int[] all = new int[count];
      int n = 0;
      for (int i = 0; i < count; i++) {
        r.skip(4); // UserType
        int flags = r.u16le();
        TypeInfo ti = TypeInfoReader.read(r, true);
        r.skip(r.u8() * 2); // ColName
        int kind = ValueSkipper.withoutTextPointer(ti.valueKind());
        if ((kind & 0xFF) == ValueSkipper.K_UNSUPPORTED) {
          throw new DecodeException("TVP column of type " + ti.typeName());
        }
        if ((flags & TVP_FLAG_DEFAULT) == 0) {
          all[n++] = kind; // fDefault columns are not sent in rows
        }
      }
      layout = java.util.Arrays.copyOf(all, n);
    }
    while (true) {
      int token = r.u8();
      if (token == 0) {
        break; // TVP_END_TOKEN
      } else if (token == 0x10) {
        r.skip(r.u16le() * 3); // TVP_ORDER_UNIQUE
      } else if (token == 0x11) {
        r.skip(r.u16le() * 2); // TVP_COLUMN_ORDERING
      } else {
        throw new DecodeException("TVP metadata token 0x" + Integer.toHexString(token));
      }
    }
    paramName = name;
    paramStatus = status;
    paramType = null;
    tvpName = schema.isEmpty() ? typeName : schema + "." + typeName;
    tvpKinds = layout;
    state = TVP_ROW;
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

  private Request transactionManager() {
    ByteReader r = carry.reader();
    AllHeaders h = null;
    int requestType = -1;
    int isolation = -1;
    boolean complete = true;
    try {
      long total = r.u32le();
      if (AllHeadersReader.looksLikeAllHeaders(r, total)) {
        h = AllHeadersReader.parseAllHeaders(r.slice((int) total - 4));
      } else {
        r.seek(0);
      }
      requestType = r.u16le();
      if (requestType == TransactionManagerRequest.TM_BEGIN_XACT) {
        isolation = r.u8();
      } else if (requestType == TransactionManagerRequest.TM_COMMIT_XACT
          || requestType == TransactionManagerRequest.TM_ROLLBACK_XACT) {
        r.skip(r.u8()); // XACT_NAME
        if ((r.u8() & 0x01) != 0) { // fBeginXact
          isolation = r.u8();
        }
      }
    } catch (DecodeException e) {
      complete = requestType >= 0 && requestType != TransactionManagerRequest.TM_BEGIN_XACT;
      if (!complete && error == null) {
        error = "transaction manager request: " + e.getMessage();
      }
    }
    return new TransactionManagerRequest(h, requestType, isolation, complete);
  }

  private TokenStreamParser bulkParser() {
    if (bulk == null) {
      bulk =
          new TokenStreamParser(
              new TokenHandler() {
                @Override
                public void onToken(Token token) {
                  if (token instanceof ColMetadata && bulkColumns == null) {
                    bulkColumns = (ColMetadata) token;
                  }
                }

                @Override
                public void onRow(int tokenType) {
                  bulkRows++;
                }

                @Override
                public void onError(String reason) {
                  if (bulkError == null) {
                    bulkError = "bulk load: " + reason;
                  }
                }
              },
              carry.cap());
    }
    return bulk;
  }

  private static ValueCapture valueCapture(int maxBytes) {
    return new ValueCapture(maxBytes);
  }
}
