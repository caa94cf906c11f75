package io.tdsagent.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.tdsagent.testutil.Captures;
import io.tdsagent.testutil.MiniJson;
import io.tdsagent.trace.SpanPlan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --otlp: OTLP/HTTP POSTed to a local HttpServer; protobuf (the default) parsed back by the
 * official opentelemetry-proto classes, JSON (--otlp-json) by a JSON reader.
 */
class OtlpExportTest {
  private HttpServer server;
  private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
  private final List<byte[]> raw = Collections.synchronizedList(new ArrayList<>());
  private final List<String> contentTypes = Collections.synchronizedList(new ArrayList<>());
  private volatile int status = 200;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/traces",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          raw.add(body);
          bodies.add(new String(body, StandardCharsets.UTF_8));
          contentTypes.add(
              ex.getRequestHeaders().getFirst("Content-Type") + " " + ex.getRequestMethod());
          byte[] resp = "{}".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(status, resp.length);
          ex.getResponseBody().write(resp);
          ex.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @SuppressWarnings("unchecked")
  @Test
  void spansArriveWithNamesAttributesAndProtobufJsonMapping() {
    Run r =
        Run.of(
            "--otlp",
            endpoint(),
            "--otlp-json",
            Captures.path("tds7-sql2000-sqlauth-login.pcap").toString(),
            Captures.path("bbf-tedious-rpc.pcapng").toString());
    assertEquals(0, r.code, r.toString());
    assertTrue(r.err.contains("exported 17 spans to " + endpoint() + "/v1/traces"), r.err);
    assertEquals("", r.out); // --otlp alone prints no waterfall
    assertEquals(1, bodies.size());
    assertEquals("application/json POST", contentTypes.get(0));
    Map<String, Object> req = MiniJson.object(bodies.get(0));
    Map<String, Object> rs = (Map<String, Object>) ((List<Object>) req.get("resourceSpans")).get(0);
    Map<String, Object> resource = (Map<String, Object>) rs.get("resource");
    assertEquals(
        "service.name",
        ((Map<String, Object>) ((List<Object>) resource.get("attributes")).get(0)).get("key"));
    Map<String, Object> ss = (Map<String, Object>) ((List<Object>) rs.get("scopeSpans")).get(0);
    List<Object> spans = (List<Object>) ss.get("spans");
    Map<String, Map<String, Object>> byName = new HashMap<>();
    for (Object o : spans) {
      Map<String, Object> s = (Map<String, Object>) o;
      byName.putIfAbsent((String) s.get("name"), s);
      assertTrue(((String) s.get("traceId")).matches("[0-9a-f]{32}"));
      assertTrue(((String) s.get("spanId")).matches("[0-9a-f]{16}"));
      assertTrue(s.get("startTimeUnixNano") instanceof String, "int64 as a JSON string");
      assertTrue(
          Long.parseLong((String) s.get("endTimeUnixNano"))
              >= Long.parseLong((String) s.get("startTimeUnixNano")));
    }
    assertTrue(
        byName
            .keySet()
            .containsAll(
                List.of(
                    "SQL Server connection",
                    "SQL Server login",
                    "tcp connect",
                    "prelogin",
                    "login7",
                    "loginack",
                    "SELECT master.dbo.syscharsets",
                    "SELECT dbo.typed_rows",
                    "SET")),
        byName.keySet().toString());
    Map<String, Object> login = byName.get("SQL Server login");
    assertEquals(3L, login.get("kind"));
    Map<String, Map<String, Object>> attrs = new HashMap<>();
    for (Object o : (List<Object>) login.get("attributes")) {
      Map<String, Object> a = (Map<String, Object>) o;
      attrs.put((String) a.get("key"), (Map<String, Object>) a.get("value"));
    }
    assertEquals(Map.of("stringValue", "microsoft.sql_server"), attrs.get("db.system.name"));
    assertEquals(Map.of("stringValue", "testuser"), attrs.get("db.user"));
    assertEquals(Map.of("intValue", "1433"), attrs.get("server.port"));
    assertEquals(Map.of("stringValue", "7.1 rev 1"), attrs.get("tds.version"));
    assertEquals(Map.of("stringValue", "off"), attrs.get("tds.encryption.negotiated"));
    Map<String, Object> conn = byName.get("SQL Server connection");
    assertTrue(!conn.containsKey("parentSpanId"));
    assertTrue(!login.containsKey("parentSpanId"));
    assertEquals(
        login.get("spanId"),
        ((Map<String, Object>) ((List<Object>) conn.get("links")).get(0)).get("spanId"));
    boolean boolSeen = false;
    for (Object o : (List<Object>) conn.get("attributes")) {
      Map<String, Object> a = (Map<String, Object>) o;
      if (a.get("key").equals("tds.tcp.close_abnormal")) {
        assertEquals(Map.of("boolValue", false), a.get("value"));
        boolSeen = true;
      }
    }
    assertTrue(boolSeen);
  }

