package io.tdsagent.trace;

import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.SmpSessionEvent;
import io.tdsagent.tds.event.SmpTdsEvent;
import io.tdsagent.tds.event.SmpWindowStallEvent;
import io.tdsagent.tds.event.TdsEvent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * MARS: one {@code mars session} span per SMP session (SID), from SYN to FIN, with the requests it
 * carried as children and window stalls as events. A session's requests are held in its plan until
 * the FIN (at most {@link #MAX_REQUESTS}; beyond that they are counted, not kept), so the children
 * can be exported with their parent.
 */
final class MarsSessions {
  static final int MAX_REQUESTS = 256;

  private final ConnectionInfo connection;
  private final Consumer<SpanPlan> sink;
  private final Supplier<SpanPlan.RemoteParent> appContext;
  private final RequestAdmission admission;
  private final Map<Integer, Session> open = new HashMap<>();

  MarsSessions(
      ConnectionInfo connection,
      Consumer<SpanPlan> sink,
      Supplier<SpanPlan.RemoteParent> appContext,
      RequestAdmission admission) {
    this.admission = admission;
    this.connection = connection;
    this.sink = sink;
    this.appContext = appContext;
  }

  void onEvent(TdsEvent e) {
    if (e instanceof SmpSessionEvent) {
      SmpSessionEvent s = (SmpSessionEvent) e;
      if (s.kind() == SmpSessionEvent.Kind.OPENED) {
        open.put(s.sid(), new Session(s));
      } else {
        Session session = open.remove(s.sid());
        if (session != null) {
          session.close(s);
        }
      }
    } else if (e instanceof SmpWindowStallEvent) {
      SmpWindowStallEvent w = (SmpWindowStallEvent) e;
      Session session = open.get(w.sid());
      if (session != null) {
        session.stall(w);
      }
    } else if (e instanceof SmpTdsEvent) {
      SmpTdsEvent t = (SmpTdsEvent) e;
      Session session = open.get(t.sid());
      if (session != null) {
        session.requests.onEvent(t.event());
      }
    }
  }

  /** The connection ended: sessions still open end with it. */
  void closeAll(long nowNanos) {
    for (Session s : open.values()) {
      s.plan.end(nowNanos).attr("tds.smp.closed_by", "connection_close");
      sink.accept(s.plan.build());
    }
    open.clear();
  }

  private final class Session {
    final SpanPlan.Builder plan;
    final RequestTracer requests;
    int kept;
    int dropped;

    Session(SmpSessionEvent opened) {
      plan =
          SpanPlan.builder("mars session", opened.openNanos())
              .kind(SpanPlan.Kind.INTERNAL)
              .parent(appContext.get())
              .link(connection.loginLink())
              .attr("tds.smp.sid", (long) opened.sid())
              .attr("tds.smp.joined", opened.joined())
              .attr(TdsAttributes.DB_SYSTEM_NAME, TdsAttributes.DB_SYSTEM_NAME_VALUE)
              .attr(TdsAttributes.SERVER_ADDRESS, connection.snapshot().host())
              .attr(TdsAttributes.CLIENT_CONNECTION_ID, connection.snapshot().clientConnectionId());
      requests = new RequestTracer(connection, this::request, () -> null, admission);
    }

    void request(SpanPlan p) {
      if (kept < MAX_REQUESTS) {
        plan.child(p);
        kept++;
      } else {
        dropped++;
      }
    }

    void stall(SmpWindowStallEvent w) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("tds.smp.waiting_side", w.sender() == Direction.CLIENT_TO_SERVER ? "client" : "server");
      a.put("tds.smp.seqnum", w.seqNum());
      a.put("tds.smp.stall_ms", w.durationNanos() / 1_000_000.0);
      a.put("tds.smp.resolved", w.resolved());
      plan.event("tds.smp.window_stall", w.startNanos(), a);
    }

    void close(SmpSessionEvent closed) {
      // no FIN at all: the session ended with its connection (FreeTDS never FINs its first session)
      String by =
          closed.firstFin() == null
              ? "connection_close"
              : closed.firstFin() == Direction.CLIENT_TO_SERVER ? "client" : "server";
      plan.end(closed.timeNanos())
          .attr("tds.smp.closed_by", by)
          .attr("tds.smp.fin_both_ways", closed.finBothWays())
          .attr("tds.smp.requests", (long) (kept + dropped));
      if (dropped > 0) {
        plan.attr("tds.smp.requests_not_kept", (long) dropped);
      }
      sink.accept(plan.build());
    }
  }
}
