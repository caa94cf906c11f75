package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.lab.LabServer;
import io.tdsagent.otlp.OtlpReceiver;
import io.tdsagent.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** After the login: one span per request, from the real mssql-jdbc in a forked JVM with the agent. */
class RequestSpansE2ETest {
  static final String USER = "app_user";
  static final String PASSWORD = "Canary-requests-Pa55!";
  static LabServer server;
  static OtlpReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    server = LabServer.builder().port(0).login(USER, PASSWORD).database("master", "demo")
        .encryption(Encryption.OFF).build().start();
    receiver = OtlpReceiver.start(0);
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close();
  }

  @BeforeEach
  void clear() {
    receiver.clear();
  }

  static String url() {
    return server.jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, "databaseName=demo;applicationName=requests");
  }

  static List<ReceivedSpan> requestSpans(List<ReceivedSpan> spans) {
    return spans.stream().filter(s -> s.hasAttr("tds.request.type")).collect(Collectors.toList());
  }

  static List<ReceivedSpan> await(int requests) {
    return receiver.awaitSpans(s -> requestSpans(s).size() >= requests
        && s.stream().anyMatch(x -> x.name().equals("SQL Server login")), Duration.ofSeconds(20));
  }

  @Test
  void eachStatementIsASpanLinkedToItsLoginAndChildOfTheApplicationSpan() throws Exception {
    AgentProcess.Result r = AgentProcess.exportingTo(receiver.endpoint())
        .step("span", "checkout").step("open", url())
        .step("query", "SELECT 1").step("query", "SELECT @@VERSION")
        .step("close", "-").step("endspan", "-").run().assertOk();
    assertEquals(2, r.lines().stream().filter(l -> l.equals("ROWS 1")).count(), r.toString());
    String[] app = r.lines().stream().filter(l -> l.startsWith("APPSPAN ")).findFirst().orElseThrow().split(" ");
    List<ReceivedSpan> spans = await(2);
    ReceivedSpan login = spans.stream().filter(s -> s.name().equals("SQL Server login")).findFirst().orElseThrow();
    List<ReceivedSpan> requests = requestSpans(spans);
    assertEquals(List.of("SELECT", "SELECT"), requests.stream().map(ReceivedSpan::name).collect(Collectors.toList()));
    for (ReceivedSpan q : requests) {
      assertEquals("CLIENT", q.kind());
      assertEquals(app[1], q.traceId());
      assertEquals(app[2], q.parentSpanId());
      assertEquals("microsoft.sql_server", q.stringAttr("db.system.name"));
      assertEquals("demo", q.stringAttr("db.namespace"));
      assertEquals("SQL_BATCH", q.stringAttr("tds.request.type"));
      assertEquals(1L, q.longAttr("db.response.returned_rows"));
      assertEquals(1, q.links().size(), q.describe());
      assertEquals(login.spanId(), q.links().get(0).spanId());
      assertNotNull(q.event("tds.response.first_byte"));
      assertNotNull(q.event("tds.response.end"));
      assertTrue(q.event("tds.response.first_byte").epochNanos() <= q.event("tds.response.end").epochNanos());
    }
    assertEquals("SELECT ?", requests.get(0).stringAttr("db.query.text"));
    assertEquals("SELECT @@VERSION", requests.get(1).stringAttr("db.query.text"));
    assertFalse(r.all().contains(PASSWORD));
  }

  @Test
  void rawSqlOnlyWhenAskedFor() throws Exception {
    AgentProcess.exportingTo(receiver.endpoint()).prop("tds.sql", "raw")
        .step("open", url()).step("query", "SELECT 1").step("close", "-").run().assertOk();
    ReceivedSpan q = requestSpans(await(1)).get(0);
    assertEquals("SELECT 1", q.stringAttr("db.query.text"));
  }

  @Test
  void aServerErrorMarksTheSpan() throws Exception {
    AgentProcess.Result r = AgentProcess.exportingTo(receiver.endpoint())
        .step("open", url()).step("query", "SELECT secret_value FROM no_such_table WHERE code = 'X-42'")
        .step("close", "-").run().assertOk();
    assertTrue(r.stdout.contains("ERR "), r.toString());
    ReceivedSpan q = requestSpans(await(1)).get(0);
    assertEquals("SELECT no_such_table", q.name());
    assertEquals("ERROR", q.statusCode());
    assertNotNull(q.stringAttr("db.response.status_code"));
    assertEquals(q.stringAttr("db.response.status_code"), q.stringAttr("error.type"));
    assertEquals("SELECT secret_value FROM no_such_table WHERE code = ?", q.stringAttr("db.query.text"));
    assertFalse(q.toString().contains("X-42"), "literal leaked: " + q);
  }
}
