package io.tdsagent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The application's outcome put on a plan after it was made, applied after the plan's own deferred
 * content.
 */
class AppOutcomeTest {
  private static final AppOutcome THREW =
      new AppOutcome("java.sql.SQLException", "08S01", "I/O Error: x".repeat(40));

  @Test
  void aSpanTheWireCalledFineBecomesAnErrorWithTheExceptionsClass() {
    SpanPlan plan =
        SpanPlan.builder("", 1)
            .deferred(b -> b.name("SELECT").attr("db.response.returned_rows", 1L))
            .build()
            .andThen(THREW)
            .resolve();
    assertEquals(SpanPlan.Status.ERROR, plan.status());
    assertEquals("java.sql.SQLException", plan.attributes().get("error.type"));
    assertEquals("java.sql.SQLException", plan.attributes().get("tds.client.error.type"));
    assertEquals("08S01", plan.attributes().get("tds.client.sql_state"));
    assertTrue(
        plan.statusDescription().startsWith("the driver failed the application's call"),
        plan.statusDescription());
    assertTrue(plan.statusDescription().length() < 400, "message bounded");
  }

  @Test
  void aServerErrorKeepsItsNumberAsErrorType() {
    SpanPlan plan =
        SpanPlan.builder("SELECT", 1)
            .deferred(b -> b.error("Invalid object name").attr("error.type", "208"))
            .build()
            .andThen(new AppOutcome("com.example.DriverException", "S0002", "Invalid object name"))
            .resolve();
    assertEquals(SpanPlan.Status.ERROR, plan.status());
    assertEquals("208", plan.attributes().get("error.type"));
    assertEquals("Invalid object name", plan.statusDescription());
    assertEquals("com.example.DriverException", plan.attributes().get("tds.client.error.type"));
  }

  @Test
  void aLoginTheWireCalledSuccessfulSaysTheConnectionFailed() {
    SpanPlan plan =
        SpanPlan.builder(LoginTraceBuilder.LOGIN_SPAN, 1).build().andThen(THREW).resolve();
    assertEquals(SpanPlan.Status.ERROR, plan.status());
    assertTrue(
        plan.statusDescription().startsWith("the login succeeded on the wire"),
        plan.statusDescription());
  }
}
