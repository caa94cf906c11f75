package io.tdsagent.tds.conversation;

import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.RequestEvent;
import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.tds.event.ResponseStartEvent;
import io.tdsagent.tds.event.ResultSetEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.packet.PacketType;
import io.tdsagent.tds.request.AttentionRequest;
import io.tdsagent.tds.request.Request;
import io.tdsagent.tds.request.RequestDecoder;
import io.tdsagent.tds.response.TokenHandler;
import io.tdsagent.tds.response.TokenStreamParser;
import io.tdsagent.tds.token.ColMetadata;
import io.tdsagent.tds.token.Done;
import io.tdsagent.tds.token.ReturnStatus;
import io.tdsagent.tds.token.ReturnValue;
import io.tdsagent.tds.token.ServerMessage;
import io.tdsagent.tds.token.Token;
import io.tdsagent.tds.token.TokenType;
import java.util.ArrayList;
import java.util.List;

/**
 * After the login: pairs each client request with the server's response and turns them into events.
 * One request is outstanding at a time (no MARS). An Attention marks the outstanding request
 * cancelled; its response then lasts until the DONE with DONE_ATTN, possibly in a later message.
 *
 * <p>Per exchange the events are: RequestEvent (at the request's EOM), ResponseStartEvent (first
 * response byte), then in stream order TokenEvents (COLMETADATA, DONE*, ERROR/INFO, ENVCHANGE,
 * RETURNSTATUS, RETURNVALUE...) with a ResultSetEvent right after the token that closes each result
 * set, and finally ResponseEndEvent at the end of the message holding the final DONE.
 */
final class ExchangeTracker implements TokenHandler {
  private static final int ERROR_CLASS = 11;
  private static final int MAX_OUTPUT_NAMES = 64;

  private final EventSink sink;
  private final RequestDecoder requests;
  private final TokenStreamParser tokens;

  // client side
  private boolean inRequest;
  private long requestStart;
  private Request pending;
  private boolean pendingCancelled;

  // server side: the response being tracked
  private boolean inResponse;
  private Request request;
  private long responseStart;
  private long responseBytes;
  private long rows;
  private int resultSets;
  private long doneRows;
  private int errors;
  private int infos;
  private ServerMessage firstError;
  private boolean hasReturnStatus;
  private int returnStatus;
  private List<String> outputs;
  private boolean cancelRequested;
  private boolean attentionAcked;
  private Done finalDone;
  private boolean decodeError;
  // the open result set
  private ColMetadata columns;
  private long resultSetRows;

  ExchangeTracker(
      EventSink sink,
      DecoderLimits limits,
      int tdsVersion,
      boolean columnEncryption,
      int dataClassificationVersion) {
    this.sink = sink;
    this.requests =
        new RequestDecoder(
            limits.maxMessageBytes(),
            limits.maxQueryTextChars(),
            limits.maxParameterValueChars(),
            limits.maxRpcParameters());
    this.requests.tdsVersion(tdsVersion);
    this.tokens =
        new TokenStreamParser(this, limits.maxMessageBytes())
            .tdsVersion(tdsVersion)
            .columnEncryption(columnEncryption)
            .dataClassificationVersion(dataClassificationVersion);
  }

  // ---- client ----------------------------------------------------------------------------------

  void clientMessageStart(PacketType type, long start) {
    inRequest = true;
    requestStart = start;
    if (type != PacketType.ATTENTION && inResponse) {
      // a new request while a response was open: we missed its end; close it as incomplete
      decodeError = true;
      endResponse();
    }
    requests.start(type);
  }

  void clientPayload(byte[] buf, int off, int len) {
    if (inRequest) {
      requests.feed(buf, off, len);
    }
  }

  void clientMessageEnd(boolean ignored, long messageBytes) {
    if (!inRequest) {
      return;
    }
    inRequest = false;
    Request r = requests.finish();
    String error = requests.errors();
    if (error != null) {
      sink.emit(new DecodeErrorEvent(Direction.CLIENT_TO_SERVER, "request", error, sink.now()));
    }
    sink.emit(new RequestEvent(r, requestStart, sink.now(), messageBytes, ignored));
    if (r instanceof AttentionRequest) {
      if (inResponse) {
        cancelRequested = true;
      } else if (pending != null) {
        pendingCancelled = true;
      } else {
        pending = r; // nothing outstanding: the acknowledgement answers the attention itself
        pendingCancelled = true;
      }
      return;
    }
    pending = r;
    pendingCancelled = false;
  }

