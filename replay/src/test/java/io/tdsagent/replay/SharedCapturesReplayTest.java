package io.tdsagent.replay;

import static io.tdsagent.replay.Run.attrs;
import static io.tdsagent.replay.Run.duration;
import static io.tdsagent.replay.Run.named;
import static io.tdsagent.replay.Run.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.testutil.Captures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The CLI on the shared real captures (values as tshark shows them, see captures/README.md). */
class SharedCapturesReplayTest {
  private static final String CANARY = "Canary-Pa55word!";

  static Run json(String capture) {
    Run r = Run.of("--json", Captures.path(capture).toString());
    assertEquals(0, r.code, r.toString());
    assertFalse(r.out.contains(CANARY) || r.err.contains(CANARY), "password in the output");
    return r;
  }

  @Test
  void sql2000LoginPhasesWithDurations() {
    Run r = json("tds7-sql2000-sqlauth-login.pcap");
    List<Map<String, Object>> spans = r.spans();
    Map<String, Object> login = one(spans, "SQL Server login");
    Map<String, Object> a = attrs(login);
    assertEquals("testuser", a.get("db.user"));
    assertEquals("8.0.2039", a.get("tds.server.product_version"));
    assertEquals("microsoft.sql_server", a.get("db.system.name"));
    assertEquals("217.77.3.25", a.get("server.address"));
    assertEquals(1433L, a.get("server.port"));
    assertEquals("master", a.get("db.namespace"));
    assertEquals("success", a.get("tds.login.outcome"));
    assertEquals("off", a.get("tds.encryption.negotiated"));
    assertEquals("7.1 rev 1", a.get("tds.version"));
    assertEquals("UNSET", login.get("status"));
    List<String> children = new ArrayList<>();
    for (Map<String, Object> s : spans) {
      if (login.get("spanId").equals(s.get("parentSpanId"))) {
        children.add(s.get("name") + (duration(s) > 0 ? "" : " (0)"));
        assertTrue(
            (Long) s.get("startTimeUnixNano") >= (Long) login.get("startTimeUnixNano"),
            s.toString());
        assertTrue(
            (Long) s.get("endTimeUnixNano") <= (Long) login.get("endTimeUnixNano"), s.toString());
      }
    }
    // tshark: SYN 0, SYN-ACK 96 us, ACK 424 us; PRELOGIN 754 us..1.556 ms
    assertEquals(List.of("tcp connect", "prelogin", "login7", "loginack (0)"), children);
    assertEquals(424_000, duration(one(spans, "tcp connect")));
    assertEquals(802_000, duration(one(spans, "prelogin")));
    // the login is a trace of its own, as the agent exports it; what only the capture shows links
    // to it
    assertNull(login.get("parentSpanId"));
    Map<String, Object> root = one(spans, "SQL Server connection");
    assertNull(root.get("parentSpanId"));
    assertEquals(
        List.of(Map.of("traceId", login.get("traceId"), "spanId", login.get("spanId"))),
        root.get("links"));
    assertEquals(0.096, attrs(root).get("tds.tcp.syn_to_syn_ack_ms"));
    assertEquals("client FIN", attrs(root).get("tds.tcp.close"));
    assertEquals(false, attrs(root).get("tds.tcp.close_abnormal"));
    assertEquals(
        "server",
        attrs(root).get("tds.capture.side")); // SYN-ACK -> ACK (328 us) >> SYN -> SYN-ACK (96 us)
    Map<String, Object> q = one(spans, "SELECT master.dbo.syscharsets");
    assertEquals(1L, attrs(q).get("db.response.returned_rows"));
    assertNull(q.get("parentSpanId"));
    assertEquals(root.get("links"), q.get("links"));
    assertTrue(
        ((String) attrs(q).get("db.query.text"))
            .startsWith("select name from master.dbo.syscharsets"));
    assertTrue(((String) root.get("traceId")).matches("[0-9a-f]{32}"));
    assertTrue(((String) root.get("spanId")).matches("[0-9a-f]{16}"));
  }

  @Test
  void sql2000Waterfall() {
    Run r = Run.of(Captures.path("tds7-sql2000-sqlauth-login.pcap").toString());
    assertEquals(0, r.code, r.toString());
    assertTrue(
        r.out.contains(
            "SQL Server connection  217.77.3.70:1040 -> 217.77.3.25:1433  closed by client FIN"),
        r.out);
    assertTrue(
        r.out.matches(
            "(?s).*\n  SQL Server login +\\|#+ +\\| +3\\.2 ms  testuser@217\\.77\\.3\\.25:1433/master  OK"
                + "  Microsoft SQL Server 8\\.0\\.2039.*"),
        r.out);
    assertTrue(r.out.matches("(?s).*\n    prelogin +\\| #+ +\\| +0\\.8 ms\n.*"), r.out);
    assertTrue(r.out.matches("(?s).*rows=1  server [0-9.]+ ms  transfer [0-9.]+ ms.*"), r.out);
  }

