package io.tdsagent.trace;

import io.tdsagent.tds.event.RequestEvent;
import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.tds.event.ResponseStartEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.request.AttentionRequest;
import io.tdsagent.tds.request.Request;
import io.tdsagent.tds.token.ServerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * After the login: one span per request the driver sends, from its first byte to the end of the
 * server's answer, with events at the first response byte and at the end, so server time and
 * transfer time can be told apart. Only the request's own values are kept (bounded); the SQL text
 * is sanitised and summarised on the export thread, not here.
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
  private final RequestAdmission admission;

  /**
   * When the server closed (or reset) the connection while a request was in flight; -1: it did not.
   */
  private long serverClosed = -1;

  private boolean serverReset;

  /** Requests on this connection not traced (over the budget) since the last one that was. */
  private long notTraced;

  /**
   * Whether a request starting now is the driver's own (asked on the driver's thread); never null.
   */
  private java.util.function.BooleanSupplier driverInternal = () -> false;

  private boolean internal;

  /** The driver threw to the application while this request was in flight: applied when it ends. */
  private AppOutcome appOutcome;

  /** Why the decoder could not follow this request's response; null when it could. */
  private String decodeError;

  RequestTracer(
      ConnectionInfo connection,
      Consumer<SpanPlan> sink,
      Supplier<SpanPlan.RemoteParent> appContext,
      RequestAdmission admission) {
    this.connection = connection;
    this.sink = sink;
    this.appContext = appContext;
    this.admission = admission;
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
      serverClosed = -1;
      messages.clear();
      appOutcome = null;
      decodeError = null;
      internal = driverInternal.getAsBoolean();
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
    } else if (e instanceof io.tdsagent.tds.event.DecodeErrorEvent && decodeError == null) {
      io.tdsagent.tds.event.DecodeErrorEvent d = (io.tdsagent.tds.event.DecodeErrorEvent) e;
      decodeError = d.layer() + ": " + d.reason();
    } else if (e instanceof ResponseEndEvent) {
      finish((ResponseEndEvent) e);
      request = null;
    }
  }

  void driverInternal(java.util.function.BooleanSupplier s) {
    driverInternal = s;
  }

  /** True when a request is in flight; its span will carry {@code outcome}. */
  boolean applicationFailed(AppOutcome outcome) {
    if (request == null) {
      return false;
    }
    appOutcome = outcome;
    return true;
  }

  void serverClosed(long now, boolean reset) {
    if (request != null && serverClosed < 0) {
      serverClosed = now;
      serverReset = reset;
    }
  }

  /**
   * The channel closed. A request the server closed the connection on before answering at all has
   * had no response end from the decoder (it ends a response only once one began): it ends here,
   * unanswered.
   */
  void closed(long now) {
    if (request != null && serverClosed >= 0) {
      finish(
          new ResponseEndEvent(
              request,
              now,
              0,
              0,
              0,
              0,
              0,
              0,
              null,
              false,
              0,
              java.util.Collections.emptyList(),
              attention >= 0,
              false,
              null,
              false,
              now));
      request = null;
    }
  }

  /**
   * Only the record is made here, on the driver's thread: its attributes, events and name are made
   * from it on the export thread ({@link RequestRecord}).
   */
  private void finish(ResponseEndEvent end) {
    boolean closedByServer = serverClosed >= 0 && !end.complete();
    boolean notable =
        end.failed()
            || end.cancelRequested()
            || !end.complete()
            || closedByServer
            || appOutcome != null;
    if (!admission.admit(start, end.timeNanos(), notable)) {
      notTraced++;
      return;
    }
    List<ServerMessage> kept =
        messages.isEmpty() ? java.util.Collections.emptyList() : new ArrayList<>(messages);
    RequestRecord record =
        new RequestRecord(
            connection.snapshot(),
            request,
            requestBytes,
            start,
            requestEnd,
            firstResponse,
            attention,
            end,
            kept,
            notTraced,
            closedByServer ? serverClosed : -1,
            serverReset,
            internal,
            decodeError);
    notTraced = 0;
    SpanPlan plan =
        SpanPlan.builder("", start)
            .kind(SpanPlan.Kind.CLIENT)
            .parent(parent)
            .end(end.timeNanos())
            .link(connection.loginLink())
            .deferred(record)
            .build();
    sink.accept(appOutcome == null ? plan : plan.andThen(appOutcome));
    appOutcome = null;
  }
}
