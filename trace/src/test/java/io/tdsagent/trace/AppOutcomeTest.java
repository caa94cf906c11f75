package io.tdsagent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The application's outcome put on a plan after it was made, applied after the plan's own deferred
 * content.
 */
class AppOutcomeTest {
  private static final AppOutcome THREW =
      new AppOutcome("java.sql.SQLException", "08S01", "I/O Error: x".repeat(40), false);

  /** A value from the application's data, as drivers quote it in their messages. */
  private static final String CANARY = "Canary-Literal-7f3a";

  private static final String CONVERSION =
      "Conversion failed when converting the varchar value '"
          + CANARY
          + "' to data type int, row 4096.";

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
            .andThen(
                new AppOutcome(
                    "com.example.DriverException", "S0002", "Invalid object name", false))
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

  @Test
  void literalsInTheExceptionsMessageAreReplacedAsInSqlText() {
    for (String span : new String[] {"SELECT", LoginTraceBuilder.LOGIN_SPAN}) {
      SpanPlan plan =
          SpanPlan.builder(span, 1)
              .build()
              .andThen(new AppOutcome("java.sql.SQLException", "22018", CONVERSION, false))
              .resolve();
      String d = plan.statusDescription();
      assertFalse(d.contains(CANARY), d);
      assertFalse(d.contains("4096"), d);
      assertTrue(
          d.endsWith(
              ": java.sql.SQLException (SQLState 22018): Conversion failed when converting the"
                  + " varchar value ? to data type int, row ?"),
          d);
    }
  }

  @Test
  void aLiteralCutByTheLengthBoundIsReplacedToo() {
    String message = "x".repeat(240) + " value '" + CANARY + "'";
    String d =
        SpanPlan.builder("SELECT", 1)
            .build()
            .andThen(new AppOutcome("java.sql.SQLException", null, message, false))
            .resolve()
            .statusDescription();
    assertFalse(d.contains(CANARY.substring(0, 6)), d);
  }

  @Test
  void rawSqlKeepsTheMessageAsTheDriverWroteIt() {
    String d =
        SpanPlan.builder("SELECT", 1)
            .build()
            .andThen(new AppOutcome("java.sql.SQLException", "22018", CONVERSION, true))
            .resolve()
            .statusDescription();
    assertTrue(d.endsWith(": " + CONVERSION), d);
  }
}