  @Test
  void rpcCaptureEveryRequestWithProcedureNamesAndRows() {
    List<Map<String, Object>> spans = json("tds-rpc-requests.pcap").spans();
    List<Map<String, Object>> requests =
        spans.stream()
            .filter(s -> !((String) s.get("name")).startsWith("SQL Server"))
            .collect(Collectors.toList());
    List<String> names =
        requests.stream().map(s -> (String) s.get("name")).sorted().collect(Collectors.toList());
    // named as the agent names them: RPC calls that carry SQL text after that text's summary;
    // requests whose
    // response is not in the capture make no span (a span needs the response's end), as in the
    // agent
    List<String> expected =
        new ArrayList<>(
            List.of(
                "SET",
                "SET",
                "COMMIT",
                "CREATE TABLE newsyb",
                "INSERT newsyb",
                "SELECT newsyb",
                "DROP TABLE newsyb",
                "SELECT test_table_1",
                "sp_execute",
                "sp_execute"));
    Collections.sort(expected);
    assertEquals(expected, names);
    Map<String, Object> select = one(spans, "SELECT newsyb");
    assertEquals(3L, attrs(select).get("db.response.returned_rows"));
    assertEquals("sp_prepexec", attrs(select).get("tds.rpc.procedure"));
    Map<String, Object> twoCalls =
        requests.stream()
            .filter(s -> Long.valueOf(2).equals(attrs(s).get("tds.rpc.calls")))
            .findFirst()
            .get();
    assertEquals("sp_execute", twoCalls.get("name"));
    assertEquals(12, named(spans, "SQL Server connection").size());
    for (Map<String, Object> root : named(spans, "SQL Server connection")) {
      assertEquals(true, attrs(root).get("tds.joined_mid_session"));
      assertEquals("capture end", attrs(root).get("tds.tcp.close"));
    }
    assertTrue(named(spans, "SQL Server login").isEmpty());
  }

  @Test
  void babelfishJdbcBasic() {
    List<Map<String, Object>> spans = json("bbf-mssqljdbc-basic.pcapng").spans();
    Map<String, Object> a = attrs(one(spans, "SQL Server login"));
    assertEquals("tdsuser", a.get("db.user"));
    assertEquals("demo", a.get("db.namespace"));
    assertEquals("7.4", a.get("tds.version"));
    assertEquals("12.0.2000", a.get("tds.server.product_version"));
    assertEquals(1L, attrs(one(spans, "SELECT")).get("db.response.returned_rows"));
    assertEquals(5L, attrs(one(spans, "SELECT dbo.typed_rows")).get("db.response.returned_rows"));
    assertEquals("client FIN", attrs(one(spans, "SQL Server connection")).get("tds.tcp.close"));
  }

  @Test
  void babelfishTediousRpc() {
    List<Map<String, Object>> spans = json("bbf-tedious-rpc.pcapng").spans();
    // sp_executesql is named after the SQL it carries
    List<Map<String, Object>> calls =
        spans.stream()
            .filter(s -> "sp_executesql".equals(attrs(s).get("tds.rpc.procedure")))
            .collect(Collectors.toList());
    List<Long> rows =
        calls.stream()
            .map(s -> (Long) attrs(s).get("db.response.returned_rows"))
            .collect(Collectors.toList());
    assertEquals(List.of(4L, 3L, 2L), rows);
    Map<String, Object> first = calls.get(0);
    assertEquals("SELECT dbo.typed_rows", first.get("name"));
    assertEquals("SELECT dbo.typed_rows", attrs(first).get("db.query.summary"));
    assertEquals(0L, attrs(first).get("tds.response.return_status"));
    assertEquals(1, named(spans, "SET").size());
  }

  @Test
  void babelfishTlsLoginOnly() {
    List<Map<String, Object>> spans =
        json("bbf-tls-mssqljdbc-encrypt-false-loginonly.pcapng").spans();
    Map<String, Object> tls = one(spans, "tls handshake");
    assertEquals("1.2", attrs(tls).get("tls.protocol.version"));
    assertTrue(duration(tls) > 0);
    Map<String, Object> a = attrs(one(spans, "SQL Server login"));
    assertEquals("login_only", a.get("tds.encryption.negotiated"));
    assertEquals("1.2", a.get("tls.protocol.version"));
    assertTrue(((String) a.get("tls.cipher")).startsWith("TLS_"));
    assertNull(a.get("db.user")); // LOGIN7 travelled inside TLS
    assertEquals("success", a.get("tds.login.outcome"));
    assertEquals(
        2, spans.stream().filter(s -> ((String) s.get("name")).startsWith("SELECT")).count());
  }
}
