package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.LabServer;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.otlp.Traces;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** jTDS 1.3.1, the second real driver: the same login spans from its SharedSocket. */
class JtdsE2ETest {
  static final String USER = "app_user";
  static final String PASSWORD = "Canary-jtds-Pa55!";

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.OFF);

  static String url(String extra) {
    return url(LAB.server().port(), extra);
  }

  static String url(int port, String extra) {
    return LAB.jtdsUrl(port, "demo", ";appName=jtds-e2e;loginTimeout=10" + extra);
  }

  static ReceivedSpan awaitLogin(List<ReceivedSpan>[] out) {
    List<ReceivedSpan> spans =
        LAB.receiver()
            .awaitSpans(
                s ->
                    s.stream().anyMatch(x -> x.name().equals("SQL Server login"))
                        && s.stream().anyMatch(x -> x.hasAttr("tds.request.type")),
                Duration.ofSeconds(20));
    out[0] = spans;
    return Traces.of(spans).findFirst("SQL Server login").orElseThrow();
  }

  @Test
  @SuppressWarnings("unchecked")
  void sqlAuthenticationLoginAndQuery() throws Exception {
    AgentProcess.Result r = LAB.app().connect(url("")).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    List<ReceivedSpan>[] spans = new List[1];
    ReceivedSpan login = awaitLogin(spans);
    assertEquals("microsoft.sql_server", login.stringAttr("db.system.name"));
    assertEquals("127.0.0.1", login.stringAttr("server.address"));
    assertEquals((long) LAB.server().port(), login.longAttr("server.port"));
    assertEquals(USER, login.stringAttr("db.user"));
    assertEquals("jtds-e2e", login.stringAttr("tds.application_name"));
    assertEquals("jTDS", login.stringAttr("tds.library_name"));
    assertEquals("demo", login.stringAttr("db.namespace"));
    assertEquals("sql", login.stringAttr("tds.auth.method"));
    List<String> children = Traces.of(spans[0]).childNames(login);
    assertEquals("tcp connect", children.get(0));
    assertTrue(children.containsAll(List.of("login7", "loginack")), children.toString());
    // jTDS sends PRELOGIN only when ssl is not "off" (its default): its LOGIN7 (TDS 7.1) comes
    // first.
    assertFalse(children.contains("prelogin"), children.toString());
    ReceivedSpan select =
        spans[0].stream().filter(s -> s.hasAttr("tds.request.type")).findFirst().orElseThrow();
    assertEquals("SELECT", select.name());
    assertEquals(login.spanId(), select.links().get(0).spanId());
    assertFalse(r.all().contains(PASSWORD));
    for (ReceivedSpan s : spans[0]) {
      assertFalse(s.toString().contains(PASSWORD));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void sslRequestShowsTheTlsHandshake() throws Exception {
    AgentProcess.Result r = LAB.app().connect(url(";ssl=request")).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    List<ReceivedSpan>[] spans = new List[1];
    ReceivedSpan login = awaitLogin(spans);
    List<String> children = Traces.of(spans[0]).childNames(login);
    assertTrue(children.contains("tls handshake"), children.toString());
    ReceivedSpan tls = Spans.child(spans[0], login, "tls handshake");
    assertTrue(tls.stringAttr("tls.protocol.version").startsWith("1."), tls.describe());
  }

  /** The application reads dbo.typed_rows from the lab server at {@code port}. */
  static AgentProcess.Result selectTypedRows(int port) throws Exception {
    return LAB.app()
        .step("open", url(port, ""))
        .step("query", "SELECT * FROM dbo.typed_rows")
        .step("close", "-")
        .run()
        .assertOk();
  }

  /** The request span of that query. */
  static ReceivedSpan typedRowsRequest() {
    return Spans.awaitFirst(
        LAB.receiver(),
        x -> String.valueOf(x.stringAttr("db.query.text")).contains("typed_rows"),
        Duration.ofSeconds(30));
  }

  /**
   * A lab server with {@code --plp-to-old-clients} sends dbo.typed_rows' (n)varchar(max) and
   * varbinary(max) columns as PLP even to jTDS, whose TDS 7.1 has no PLP (a real server never
   * does): jTDS fails the query. The decoder flags the type the negotiated version does not allow,
   * and the span carries the application's outcome: ERROR, never OK with rows.
   */
  @Test
  void plpToATds71ClientIsAnError() throws Exception {
    LabServer faulty =
        LAB.lab(LabServer.builder().encryption(Encryption.OFF).plpToOldClients(true));
    AgentProcess.Result r = selectTypedRows(faulty.port());
    assertTrue(r.stdout.contains("ERR "), r.toString());
    ReceivedSpan q = typedRowsRequest();
    assertTrue(q.isError(), q.describe());
    assertTrue(
        String.valueOf(q.stringAttr("tds.decode_error")).contains("PLP, which TDS 7.1"),
        q.describe());
    assertTrue(q.hasAttr("tds.client.error.type"), q.describe());
  }

  /**
   * The default lab server sends dbo.typed_rows to jTDS as a real server does (text, ntext, image,
   * nvarchar dates, no NBCROW): jTDS reads its 4 rows, and the request span is OK with 4 rows and
   * no decode error.
   */
  @Test
  void typedRowsInTds71TypesAreReadAndTracedOk() throws Exception {
    AgentProcess.Result r = selectTypedRows(LAB.server().port());
    assertTrue(r.stdout.contains("ROWS 4"), r.toString());
    assertFalse(r.stdout.contains("ERR "), r.toString());
    ReceivedSpan q = typedRowsRequest();
    assertFalse(q.isError(), q.describe());
    assertFalse(q.hasAttr("tds.decode_error"), q.describe());
    assertFalse(q.hasAttr("tds.client.error.type"), q.describe());
    assertEquals(4L, q.longAttr("db.response.returned_rows"), q.describe());
  }

  /**
   * jTDS calls a procedure by name over RPC (mssql-jdbc sends EXEC text): both spans are named by
   * the summary.
   */
  @Test
  void procedureCallIsNamedLikeMssqlJdbcs() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .step("open", url(""))
            .step("call", "{call dbo.add_numbers(?, ?, ?)}")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("OUT 5"), r.toString());
    ReceivedSpan call =
        Spans.awaitFirst(
            LAB.receiver(),
            x -> "dbo.add_numbers".equals(x.stringAttr("db.stored_procedure.name")),
            Duration.ofSeconds(20));
    assertEquals("EXECUTE dbo.add_numbers", call.name(), call.describe());
    assertEquals("EXECUTE dbo.add_numbers", call.stringAttr("db.query.summary"), call.describe());
    assertEquals("EXECUTE", call.stringAttr("db.operation.name"), call.describe());
  }
}
