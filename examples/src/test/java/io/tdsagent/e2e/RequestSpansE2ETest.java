package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * After the login: one span per request, from the real mssql-jdbc in a forked JVM with the agent.
 */
class RequestSpansE2ETest {
  static final String USER = "app_user";
  static final String PASSWORD = "Canary-requests-Pa55!";

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.OFF);

  static String url() {
    return LAB.server()
        .jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, "databaseName=demo;applicationName=requests");
  }

  static List<ReceivedSpan> requestSpans(List<ReceivedSpan> spans) {
    return spans.stream().filter(s -> s.hasAttr("tds.request.type")).collect(Collectors.toList());
  }

  static List<ReceivedSpan> await(int requests) {
    return LAB.receiver()
        .awaitSpans(
            s ->
                requestSpans(s).size() >= requests
                    && s.stream().anyMatch(x -> x.name().equals("SQL Server login")),
            Duration.ofSeconds(20));
  }

  @Test
  void eachStatementIsASpanLinkedToItsLoginAndChildOfTheApplicationSpan() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .step("span", "checkout")
            .step("open", url())
            .step("query", "SELECT 1")
            .step("query", "SELECT @@VERSION")
            .step("close", "-")
            .step("endspan", "-")
            .run()
            .assertOk();
    assertEquals(2, r.lines().stream().filter(l -> l.equals("ROWS 1")).count(), r.toString());
    AgentProcess.AppSpan app = r.appSpan();
    List<ReceivedSpan> spans = await(2);
    ReceivedSpan login =
        spans.stream().filter(s -> s.name().equals("SQL Server login")).findFirst().orElseThrow();
    List<ReceivedSpan> requests = requestSpans(spans);
    assertEquals(
        List.of("SELECT", "SELECT"),
        requests.stream().map(ReceivedSpan::name).collect(Collectors.toList()));
    for (ReceivedSpan q : requests) {
      assertEquals("CLIENT", q.kind());
      assertEquals(app.traceId(), q.traceId());
      assertEquals(app.spanId(), q.parentSpanId());
      assertEquals("microsoft.sql_server", q.stringAttr("db.system.name"));
      assertEquals("demo", q.stringAttr("db.namespace"));
      assertEquals("SQL_BATCH", q.stringAttr("tds.request.type"));
      assertEquals(1L, q.longAttr("db.response.returned_rows"));
      assertEquals(1, q.links().size(), q.describe());
      assertEquals(login.spanId(), q.links().get(0).spanId());
      assertNotNull(q.event("tds.response.first_byte"));
      assertNotNull(q.event("tds.response.end"));
      assertTrue(
          q.event("tds.response.first_byte").epochNanos()
              <= q.event("tds.response.end").epochNanos());
    }
    assertEquals("SELECT ?", requests.get(0).stringAttr("db.query.text"));
    assertEquals("SELECT @@VERSION", requests.get(1).stringAttr("db.query.text"));
    assertFalse(r.all().contains(PASSWORD));
  }

  /**
   * {@code tds.requests.max_per_second}: over the rate, ordinary requests make no span, a failed
   * one always does, and it says how many requests before it on its connection were left out; the
   * agent says so once in its log.
   */
  @Test
  void overTheSpanBudgetOrdinaryRequestsAreCountedAndFailuresStillTraced() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .prop("tds.requests.max_per_second", "5")
            .step("open", url())
            .step("repeat", "40:SELECT 1")
            .step("query", "SELECT secret_value FROM no_such_table")
            .step("close", "-")
            .run()
            .assertOk();
    List<ReceivedSpan> requests =
        requestSpans(
            LAB.receiver()
                .awaitSpans(
                    s -> requestSpans(s).stream().anyMatch(q -> "ERROR".equals(q.statusCode())),
                    Duration.ofSeconds(20)));
    List<ReceivedSpan> ordinary =
        requests.stream().filter(q -> !"ERROR".equals(q.statusCode())).collect(Collectors.toList());
    ReceivedSpan failed =
        requests.stream().filter(q -> "ERROR".equals(q.statusCode())).findFirst().orElseThrow();
    // A burst of one second's worth (5), then 5 per second while the 40 run.
    assertTrue(
        ordinary.size() >= 5 && ordinary.size() < 40, ordinary.size() + " ordinary request spans");
    // Each span counts those left out since the one before it: together, every request left out.
    long leftOut =
        requests.stream()
            .map(q -> q.longAttr("tds.requests.not_traced_before"))
            .mapToLong(n -> n == null ? 0 : n)
            .sum();
    assertEquals(40L - ordinary.size(), leftOut);
    assertEquals("SELECT no_such_table", failed.name());
    assertEquals(
        1, r.all().split("tds.requests.max_per_second", -1).length - 1, "said once:\n" + r);
  }

  @Test
  void rawSqlOnlyWhenAskedFor() throws Exception {
    LAB.app()
        .prop("tds.sql", "raw")
        .step("open", url())
        .step("query", "SELECT 1")
        .step("close", "-")
        .run()
        .assertOk();
    ReceivedSpan q = requestSpans(await(1)).get(0);
    assertEquals("SELECT 1", q.stringAttr("db.query.text"));
  }

  @Test
  void aServerErrorMarksTheSpan() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .step("open", url())
            .step("query", "SELECT secret_value FROM no_such_table WHERE code = 'X-42'")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("ERR "), r.toString());
    ReceivedSpan q = requestSpans(await(1)).get(0);
    assertEquals("SELECT no_such_table", q.name());
    assertEquals("ERROR", q.statusCode());
    assertNotNull(q.stringAttr("db.response.status_code"));
    assertEquals(q.stringAttr("db.response.status_code"), q.stringAttr("error.type"));
    assertEquals(
        "SELECT secret_value FROM no_such_table WHERE code = ?", q.stringAttr("db.query.text"));
    assertFalse(q.toString().contains("X-42"), "literal leaked: " + q);
  }

  static ReceivedSpan byName(List<ReceivedSpan> spans, String name) {
    return requestSpans(spans).stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no request span " + name + " in " + requestSpans(spans)));
  }

  @Test
  void preparedStatementsAreSpExecuteSqlThenPrepexecThenExecute() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .step("open", url())
            .step("prepared", "SELECT * FROM dbo.typed_rows WHERE id = ?")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("PREPARED 3 ROWS"), r.toString());
    List<ReceivedSpan> requests = requestSpans(await(3));
    assertEquals(
        List.of("sp_executesql", "sp_prepexec", "sp_execute"),
        requests.stream().map(q -> q.stringAttr("tds.rpc.procedure")).collect(Collectors.toList()));
    assertEquals("SELECT dbo.typed_rows", requests.get(0).name());
    assertEquals("SELECT dbo.typed_rows", requests.get(1).name());
    assertEquals("sp_execute", requests.get(2).name());
    assertEquals(
        "SELECT * FROM dbo.typed_rows WHERE id = @P0", requests.get(1).stringAttr("db.query.text"));
    assertEquals("dbo.typed_rows", requests.get(1).stringAttr("db.collection.name"));
    for (ReceivedSpan q : requests) {
      assertEquals("RPC", q.stringAttr("tds.request.type"));
      assertEquals(1L, q.longAttr("db.response.returned_rows"), q.describe());
    }
  }

  @Test
  void storedProcedureWithOutputParameter() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .step("open", url())
            .step("call", "{call dbo.add_numbers(?, ?, ?)}")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("OUT 5"), r.toString());
    ReceivedSpan q = requestSpans(await(1)).get(0);
    assertEquals("EXECUTE dbo.add_numbers", q.name());
    assertEquals("dbo.add_numbers", q.stringAttr("db.stored_procedure.name"));
    assertEquals("EXEC dbo.add_numbers @P0, @P1, @P2 OUT", q.stringAttr("db.query.text"));
    assertTrue(q.hasAttr("tds.rpc.output_parameters"), q.describe());
  }

  @Test
  void largeMultiPacketResultWithManyTypes() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .step("open", url())
            .step("query", "SELECT * FROM dbo.typed_rows")
            .step("query", "SELECT TOP (100000) * FROM dbo.big_rows")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("ROWS 4") && r.stdout.contains("ROWS 100000"), r.toString());
    List<ReceivedSpan> spans = await(2);
    ReceivedSpan typed = byName(spans, "SELECT dbo.typed_rows");
    assertEquals(4L, typed.longAttr("db.response.returned_rows"));
    assertTrue(typed.stringAttr("tds.decode_error") == null, typed.describe());
    ReceivedSpan big = byName(spans, "SELECT dbo.big_rows");
    assertEquals(100000L, big.longAttr("db.response.returned_rows"));
    assertTrue(big.longAttr("tds.response.bytes") > 1_000_000L, big.describe());
    assertEquals("UNSET", big.statusCode());
  }

  @Test
  void aServerErrorMidBatch() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .step("open", url())
            .step("query", "SELECT 1; SELECT 1/0; SELECT 2")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("ERR 8134"), r.toString());
    ReceivedSpan q = requestSpans(await(1)).get(0);
    assertEquals("ERROR", q.statusCode());
    assertEquals("8134", q.stringAttr("db.response.status_code"));
    assertEquals(16L, q.longAttr("tds.error.class"));
    assertEquals("Divide by zero error encountered.", q.statusMessage());
    assertEquals("SELECT ?; SELECT ?/?; SELECT ?", q.stringAttr("db.query.text"));
  }

  @Test
  void infoMessagesAreEventsNotErrors() throws Exception {
    LAB.app()
        .step("open", url())
        .step("query", "RAISERROR('just saying', 10, 1)")
        .step("close", "-")
        .run()
        .assertOk();
    ReceivedSpan q = requestSpans(await(1)).get(0);
    assertEquals("UNSET", q.statusCode());
    assertNotNull(q.event("tds.info"), q.describe());
  }

  @Test
  void cancelDuringALongQuery() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .step("open", url())
            .step("cancel", "WAITFOR DELAY '00:00:20'")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("CANCELLED"), r.toString());
    List<ReceivedSpan> spans = await(2);
    ReceivedSpan wait = byName(spans, "WAITFOR");
    assertEquals(Boolean.TRUE, wait.boolAttr("tds.cancelled"), wait.describe());
    assertEquals(Boolean.TRUE, wait.boolAttr("tds.attention.acknowledged"), wait.describe());
    assertNotNull(wait.event("tds.attention.sent"));
    assertNotNull(wait.event("tds.attention.acknowledged"), wait.describe());
    // The application got "The query was canceled", no result: the span says so, and counts no
    // returned rows.
    assertEquals("ERROR", wait.statusCode(), wait.describe());
    assertEquals("cancelled", wait.stringAttr("error.type"), wait.describe());
    assertFalse(wait.hasAttr("db.response.returned_rows"), wait.describe());
    assertTrue(wait.durationNanos() < 10_000_000_000L, wait.describe());
    assertEquals("WAITFOR DELAY ?", wait.stringAttr("db.query.text"));
    // the connection goes on
    assertEquals(1L, byName(spans, "SELECT").longAttr("db.response.returned_rows"));
  }
}