  /**
   * The default encoding, read by the real protobuf parser: the span tree, attributes, events,
   * links, status.
   */
  @Test
  void protobufByDefaultParsedByTheOfficialClasses() throws Exception {
    Run r =
        Run.of(
            "--otlp",
            endpoint(),
            Captures.path("tds7-sql2000-sqlauth-login.pcap").toString(),
            Captures.path("bbf-tedious-rpc.pcapng").toString());
    assertEquals(0, r.code, r.toString());
    assertEquals("application/x-protobuf POST", contentTypes.get(0));
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
    for (byte[] b : raw) {
      ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(b);
      ResourceSpans rs = req.getResourceSpans(0);
      assertEquals("service.name", rs.getResource().getAttributes(0).getKey());
      assertEquals("tds-replay", rs.getResource().getAttributes(0).getValue().getStringValue());
      assertEquals("io.tdsagent.replay", rs.getScopeSpans(0).getScope().getName());
      spans.addAll(rs.getScopeSpans(0).getSpansList());
    }
    assertTrue(r.err.contains("exported " + spans.size() + " spans"), r.err);
    Map<String, io.opentelemetry.proto.trace.v1.Span> byName = new HashMap<>();
    for (io.opentelemetry.proto.trace.v1.Span s : spans) {
      byName.putIfAbsent(s.getName(), s);
      assertEquals(16, s.getTraceId().size());
      assertEquals(8, s.getSpanId().size());
      assertTrue(
          s.getEndTimeUnixNano() >= s.getStartTimeUnixNano() && s.getStartTimeUnixNano() > 1e18,
          s.getName());
    }
    io.opentelemetry.proto.trace.v1.Span login = byName.get("SQL Server login");
    assertEquals(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT, login.getKind());
    assertTrue(login.getParentSpanId().isEmpty());
    Map<String, AnyValue> a = new HashMap<>();
    for (KeyValue kv : login.getAttributesList()) {
      a.put(kv.getKey(), kv.getValue());
    }
    assertEquals("microsoft.sql_server", a.get("db.system.name").getStringValue());
    assertEquals("testuser", a.get("db.user").getStringValue());
    assertEquals(1433L, a.get("server.port").getIntValue());
    assertEquals(false, a.get("tds.strict").getBoolValue());
    io.opentelemetry.proto.trace.v1.Span prelogin = byName.get("prelogin");
    assertEquals(login.getSpanId(), prelogin.getParentSpanId());
    assertEquals(login.getTraceId(), prelogin.getTraceId());
    assertEquals(
        io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_INTERNAL, prelogin.getKind());
    io.opentelemetry.proto.trace.v1.Span query = byName.get("SELECT master.dbo.syscharsets");
    assertEquals(login.getSpanId(), query.getLinks(0).getSpanId());
    assertEquals(login.getTraceId(), query.getLinks(0).getTraceId());
    assertTrue(
        query.getEventsList().stream()
            .anyMatch(
                e ->
                    e.getName().equals("tds.response.end")
                        && e.getTimeUnixNano() == query.getEndTimeUnixNano()),
        query.toString());
    io.opentelemetry.proto.trace.v1.Span features = byName.get("login7");
    List<String> names = new ArrayList<>();
    for (KeyValue kv : features.getAttributesList()) {
      names.add(kv.getKey());
    }
    assertTrue(names.contains("tds.packet_size.requested"), names.toString());
    // an error status with its message, a double and an array, encoded by hand
    List<Span> one =
        List.of(
            new Span(
                "0".repeat(31) + "1",
                "0".repeat(15) + "2",
                null,
                SpanPlan.builder("x", 1)
                    .end(2)
                    .attr("l", List.of("a", "b"))
                    .attr("d", 1.5)
                    .error("bad thing")
                    .build(),
                List.of(),
                null));
    io.opentelemetry.proto.trace.v1.Span e =
        ExportTraceServiceRequest.parseFrom(OtlpProtobuf.request(one, "s", "c"))
            .getResourceSpans(0)
            .getScopeSpans(0)
            .getSpans(0);
    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, e.getStatus().getCode());
    assertEquals("bad thing", e.getStatus().getMessage());
    assertEquals(
        List.of("a", "b"),
        e.getAttributes(0).getValue().getArrayValue().getValuesList().stream()
            .map(AnyValue::getStringValue)
            .collect(java.util.stream.Collectors.toList()));
    assertEquals(1.5, e.getAttributes(1).getValue().getDoubleValue());
    assertEquals(1L, e.getStartTimeUnixNano());
  }

  @Test
  void aFailingEndpointIsExitCode3() {
    status = 500;
    Run r =
        Run.of(
            "--otlp",
            endpoint() + "/v1/traces",
            Captures.path("tds7-sql2000-sqlauth-login.pcap").toString());
    assertEquals(3, r.code, r.toString());
    assertTrue(r.err.contains("HTTP 500"), r.err);
    server.stop(0);
    Run down =
        Run.of("--otlp", endpoint(), Captures.path("tds7-sql2000-sqlauth-login.pcap").toString());
    assertEquals(3, down.code, down.toString());
    assertTrue(down.err.contains("OTLP export to"), down.err);
  }

  @Test
  void errorStatusIsCode2() {
    List<Span> spans =
        List.of(
            new Span(
                "0".repeat(31) + "1",
                "0".repeat(15) + "2",
                null,
                SpanPlan.builder("x \"q\"\n", 1)
                    .end(2)
                    .attr("l", List.of("a", "b"))
                    .attr("d", 1.5)
                    .error("bad \u2028 thing")
                    .build(),
                List.of(),
                null));
    Map<String, Object> body = MiniJson.object(OtlpSink.body(spans));
    String text = body.toString();
    assertTrue(text.contains("status={code=2, message=bad \u2028 thing}"), text);
    assertTrue(text.contains("arrayValue={values=[{stringValue=a}, {stringValue=b}]}"), text);
    assertTrue(text.contains("doubleValue=1.5"), text);
    assertTrue(text.contains("name=x \"q\"\n"), text);
  }
}
