package io.tdsagent.tds.request;

import io.tdsagent.tds.packet.PacketType;
import io.tdsagent.tds.response.TokenHandler;
import io.tdsagent.tds.response.TokenStreamParser;
import io.tdsagent.tds.token.ColMetadata;
import io.tdsagent.tds.token.Token;
import io.tdsagent.tds.types.TextCapture;
import io.tdsagent.tds.types.ValueSkipper;
import io.tdsagent.tds.wire.BoundedBuffer;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import io.tdsagent.tds.wire.ElementCarry;

/**
 * Decodes one client request message at a time as its payload streams by: {@link #start}, any
 * number of {@link #feed}s, then {@link #finish} at EOM. Headers and parameter metadata are parsed
 * from the chunk in place, or from a carry-over buffer (capped) when a chunk boundary cuts them;
 * batch text is kept up to a character limit. An RPC request's body is read by {@link
 * RpcRequestReader}: parameter values are stepped over by a {@link ValueSkipper} and never kept
 * unless a bounded rendering was opted into. Never throws; problems are reported by {@link
 * #errors()} and make the request incomplete. Not thread-safe; reusable.
 */
public final class RequestDecoder {
  private static final int HEADERS = 0;
  private static final int TEXT = 1;
  private static final int RPC = 2;
  private static final int TRANSACTION_MANAGER = 3;
  private static final int BULK = 4;
  private static final int IGNORE = 5;
  private static final int FAILED = 6;

  private final int maxQueryTextChars;

  /** Elements parsed whole; one cut by a chunk boundary is held and parsed again. */
  private final ElementCarry elements;

  private final BoundedBuffer carry;
  private final RpcRequestReader rpc;
  private int tdsVersion;

  private PacketType type;
  private int state;
  private String error;

  private AllHeaders headers;
  private TextCapture text;

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
                // twice the bytes, so the attempts at one element cost at most about twice its
                // length whatever the chunking
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
    this.rpc =
        new RpcRequestReader(
            maxQueryTextChars,
            maxParameterValueChars,
            maxParameters,
            reason -> {
              if (error == null) {
                error = reason;
              }
            });
  }

  /** Negotiated TDS version; 0 if unknown (decoded as 7.2 or later). */
  public void tdsVersion(int version) {
    this.tdsVersion = version;
    rpc.tdsVersion(version);
  }

  public void start(PacketType messageType) {
    type = messageType;
    error = null;
    headers = null;
    text = null;
    rpc.reset();
    bulkColumns = null;
    bulkRows = 0;
    bulkError = null;
    carry.clear();
    elements.resetRetry();
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
          case RPC:
            p = rpc.inValue() ? rpc.feedValue(buf, p, end) : element(buf, p, end);
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
    rpc.resetValue();
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
      rpc.resetValue();
      elements.resetRetry();
    }
  }

  private boolean isElementState() {
    switch (state) {
      case RPC:
        return !rpc.inValue();
      case TEXT:
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
          boolean complete = state == RPC && rpc.atEnd(carry.size() == 0);
          if (state != HEADERS && !(state == RPC && rpc.atCallStart())) {
            rpc.endCall();
          }
          if (!complete && error == null) {
            error = "RPC request ended inside " + stateName();
          }
          return new RpcRequest(headers, rpc.calls(), rpc.callCount(), complete && error == null);
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
      case RPC:
        return rpc.position();
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
      case RPC:
        rpc.parseElement(r);
        return;
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
      state = RPC;
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
}
