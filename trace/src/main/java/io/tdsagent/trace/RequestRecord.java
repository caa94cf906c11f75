package io.tdsagent.trace;

import static io.tdsagent.trace.TdsAttributes.*;

import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.tds.request.BulkLoadRequest;
import io.tdsagent.tds.request.Request;
import io.tdsagent.tds.request.RpcCall;
import io.tdsagent.tds.request.RpcRequest;
import io.tdsagent.tds.request.SqlBatch;
import io.tdsagent.tds.request.TransactionManagerRequest;
import io.tdsagent.tds.token.ServerMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One request and its answer as the driver's thread saw them: decoded objects and clock readings,
 * nothing derived. Everything a request span shows is derived from it on the export thread ({@link
 * #complete}), so the driver's thread pays for one small object per request, not for attribute
 * maps, events and SQL naming.
 */
final class RequestRecord implements SpanPlan.Deferred {
  private static final Map<String, Object> NONE = Collections.emptyMap();

  private final ConnectionInfo.Snapshot connection;
  private final Request request;
  private final long requestBytes;
  private final long start;
  private final long requestEnd;
  private final long firstResponse;
  private final long attention;
  private final ResponseEndEvent end;
  private final List<ServerMessage> messages;
  private final long notTracedBefore;

  /** When the server closed the connection before the answer ended; -1: it did not. */
  private final long serverClosed;

  private final boolean serverReset;
  private final boolean driverInternal;
  private final String decodeError;

  RequestRecord(
      ConnectionInfo.Snapshot connection,
      Request request,
      long requestBytes,
      long start,
      long requestEnd,
      long firstResponse,
      long attention,
      ResponseEndEvent end,
      List<ServerMessage> messages,
      long notTracedBefore,
      long serverClosed,
      boolean serverReset,
      boolean driverInternal,
      String decodeError) {
    this.connection = connection;
    this.request = request;
    this.requestBytes = requestBytes;
    this.start = start;
    this.requestEnd = requestEnd;
    this.firstResponse = firstResponse;
    this.attention = attention;
    this.end = end;
    this.messages = messages;
    this.notTracedBefore = notTracedBefore;
    this.serverClosed = serverClosed;
    this.serverReset = serverReset;
    this.driverInternal = driverInternal;
    this.decodeError = decodeError;
  }

  @Override
  public void complete(SpanPlan.Builder b) {
    b.attr(DB_SYSTEM_NAME, DB_SYSTEM_NAME_VALUE)
        .attr(SERVER_ADDRESS, connection.host())
        .attr(SERVER_PORT, connection.host() == null ? null : (long) connection.port())
        .attr(DB_NAMESPACE, connection.database())
        .attr(CLIENT_CONNECTION_ID, connection.clientConnectionId())
        .attr(REQUEST_TYPE, request.packetType().name())
        .attr(REQUEST_BYTES, requestBytes)
        .attr(RESPONSE_BYTES, end.responseBytes())
        .attr(RESULT_SETS, (long) end.resultSetCount());
    if (end.cancelRequested()) {
      // The driver discards what arrives after its ATTENTION: the application got none of these
      // rows.
      b.attr(ROWS_BEFORE_CANCEL, end.rowCount());
    } else {
      b.attr(RETURNED_ROWS, end.rowCount());
    }
    if (end.resultSetCount() == 0 && end.doneRowCount() > 0) {
      b.attr(ROWS_AFFECTED, end.doneRowCount());
    }
    describe(b);
    if (driverInternal) {
      b.attr(DRIVER_INTERNAL, true);
    }
    b.attr(DECODE_ERROR, decodeError);
    if (notTracedBefore > 0) {
      b.attr(NOT_TRACED_BEFORE, notTracedBefore);
    }
    if (end.hasReturnStatus()) {
      b.attr(RETURN_STATUS, (long) end.returnStatus());
    }
    if (!end.outputParameters().isEmpty()) {
      b.attr(OUTPUT_PARAMETERS, new ArrayList<>(end.outputParameters()));
    }
    // A request written in one go was sent when it started: the event would only repeat the span's
    // start.
    if (requestEnd > start) {
      b.event("tds.request.sent", requestEnd, NONE);
    }
    if (firstResponse >= 0) {
      b.event("tds.response.first_byte", firstResponse, NONE);
    }
    if (attention >= 0) {
      b.event("tds.attention.sent", attention, NONE);
    }
    b.event("tds.response.end", end.timeNanos(), NONE);
    if (end.cancelRequested()) {
      b.attr(CANCELLED, true).attr(ATTENTION_ACKNOWLEDGED, end.attentionAcknowledged());
      if (end.attentionAcknowledged()) {
        b.event("tds.attention.acknowledged", end.timeNanos(), NONE);
      }
    }
    ServerMessage error = end.firstError();
    for (ServerMessage m : messages) {
      if (m != error) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(MESSAGE_NUMBER, m.number());
        a.put(ERROR_CLASS, (long) m.severity());
        a.put(MESSAGE_TEXT, m.message());
        b.event(m.severity() >= 11 ? "tds.error" : "tds.info", end.timeNanos(), a);
      }
    }
    if (serverClosed >= 0) {
      CloseEvent.serverFirst(b, serverClosed, serverReset);
      if (error == null) {
        b.error(
            "the server "
                + (serverReset ? "reset" : "closed")
                + " the connection before the response ended");
      }
    }
    if (error == null && serverClosed < 0 && end.cancelRequested()) {
      // The application's statement ended with "The query was canceled" (SQLSTATE HY008), not with
      // a result.
      b.error("cancelled by the client (ATTENTION)").attr(ERROR_TYPE, "cancelled");
    }
    if (!end.complete() && !end.cancelRequested() && error == null) {
      // The connection closed, or the bytes could not be followed, before the response's final
      // DONE.
      b.attr(RESPONSE_COMPLETE, false);
      if (serverClosed < 0) {
        b.error("the response ended before its final DONE").attr(ERROR_TYPE, "response_incomplete");
      }
    }
    if (error != null) {
      b.error(error.message())
          .attr(DB_RESPONSE_STATUS_CODE, Long.toString(error.number()))
          .attr(ERROR_TYPE, Long.toString(error.number()))
          .attr(ERROR_STATE, (long) error.state())
          .attr(ERROR_CLASS, (long) error.severity())
          .attr(ERROR_MESSAGE, error.message());
    }
  }

  /** The name and what the request was: SQL text (raw or sanitised), procedure, or TM request. */
  private void describe(SpanPlan.Builder b) {
    if (request instanceof SqlBatch) {
      SqlBatch batch = (SqlBatch) request;
      QueryNaming.sql(batch.text(), connection.rawSql()).complete(b);
      if (batch.isTextTruncated()) {
        b.attr(QUERY_TRUNCATED, true);
      }
    } else if (request instanceof RpcRequest) {
      RpcRequest rpc = (RpcRequest) request;
      List<RpcCall> calls = rpc.calls();
      RpcCall call = calls.isEmpty() ? null : calls.get(0);
      String proc =
          call == null
              ? null
              : call.wellKnown() != null ? call.wellKnown().procName() : call.procName();
      b.attr(RPC_PROCEDURE, proc);
      if (rpc.callCount() > 1) {
        b.attr(RPC_CALLS, (long) rpc.callCount());
      }
      if (call != null) {
        b.attr(RPC_PARAMETER_COUNT, (long) call.parameterCount());
      }
      if (call != null && call.statementText() != null) {
        QueryNaming.sql(call.statementText(), connection.rawSql()).complete(b);
      } else if (call != null && call.wellKnown() == null) {
        QueryNaming.storedProcedure(proc).complete(b);
      } else {
        b.name(proc == null ? "RPC" : proc);
      }
    } else if (request instanceof TransactionManagerRequest) {
      b.name(((TransactionManagerRequest) request).requestTypeName());
    } else if (request instanceof BulkLoadRequest) {
      b.name("BULK INSERT");
    } else {
      b.name(request.packetType().name());
    }
  }
}
