package io.tdsagent.agent.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tdsagent.trace.LoginTraceBuilder;
import io.tdsagent.trace.SpanPlan;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Plans held for the length of a driver call, marked when it throws, bounded, and driver-internal
 * inside connect.
 */
class DriverCallsTest {
  private final List<SpanPlan> out = new ArrayList<>();
  private final Consumer<SpanPlan> sink = DriverCalls.holding(out::add);

  private static SpanPlan request(String name) {
    return SpanPlan.builder(name, 1).build();
  }

  @Test
  void outsideACallPlansGoStraightOn() {
    sink.accept(request("a"));
    assertEquals(1, out.size());
  }

  @Test
  void heldUntilTheOutermostCallReturnsThenUnchanged() {
    DriverCalls.enter(DriverCalls.CALL);
    DriverCalls.enter(DriverCalls.CALL);
    sink.accept(request("a"));
    DriverCalls.exit(DriverCalls.CALL, null);
    assertEquals(0, out.size());
    DriverCalls.exit(DriverCalls.CALL, null);
    assertEquals(1, out.size());
    assertEquals(SpanPlan.Status.UNSET, out.get(0).resolve().status());
  }

  @Test
  void aThrowingCallMarksItsLastRequestOnly() {
    DriverCalls.enter(DriverCalls.CALL);
    sink.accept(request("first"));
    sink.accept(request("last"));
    DriverCalls.exit(DriverCalls.CALL, new SQLException("boom", "08S01"));
    assertEquals(List.of("first", "last"), names());
    assertEquals(SpanPlan.Status.UNSET, out.get(0).resolve().status());
    SpanPlan last = out.get(1).resolve();
    assertEquals(SpanPlan.Status.ERROR, last.status());
    assertEquals("08S01", last.attributes().get("tds.client.sql_state"));
  }

  @Test
  void aThrowingConnectMarksTheLoginAndItsSetUpRequest() {
    DriverCalls.enter(DriverCalls.CONNECT);
    sink.accept(request(LoginTraceBuilder.LOGIN_SPAN));
    assertEquals(true, DriverCalls.internal());
    DriverCalls.enter(DriverCalls.CALL);
    sink.accept(request("SELECT"));
    DriverCalls.exit(DriverCalls.CALL, new SQLException("set-up failed", "08S01"));
    DriverCalls.exit(DriverCalls.CONNECT, new SQLException("set-up failed", "08S01"));
    assertEquals(false, DriverCalls.internal());
    assertEquals(SpanPlan.Status.ERROR, out.get(0).resolve().status());
    assertEquals(SpanPlan.Status.ERROR, out.get(1).resolve().status());
  }

  @Test
  void aStatementsFailureIsNotTheLogins() {
    DriverCalls.enter(DriverCalls.CALL);
    sink.accept(request(LoginTraceBuilder.LOGIN_SPAN));
    DriverCalls.exit(DriverCalls.CALL, new SQLException("x"));
    assertNull(out.get(0).resolve().attributes().get("tds.client.error.type"));
  }

  @Test
  void heldPlansAreBounded() {
    DriverCalls.enter(DriverCalls.CALL);
    for (int i = 0; i < DriverCalls.MAX_HELD + 5; i++) {
      sink.accept(request("r" + i));
    }
    assertEquals(5, out.size());
    assertEquals("r0", out.get(0).name());
    DriverCalls.exit(DriverCalls.CALL, null);
    assertEquals(DriverCalls.MAX_HELD + 5, out.size());
  }

  @Test
  void anExitWithoutEntryChangesNothing() {
    DriverCalls.exit(DriverCalls.CALL, new SQLException("x"));
    sink.accept(request("a"));
    assertEquals(1, out.size());
  }

  private List<String> names() {
    List<String> n = new ArrayList<>();
    out.forEach(p -> n.add(p.name()));
    return n;
  }
}
