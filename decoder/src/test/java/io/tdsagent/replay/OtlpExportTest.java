package io.tdsagent.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.tdsagent.testutil.Captures;
import io.tdsagent.testutil.MiniJson;
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

/** --otlp: OTLP/HTTP JSON POSTed to a local HttpServer, parsed back. */
class OtlpExportTest {
    private HttpServer server;
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> contentTypes = Collections.synchronizedList(new ArrayList<>());
    private volatile int status = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            contentTypes.add(ex.getRequestHeaders().getFirst("Content-Type") + " " + ex.getRequestMethod());
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
        Run r = Run.of("--otlp", endpoint(), Captures.path("tds7-sql2000-sqlauth-login.pcap").toString(),
                Captures.path("bbf-tedious-rpc.pcapng").toString());
        assertEquals(0, r.code, r.toString());
        assertTrue(r.err.contains("exported 17 spans to " + endpoint() + "/v1/traces"), r.err);
        assertEquals("", r.out); // --otlp alone prints no waterfall
        assertEquals(1, bodies.size());
        assertEquals("application/json POST", contentTypes.get(0));
        Map<String, Object> req = MiniJson.object(bodies.get(0));
        Map<String, Object> rs = (Map<String, Object>) ((List<Object>) req.get("resourceSpans")).get(0);
        Map<String, Object> resource = (Map<String, Object>) rs.get("resource");
        assertEquals("service.name", ((Map<String, Object>) ((List<Object>) resource.get("attributes")).get(0)).get("key"));
        Map<String, Object> ss = (Map<String, Object>) ((List<Object>) rs.get("scopeSpans")).get(0);
        List<Object> spans = (List<Object>) ss.get("spans");
        Map<String, Map<String, Object>> byName = new HashMap<>();
        for (Object o : spans) {
            Map<String, Object> s = (Map<String, Object>) o;
            byName.putIfAbsent((String) s.get("name"), s);
            assertTrue(((String) s.get("traceId")).matches("[0-9a-f]{32}"));
            assertTrue(((String) s.get("spanId")).matches("[0-9a-f]{16}"));
            assertTrue(s.get("startTimeUnixNano") instanceof String, "int64 as a JSON string");
            assertTrue(Long.parseLong((String) s.get("endTimeUnixNano")) >= Long.parseLong((String) s.get("startTimeUnixNano")));
        }
        assertTrue(byName.keySet().containsAll(List.of("SQL Server connection", "SQL Server login", "tcp connect", "prelogin",
                "login7", "loginack", "SELECT master.dbo.syscharsets", "sp_executesql", "SET")), byName.keySet().toString());
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
        assertEquals(conn.get("spanId"), login.get("parentSpanId"));
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

    @Test
    void aFailingEndpointIsExitCode3() {
        status = 500;
        Run r = Run.of("--otlp", endpoint() + "/v1/traces", Captures.path("tds7-sql2000-sqlauth-login.pcap").toString());
        assertEquals(3, r.code, r.toString());
        assertTrue(r.err.contains("HTTP 500"), r.err);
        server.stop(0);
        Run down = Run.of("--otlp", endpoint(), Captures.path("tds7-sql2000-sqlauth-login.pcap").toString());
        assertEquals(3, down.code, down.toString());
        assertTrue(down.err.contains("OTLP export to"), down.err);
    }

    @Test
    void errorStatusIsCode2() {
        List<Span> spans = List.of(Span.builder("0".repeat(31) + "1", "0".repeat(15) + "2", null, "x \"q\"\n").time(1, 2)
                .attr("l", List.of("a", "b")).attr("d", 1.5).error("bad \u2028 thing").build());
        Map<String, Object> body = MiniJson.object(OtlpJsonSink.body(spans));
        String text = body.toString();
        assertTrue(text.contains("status={code=2, message=bad \u2028 thing}"), text);
        assertTrue(text.contains("arrayValue={values=[{stringValue=a}, {stringValue=b}]}"), text);
        assertTrue(text.contains("doubleValue=1.5"), text);
        assertTrue(text.contains("name=x \"q\"\n"), text);
    }
}
