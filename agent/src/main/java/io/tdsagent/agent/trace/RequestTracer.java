package io.tdsagent.agent.trace;

import static io.tdsagent.agent.trace.TdsAttributes.*;

import io.tdsagent.tds.event.RequestEvent;
import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.tds.event.ResponseStartEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.request.AttentionRequest;
import io.tdsagent.tds.request.BulkLoadRequest;
import io.tdsagent.tds.request.Request;
import io.tdsagent.tds.request.RpcCall;
import io.tdsagent.tds.request.RpcRequest;
import io.tdsagent.tds.request.SqlBatch;
import io.tdsagent.tds.request.TransactionManagerRequest;
import io.tdsagent.tds.token.ServerMessage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * After the login: one span per request the driver sends, from its first byte to the end of the
 * server's answer, with events at the first response byte and at the end, so server time and
 * transfer time can be told apart. Only the request's own values are kept (bounded); the SQL
 * text is sanitised and summarised on the export thread, not here.
 */
final class RequestTracer {
  private static final int MAX_MESSAGES = 8;

  private final ConnectionInfo connection;
  private final Consumer<SpanPlan> sink;
  private final Supplier<SpanPlan.RemoteParent> appContext;

  private Request request;
  private long start;
  private long requestEnd;
  private long firstResponse = -1;
  private long attention = -1;
  private long requestBytes;
  private SpanPlan.RemoteParent parent;
  private final List<ServerMessage> messages = new ArrayList<>();

  RequestTracer(ConnectionInfo connection, Consumer<SpanPlan> sink, Supplier<SpanPlan.RemoteParent> appContext) {
    this.connection = connection;
    this.sink = sink;
    this.appContext = appContext;
  }

  void onEvent(TdsEvent e) {
    if (e instanceof RequestEvent) {
      RequestEvent r = (RequestEvent) e;
      if (r.request() instanceof AttentionRequest) {
        attention = r.firstByteNanos();
        return;
      }
      if (r.ignored()) {
        return;
      }
      request = r.request();
      start = r.firstByteNanos();
      requestEnd = r.lastByteNanos();
      requestBytes = r.messageBytes();
      firstResponse = -1;
      attention = -1;
      messages.clear();
      // On the application's thread: its current span is the request's parent.
      parent = appContext.get();
    } else if (request == null) {
      return;
    } else if (e instanceof ResponseStartEvent) {
      firstResponse = e.timeNanos();
    } else if (e instanceof TokenEvent) {
      Object t = ((TokenEvent) e).token();
      if (t instanceof ServerMessage && messages.size() < MAX_MESSAGES) {
        messages.add((ServerMessage) t);
      }
    } else if (e instanceof ResponseEndEvent) {
      finish((ResponseEndEvent) e);
      request = null;
    }
  }

  private void finish(ResponseEndEvent end) {
    SpanPlan.Builder b = SpanPlan.builder("", start).kind(SpanPlan.Kind.CLIENT).parent(parent)
        .end(end.timeNanos()).link(connection.loginPlan())
        .attr(DB_SYSTEM_NAME, DB_SYSTEM_NAME_VALUE)
        .attr(SERVER_ADDRESS, connection.host())
        .attr(SERVER_PORT, connection.host() == null ? null : (long) connection.port())
        .attr(DB_NAMESPACE, connection.database())
        .attr(CLIENT_CONNECTION_ID, connection.clientConnectionId())
        .attr(REQUEST_TYPE, request.getPacketType().name())
        .attr(REQUEST_BYTES, requestBytes)
        .attr(RESPONSE_BYTES, end.responseBytes())
        .attr(RETURNED_ROWS, end.rowCount())
        .attr(RESULT_SETS, (long) end.resultSetCount());
    if (end.resultSetCount() == 0 && end.doneRowCount() > 0) {
      b.attr(ROWS_AFFECTED, end.doneRowCount());
    }
    describe(b);
    if (end.hasReturnStatus()) {
      b.attr(RETURN_STATUS, (long) end.returnStatus());
    }
    if (!end.outputParameters().isEmpty()) {
      b.attr(OUTPUT_PARAMETERS, new ArrayList<>(end.outputParameters()));
    }
    Map<String, Object> none = new LinkedHashMap<>();
    b.event("tds.request.sent", requestEnd, none);
    if (firstResponse >= 0) {
      b.event("tds.response.first_byte", firstResponse, none);
    }
    if (attention >= 0) {
      b.event("tds.attention.sent", attention, none);
    }
    b.event("tds.response.end", end.timeNanos(), none);
    if (end.cancelRequested()) {
      b.attr(CANCELLED, true).attr(ATTENTION_ACKNOWLEDGED, end.attentionAcknowledged());
    }
    ServerMessage error = end.firstError();
    for (ServerMessage m : messages) {
      if (m != error) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(MESSAGE_NUMBER, m.getNumber());
        a.put(ERROR_CLASS, (long) m.getSeverity());
        a.put(MESSAGE_TEXT, m.getMessage());
        b.event(m.getSeverity() >= 11 ? "tds.error" : "tds.info", end.timeNanos(), a);
      }
    }
    if (error != null) {
      b.error(error.getMessage())
          .attr(DB_RESPONSE_STATUS_CODE, Long.toString(error.getNumber()))
          .attr(ERROR_TYPE, Long.toString(error.getNumber()))
          .attr(ERROR_STATE, (long) error.getState())
          .attr(ERROR_CLASS, (long) error.getSeverity())
          .attr(ERROR_MESSAGE, error.getMessage());
    }
    sink.accept(b.build());
  }

  /** The name and what the request was: SQL text (raw or sanitised later), procedure, or TM request. */
  private void describe(SpanPlan.Builder b) {
    if (request instanceof SqlBatch) {
      SqlBatch batch = (SqlBatch) request;
      b.deferred(QueryNaming.sql(batch.getText(), connection.rawSql()));
      if (batch.isTextTruncated()) {
        b.attr(QUERY_TRUNCATED, true);
      }
    } else if (request instanceof RpcRequest) {
      List<RpcCall> calls = ((RpcRequest) request).getCalls();
      RpcCall call = calls.isEmpty() ? null : calls.get(0);
      String proc = call == null ? null : call.getWellKnown() != null ? call.getWellKnown().procName() : call.getProcName();
      b.attr(RPC_PROCEDURE, proc);
      if (calls.size() > 1) {
        b.attr(RPC_CALLS, (long) calls.size());
      }
      if (call != null) {
        b.attr(RPC_PARAMETER_COUNT, (long) call.getParameterCount());
      }
      if (call != null && call.getStatementText() != null) {
        b.deferred(QueryNaming.sql(call.getStatementText(), connection.rawSql()));
      } else if (call != null && call.getWellKnown() == null) {
        b.deferred(QueryNaming.storedProcedure(proc));
      } else {
        b.name(proc == null ? "RPC" : proc);
      }
    } else if (request instanceof TransactionManagerRequest) {
      b.name(((TransactionManagerRequest) request).getRequestTypeName());
    } else if (request instanceof BulkLoadRequest) {
      b.name("BULK INSERT");
    } else {
      b.name(request.getPacketType().name());
    }
  }
}