  // ---- server ----------------------------------------------------------------------------------

  /**
   * @return whether the message is followed (token streams only)
   */
  boolean serverMessageStart(PacketType type, long start) {
    if (type != PacketType.TABULAR_RESULT) {
      return false;
    }
    if (!inResponse) {
      startResponse(start);
    }
    return true;
  }

  private void startResponse(long start) {
    inResponse = true;
    request = pending;
    cancelRequested = pendingCancelled;
    pending = null;
    pendingCancelled = false;
    responseStart = start;
    responseBytes = 0;
    rows = 0;
    resultSets = 0;
    doneRows = 0;
    errors = 0;
    infos = 0;
    firstError = null;
    hasReturnStatus = false;
    outputs = null;
    attentionAcked = false;
    finalDone = null;
    decodeError = false;
    columns = null;
    sink.emit(new ResponseStartEvent(request, start));
  }

  void serverPayload(byte[] buf, int off, int len) {
    tokens.feed(buf, off, len);
  }

  void serverMessageEnd(long messageBytes) {
    tokens.endOfMessage();
    responseBytes += messageBytes;
    if (!inResponse) {
      return;
    }
    // after an Attention the response lasts until its acknowledgement, which may come in a later
    // message
    if (!cancelRequested || attentionAcked || decodeError) {
      endResponse();
    }
  }

  /**
   * {@code partialBytes}: what came of a server message the close cut short (headers included),
   * also counted.
   */
  void close(long partialBytes) {
    if (inResponse) {
      responseBytes += partialBytes;
      decodeError = true;
      endResponse();
    }
  }

  private void endResponse() {
    closeResultSet(null);
    inResponse = false;
    boolean complete = finalDone != null && !decodeError;
    sink.emit(
        new ResponseEndEvent(
            request,
            responseStart,
            responseBytes,
            rows,
            resultSets,
            doneRows,
            errors,
            infos,
            firstError,
            hasReturnStatus,
            returnStatus,
            outputs != null ? outputs : java.util.Collections.emptyList(),
            cancelRequested,
            attentionAcked,
            finalDone,
            complete,
            sink.now()));
    request = null;
    outputs = null;
  }

  private void closeResultSet(Done done) {
    if (columns != null) {
      ColMetadata c = columns;
      columns = null;
      sink.emit(new ResultSetEvent(c, resultSetRows, done, sink.now()));
    }
  }

  // ---- TokenHandler ----------------------------------------------------------------------------

  @Override
  public void onRow(int tokenType) {
    rows++;
    resultSetRows++;
  }

  @Override
  public void onToken(Token t) {
    if (!inResponse) {
      return; // tokens outside a TABULAR_RESULT we follow cannot happen; be safe
    }
    sink.emit(new TokenEvent(Direction.SERVER_TO_CLIENT, t, sink.now()));
    TokenType type = t.type();
    switch (type) {
      case COLMETADATA:
        {
          closeResultSet(null);
          ColMetadata m = (ColMetadata) t;
          if (m.columnCount() > 0 || m.isNoMetadata()) {
            columns = m;
            resultSetRows = 0;
            resultSets++;
          }
          break;
        }
      case DONE:
      case DONEPROC:
      case DONEINPROC:
        {
          Done d = (Done) t;
          if (d.isCount()) {
            doneRows += d.rowCount();
          }
          if (d.isAttn()) {
            attentionAcked = true;
          }
          closeResultSet(d);
          // DONEINPROC never ends a response; an RPC's ends with DONEPROC
          if (type != TokenType.DONEINPROC && !d.isMore() || d.isAttn()) {
            finalDone = d;
          }
          break;
        }
      case ERROR:
      case INFO:
        {
          ServerMessage m = (ServerMessage) t;
          if (m.isError()) {
            errors++;
            if (firstError == null && m.severity() >= ERROR_CLASS) {
              firstError = m;
            }
          } else {
            infos++;
          }
          break;
        }
      case RETURNSTATUS:
        hasReturnStatus = true;
        returnStatus = ((ReturnStatus) t).value();
        break;
      case RETURNVALUE:
        if (outputs == null) {
          outputs = new ArrayList<>(4);
        }
        if (outputs.size() < MAX_OUTPUT_NAMES) {
          outputs.add(((ReturnValue) t).name());
        }
        break;
      default:
        break;
    }
  }

  @Override
  public void onError(String reason) {
    decodeError = true;
    sink.emit(new DecodeErrorEvent(Direction.SERVER_TO_CLIENT, "token", reason, sink.now()));
  }
}
