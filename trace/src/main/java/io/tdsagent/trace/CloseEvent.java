package io.tdsagent.trace;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who closed a connection first, on the span that was in flight: {@code tds.connection.closed_by}
 * and a {@code tds.connection.closed} event ({@code fin} for the end of the stream, {@code rst} for
 * a reset). A server that closes first during a login or a request is abnormal; the span's status
 * says so.
 */
final class CloseEvent {
  static final String CLOSED_BY = "tds.connection.closed_by";
  static final String EVENT = "tds.connection.closed";

  private CloseEvent() {}

  static void serverFirst(SpanPlan.Builder b, long nanos, boolean reset) {
    add(b, "server", nanos, reset ? "rst" : "fin");
  }

  static void add(SpanPlan.Builder b, String closedBy, long nanos, String how) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put(CLOSED_BY, closedBy);
    if (how != null) {
      a.put("tds.connection.close", how);
    }
    b.attr(CLOSED_BY, closedBy).event(EVENT, nanos, a);
  }
}
