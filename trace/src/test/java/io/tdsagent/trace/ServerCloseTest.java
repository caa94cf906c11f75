package io.tdsagent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.tds.event.RequestEvent;
import io.tdsagent.tds.request.SqlBatch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A request the server closes the connection on before answering ends as an ERROR span that says
 * so.
 */
class ServerCloseTest {
  @Test
  void anUnansweredRequestEndsAtTheCloseAsTheServers() {
    List<SpanPlan> plans = new ArrayList<>();
    ConnectionTracer t =
        ConnectionTracer.fromConnect(
            "db", 1433, 0, false, p -> plans.add(p.resolve()), () -> null, RequestAdmission.ALL);
    t.onEvent(new RequestEvent(new SqlBatch(null, "SELECT 1", 8, false, true), 10, 11, 30, false));
    t.serverClosed(20);
    t.closed(21);
    SpanPlan request = plans.get(plans.size() - 1);
    assertEquals(
        "server", request.attributes().get("tds.connection.closed_by"), request.toString());
    assertEquals(SpanPlan.Status.ERROR, request.status());
    assertEquals("tds.connection.closed", request.events().get(request.events().size() - 1).name());
  }
}
