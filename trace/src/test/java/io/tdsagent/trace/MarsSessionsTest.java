package io.tdsagent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.SmpSessionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a {@code mars session} span says its session ended. */
class MarsSessionsTest {
  private final List<SpanPlan> plans = new ArrayList<>();
  private final ConnectionTracer tracer =
      ConnectionTracer.fromConnect("db", 1433, 0, false, plans::add, () -> null);

  private SpanPlan session(int sid, Direction firstFin, boolean both) {
    tracer.onEvent(
        new SmpSessionEvent(SmpSessionEvent.Kind.OPENED, sid, 10, false, null, false, 0, 0, 10));
    tracer.onEvent(
        new SmpSessionEvent(SmpSessionEvent.Kind.CLOSED, sid, 10, false, firstFin, both, 2, 3, 50));
    return plans.stream()
        .filter(
            p ->
                p.name().equals("mars session")
                    && Long.valueOf(sid).equals(p.attributes().get("tds.smp.sid")))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void finFromTheClientOrTheServer() {
    assertEquals(
        "client",
        session(1, Direction.CLIENT_TO_SERVER, true).attributes().get("tds.smp.closed_by"));
    assertEquals(
        "server",
        session(2, Direction.SERVER_TO_CLIENT, false).attributes().get("tds.smp.closed_by"));
  }

  /**
   * FreeTDS sends no FIN for a connection's first session: it closes TCP, and the decoder closes
   * the session with no FIN seen. That is not the server closing it.
   */
  @Test
  void sessionEndedWithItsConnection() {
    SpanPlan p = session(0, null, false);
    assertEquals("connection_close", p.attributes().get("tds.smp.closed_by"));
    assertEquals(false, p.attributes().get("tds.smp.fin_both_ways"));
    assertEquals(50L, p.endNanos());
  }
}
