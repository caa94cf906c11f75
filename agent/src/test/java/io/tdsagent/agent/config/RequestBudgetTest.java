package io.tdsagent.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.event.RequestEvent;
import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.tds.event.ResponseStartEvent;
import io.tdsagent.tds.request.SqlBatch;
import io.tdsagent.tds.token.Done;
import io.tdsagent.tds.token.ServerMessage;
import io.tdsagent.tds.token.TokenType;
import io.tdsagent.trace.ConnectionTracer;
import io.tdsagent.trace.SpanPlan;
import io.tdsagent.trace.TdsAttributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The span budget for ordinary requests, and what a request span says of the requests it left out.
 */
class RequestBudgetTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aRateWithOneSecondOfBurst() {
    RequestBudget b = new RequestBudget(10, 100);
    long t = 5 * SECOND;
    for (int i = 0; i < 10; i++) {
      assertTrue(b.admit(t, t + MS, false), "burst request " + i);
    }
    assertFalse(b.admit(t, t + MS, false), "the eleventh in the same instant");
    assertTrue(b.admit(t + 110 * MS, t + 111 * MS, false), "a tenth of a second later, one more");
    assertFalse(b.admit(t + 111 * MS, t + 112 * MS, false));
  }

  @Test
  void failedCancelledAndSlowRequestsAlwaysPass() {
    RequestBudget b = new RequestBudget(1, 100);
    long t = SECOND;
    assertTrue(b.admit(t, t + MS, false));
    assertFalse(b.admit(t, t + MS, false));
    assertTrue(b.admit(t, t + MS, true), "notable: failed, cancelled or cut short");
    assertTrue(b.admit(t, t + 100 * MS, false), "slow: at least tds.requests.slow_ms");
    assertFalse(b.admit(t, t + 99 * MS, false));
  }

  @Test
  void unlimitedAndZero() {
    RequestBudget all = new RequestBudget(-1, 100);
    RequestBudget none = new RequestBudget(0, 100);
    for (int i = 0; i < 100_000; i++) {
      assertTrue(all.admit(SECOND, SECOND + 1, false));
      assertFalse(none.admit(SECOND, SECOND + 1, false));
    }
    assertTrue(none.admit(SECOND, SECOND + 1, true));
  }

  /**
   * Over the budget, requests make no span; the next span says how many before it on its connection
   * were left out.
   */
  @Test
  void theNextSpanCountsTheRequestsLeftOut() {
    List<SpanPlan> plans = new ArrayList<>();
    ConnectionTracer tracer =
        ConnectionTracer.fromConnect(
            "db", 1433, 0, false, plans::add, () -> null, new RequestBudget(2, 100));
    long t = 10 * SECOND;
    for (int i = 0; i < 5; i++) {
      request(tracer, t + i * MS, null);
    }
    assertEquals(2, plans.size(), "two per second, burst of two");
    request(
        tracer,
        t + 10 * MS,
        new ServerMessage(true, 208, 1, 16, "Invalid object name 'x'.", "lab", "", 1));
    assertEquals(3, plans.size(), "an error is always traced");
    SpanPlan failed = plans.get(2).resolve();
    assertEquals(3L, failed.attributes().get(TdsAttributes.NOT_TRACED_BEFORE));
    assertEquals("208", failed.attributes().get(TdsAttributes.DB_RESPONSE_STATUS_CODE));
    assertNull(plans.get(0).resolve().attributes().get(TdsAttributes.NOT_TRACED_BEFORE));
    request(tracer, t + 2 * SECOND, null);
    assertEquals(4, plans.size(), "two seconds later the budget is back");
    assertNull(plans.get(3).resolve().attributes().get(TdsAttributes.NOT_TRACED_BEFORE));
  }

  private static void request(ConnectionTracer tracer, long t, ServerMessage error) {
    SqlBatch batch = new SqlBatch(null, "SELECT 1", 8, false, true);
    tracer.onEvent(new RequestEvent(batch, t, t, 30, false));
    tracer.onEvent(new ResponseStartEvent(batch, t + 10_000));
    Done done = new Done(TokenType.DONE, error == null ? 0x10 : 0x12, 0xC1, 1);
    tracer.onEvent(
        new ResponseEndEvent(
            batch,
            t + 10_000,
            40,
            error == null ? 1 : 0,
            error == null ? 1 : 0,
            0,
            error == null ? 0 : 1,
            0,
            error,
            false,
            0,
            List.of(),
            false,
            false,
            done,
            true,
            t + 20_000));
  }
}
