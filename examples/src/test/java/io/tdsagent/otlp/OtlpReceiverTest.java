package io.tdsagent.otlp;

import static io.tdsagent.otlp.Otlp.at;
import static io.tdsagent.otlp.Otlp.kv;
import static io.tdsagent.otlp.Otlp.post;
import static io.tdsagent.otlp.Otlp.postProtobuf;
import static io.tdsagent.otlp.Otlp.request;
import static io.tdsagent.otlp.Otlp.span;
import static io.tdsagent.otlp.Otlp.spanId;
import static io.tdsagent.otlp.Otlp.traceId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpReceiverTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private OtlpReceiver receiver;

  @BeforeEach
  void start() {
    receiver = OtlpReceiver.start(0);
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  /** One span carrying every kind of field the flattened view exposes. */
  private static Span.Builder richSpan() {
    return span(traceId(1), spanId(2), spanId(1), "login7", 1.0, 2.5)
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setTraceState("vendor=x")
        .setFlags(0x101)
        .addAttributes(kv("server.address", "127.0.0.1"))
        .addAttributes(kv("server.port", 14333L))
        .addAttributes(kv("tds.ratio", 0.25))
        .addAttributes(kv("tls.enabled", true))
        .addAttributes(kv("tds.packets", List.of(1L, 2L, 3L)))
        .addAttributes(kv("tds.names", List.of("a", "b")))
        .addAttributes(kv("tds.nonce", new byte[] {0x0a, (byte) 0xff}))
        .addAttributes(kv("tds.kv", Map.of("k", "v")))
        .addAttributes(kv("tds.empty", null))
        .setDroppedAttributesCount(2)
        .setStatus(
            Status.newBuilder()
                .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                .setMessage("Login failed for user 'sa'."))
        .addEvents(
            Span.Event.newBuilder()
                .setName("exception")
                .setTimeUnixNano(at(2.0))
                .addAttributes(kv("exception.type", "SQLException")))
        .addLinks(
            Span.Link.newBuilder()
                .setTraceId(Otlp.id(traceId(9)))
                .setSpanId(Otlp.id(spanId(9)))
                .addAttributes(kv("link.kind", "retry")));
  }

  private static void assertRichSpan(ReceivedSpan s) {
    assertEquals(traceId(1), s.traceId());
    assertEquals("4bf92f3577b34da6a3ce929d00000001", s.traceId());
    assertEquals("00f067aa00000002", s.spanId());
    assertEquals("00f067aa00000001", s.parentSpanId());
    assertEquals("vendor=x", s.traceState());
    assertEquals(0x101, s.flags());
    assertEquals("login7", s.name());
    assertEquals("CLIENT", s.kind());
    assertEquals(at(1.0), s.startEpochNanos());
    assertEquals(at(2.5), s.endEpochNanos());
    assertEquals(1_500_000L, s.durationNanos());
    assertEquals(
        List.of(
            "server.address",
            "server.port",
            "tds.ratio",
            "tls.enabled",
            "tds.packets",
            "tds.names",
            "tds.nonce",
            "tds.kv",
            "tds.empty"),
        new ArrayList<>(s.attributes().keySet()),
        "attributes keep the wire order");
    assertEquals("127.0.0.1", s.attr("server.address"));
    assertEquals("127.0.0.1", s.stringAttr("server.address"));
    assertEquals(14333L, s.attr("server.port"));
    assertEquals(14333L, s.longAttr("server.port"));
    assertEquals("14333", s.stringAttr("server.port"));
    assertEquals(0.25, s.attr("tds.ratio"));
    assertEquals(0.25, s.doubleAttr("tds.ratio"));
    assertEquals(Boolean.TRUE, s.attr("tls.enabled"));
    assertEquals(Boolean.TRUE, s.boolAttr("tls.enabled"));
    assertEquals(List.of(1L, 2L, 3L), s.attr("tds.packets"));
    assertEquals(List.of("a", "b"), s.attr("tds.names"));
    assertEquals("0aff", s.attr("tds.nonce"));
    assertEquals(Map.of("k", "v"), s.attr("tds.kv"));
    assertTrue(s.hasAttr("tds.empty"));
    assertNull(s.attr("tds.empty"));
    assertFalse(s.hasAttr("db.namespace"));
    assertNull(s.attr("db.namespace"));
    assertNull(s.stringAttr("db.namespace"));
    assertNull(s.longAttr("db.namespace"));
    assertThrows(IllegalStateException.class, () -> s.longAttr("server.address"));
    assertEquals(2, s.droppedAttributesCount());
    assertEquals("ERROR", s.statusCode());
    assertTrue(s.isError());
    assertEquals("Login failed for user 'sa'.", s.statusMessage());
    assertEquals(1, s.events().size());
    ReceivedSpan.Event e = s.events().get(0);
    assertEquals("exception", e.name());
    assertEquals(at(2.0), e.epochNanos());
    assertEquals(Map.of("exception.type", "SQLException"), e.attributes());
    assertEquals(e, s.event("exception"));
    assertEquals(1, s.links().size());
    ReceivedSpan.Link l = s.links().get(0);
    assertEquals(traceId(9), l.traceId());
    assertEquals(spanId(9), l.spanId());
    assertEquals(Map.of("link.kind", "retry"), l.attributes());
    assertEquals(Map.of("service.name", "demo"), s.resourceAttributes());
    assertEquals("demo", s.resourceAttr("service.name"));
    assertEquals("io.tdsagent", s.scopeName());
    assertEquals("0.1.0", s.scopeVersion());
    assertThrows(UnsupportedOperationException.class, () -> s.attributes().put("x", 1));
  }

  @Test
  void endpointIsLoopbackWithTheEphemeralPort() {
    assertTrue(receiver.port() > 0);
    assertEquals("http://127.0.0.1:" + receiver.port(), receiver.endpoint());
    assertEquals(receiver.endpoint() + "/v1/traces", receiver.tracesEndpoint());
  }

  @Test
  void decodesProtobufWithEveryAttributeType() {
    HttpResponse<byte[]> response = postProtobuf(receiver, request(richSpan()));

    assertEquals(200, response.statusCode());
    assertEquals(
        "application/x-protobuf", response.headers().firstValue("Content-Type").orElse(""));
    assertEquals(
        0, response.body().length, "an empty ExportTraceServiceResponse encodes to nothing");
    List<ReceivedSpan> spans = receiver.spans();
    assertEquals(1, spans.size());
    assertRichSpan(spans.get(0));
    assertEquals(1, receiver.requestCount());
    assertEquals(1, receiver.traceExportCount());
    assertEquals(List.of(request(richSpan())), receiver.requests());
  }

  @Test
  void decodesGzippedProtobuf() {
    byte[] body = Otlp.gzip(request(richSpan()).toByteArray());
    HttpResponse<byte[]> response =
        post(receiver.tracesEndpoint(), "application/x-protobuf", "gzip", body);

    assertEquals(200, response.statusCode());
    assertRichSpan(receiver.awaitSpans(1, WAIT).get(0));
  }

  @Test
  void acceptsContentTypeParameters() {
    HttpResponse<byte[]> response =
        post(
            receiver.tracesEndpoint(),
            "Application/X-Protobuf; charset=binary",
            null,
            request(richSpan()).toByteArray());
    assertEquals(200, response.statusCode());
    assertEquals(1, receiver.spans().size());
  }

  @Test
  void unsetFieldsFlattenToEmptyValues() {
    Span.Builder bare =
        Span.newBuilder()
            .setTraceId(Otlp.id(traceId(3)))
            .setSpanId(Otlp.id(spanId(3)))
            .setName("bare");
    postProtobuf(
        receiver,
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                    .addScopeSpans(
                        io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder().addSpans(bare)))
            .build());
    ReceivedSpan s = receiver.spans().get(0);
    assertEquals("", s.parentSpanId());
    assertTrue(s.isRoot());
    assertEquals("UNSPECIFIED", s.kind());
    assertEquals("UNSET", s.statusCode());
    assertEquals("", s.statusMessage());
    assertEquals(Map.of(), s.attributes());
    assertEquals(Map.of(), s.resourceAttributes());
    assertEquals("", s.scopeName());
    assertEquals("", s.scopeVersion());
    assertEquals(List.of(), s.events());
    assertEquals(List.of(), s.links());
  }

  @Test
  void jsonIsDecodedWhenJsonFormatIsPresentElse415() {
    // OTLP/JSON: hex ids, integer enums, int64 as strings.
    String json =
        "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"demo\"}}]},"
            + "\"scopeSpans\":[{\"scope\":{\"name\":\"io.tdsagent\",\"version\":\"0.1.0\"},\"spans\":[{"
            + "\"traceId\":\""
            + traceId(1)
            + "\",\"spanId\":\""
            + spanId(2)
            + "\",\"parentSpanId\":\""
            + spanId(1)
            + "\","
            + "\"name\":\"login7\",\"kind\":3,\"startTimeUnixNano\":\""
            + at(1.0)
            + "\",\"endTimeUnixNano\":\""
            + at(2.5)
            + "\","
            + "\"attributes\":[{\"key\":\"server.port\",\"value\":{\"intValue\":\"14333\"}},"
            + "{\"key\":\"tls.enabled\",\"value\":{\"boolValue\":true}}],"
            + "\"status\":{\"code\":2,\"message\":\"boom\"}}]}]}]}";
    HttpResponse<byte[]> response =
        post(
            receiver.tracesEndpoint(),
            "application/json",
            null,
            json.getBytes(StandardCharsets.UTF_8));

    boolean present;
    try {
      Class.forName("com.google.protobuf.util.JsonFormat");
      present = true;
    } catch (ClassNotFoundException e) {
      present = false;
    }
    assertEquals(present, OtlpReceiver.jsonSupported());
    if (present) {
      assertEquals(200, response.statusCode());
      assertEquals("application/json", response.headers().firstValue("Content-Type").orElse(""));
      assertEquals("{\n}", new String(response.body(), StandardCharsets.UTF_8));
      ReceivedSpan s = receiver.spans().get(0);
      assertEquals(traceId(1), s.traceId());
      assertEquals(spanId(2), s.spanId());
      assertEquals(spanId(1), s.parentSpanId());
      assertEquals("CLIENT", s.kind());
      assertEquals(14333L, s.longAttr("server.port"));
      assertEquals(Boolean.TRUE, s.attr("tls.enabled"));
      assertEquals("ERROR", s.statusCode());
    } else {
      assertEquals(415, response.statusCode());
      assertTrue(
          new String(response.body(), StandardCharsets.UTF_8).contains("protobuf-java-util"),
          "the 415 says why");
      assertEquals(List.of(), receiver.spans());
    }
  }

  @Test
  void otlpJsonHexIdsBecomeBase64ForTheProtobufJsonMapping() {
    String json =
        "{\"traceId\": \""
            + traceId(1)
            + "\", \"spanId\":\""
            + spanId(2)
            + "\", \"parent_span_id\":\"\","
            + " \"name\":\"traceId\", \"x\":\"\\\"spanId\\\":\\\"00f067aa00000002\\\"\", \"spanId\":\"AAAAAAAAAAA=\"}";
    assertEquals(
        "{\"traceId\": \"S/kvNXezTaajzpKdAAAAAQ==\", \"spanId\":\"APBnqgAAAAI=\", \"parent_span_id\":\"\","
            + " \"name\":\"traceId\", \"x\":\"\\\"spanId\\\":\\\"00f067aa00000002\\\"\", \"spanId\":\"AAAAAAAAAAA=\"}",
        OtlpReceiver.Json.hexIdsToBase64(json));
  }

  @Test
  void metricsAreKeptAndLogsIgnored() {
    for (String path : List.of("/v1/metrics", "/v1/logs")) {
      HttpResponse<byte[]> r =
          post(receiver.endpoint() + path, "application/x-protobuf", null, new byte[] {0x0a, 0x00});
      assertEquals(200, r.statusCode(), path);
    }
    assertEquals(List.of(), receiver.spans());
    assertEquals(2, receiver.requestCount());
    assertEquals(0, receiver.traceExportCount());
    assertEquals(1, receiver.metrics().size());
    assertEquals(1, receiver.metrics().get(0).getResourceMetricsCount());
    assertEquals(
        400,
        post(
                receiver.endpoint() + "/v1/metrics",
                "application/x-protobuf",
                null,
                new byte[] {(byte) 0xff, 1, 2})
            .statusCode());
  }

  @Test
  void rejectsWhatIsNotAnOtlpTraceExport() throws Exception {
    byte[] ok = request(richSpan()).toByteArray();
    assertEquals(
        404,
        post(receiver.endpoint() + "/v1/tracesX", "application/x-protobuf", null, ok).statusCode());
    assertEquals(
        404, post(receiver.endpoint() + "/", "application/x-protobuf", null, ok).statusCode());
    assertEquals(415, post(receiver.tracesEndpoint(), "text/plain", null, ok).statusCode());
    assertEquals(
        415, post(receiver.tracesEndpoint(), "application/x-protobuf", "br", ok).statusCode());
    assertEquals(
        400,
        post(
                receiver.tracesEndpoint(),
                "application/x-protobuf",
                null,
                new byte[] {(byte) 0xff, 1, 2})
            .statusCode());
    assertEquals(
        400, post(receiver.tracesEndpoint(), "application/x-protobuf", "gzip", ok).statusCode());
    HttpResponse<String> get =
        Otlp.HTTP.send(
            HttpRequest.newBuilder(URI.create(receiver.tracesEndpoint())).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertEquals("POST", get.headers().firstValue("Allow").orElse(""));

    assertEquals(List.of(), receiver.spans());
    assertEquals(7, receiver.requestCount());
    assertEquals(0, receiver.traceExportCount());
    assertEquals(7, receiver.failures().size(), receiver.dump());
    assertTrue(
        receiver.failures().get(0).startsWith("404 no such path: /v1/tracesX"), receiver.dump());
    HttpResponse<byte[]> grpcPath =
        post(
            receiver.endpoint() + "/opentelemetry.proto.collector.trace.v1.TraceService/Export",
            "application/grpc",
            null,
            ok);
    assertEquals(404, grpcPath.statusCode());
    assertTrue(
        new String(grpcPath.body(), StandardCharsets.UTF_8)
            .contains("OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf"));
    // Still serving after all that.
    assertEquals(200, postProtobuf(receiver, request(richSpan())).statusCode());
  }

  @Test
  void awaitSpansTimesOutWithADumpOfWhatArrived() {
    postProtobuf(receiver, request(span(traceId(1), spanId(1), null, "tcp connect", 0, 0.6)));
    post(receiver.tracesEndpoint(), "text/plain", null, new byte[] {1});

    long t = System.nanoTime();
    AssertionError e =
        assertThrows(
            AssertionError.class,
            () ->
                receiver.awaitSpans(
                    s -> s.stream().anyMatch(x -> x.name().equals("loginack")),
                    Duration.ofMillis(200)));
    long elapsedMs = (System.nanoTime() - t) / 1_000_000;

    assertTrue(elapsedMs >= 190, "waited " + elapsedMs + " ms");
    String m = e.getMessage();
    assertTrue(
        m.startsWith(
            "no matching spans after 200 ms; received 1 span(s) in 1 trace export(s); 2 HTTP request(s) on http://127.0.0.1:"),
        m);
    assertTrue(
        m.contains(
            "\nrejected requests:\n  415 unsupported Content-Type 'text/plain' on /v1/traces"),
        m);
    assertTrue(
        m.contains(
            "\nspans:\n  'tcp connect' INTERNAL trace="
                + traceId(1)
                + " span="
                + spanId(1)
                + " parent=- 0.600ms UNSET scope=io.tdsagent@0.1.0"),
        m);
  }

  @Test
  void awaitSpansReturnsAsSoonAsSpansArriveLater() throws Exception {
    CompletableFuture<Void> later =
        CompletableFuture.runAsync(
            () -> {
              sleep(100);
              postProtobuf(receiver, request(span(traceId(1), spanId(1), null, "a", 0, 1)));
              sleep(100);
              postProtobuf(receiver, request(span(traceId(1), spanId(2), spanId(1), "b", 0, 1)));
            });
    List<ReceivedSpan> got = receiver.awaitSpans(s -> s.size() == 2, WAIT);
    assertEquals(List.of("a", "b"), got.stream().map(ReceivedSpan::name).toList());
    assertEquals("b", receiver.awaitSpan("b", WAIT).name());
    later.get(10, TimeUnit.SECONDS);
  }

  @Test
  void concurrentPostsAreAllStored() throws Exception {
    int clients = 8;
    int perClient = 25;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    List<Integer> codes = new CopyOnWriteArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread t =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perClient; i++) {
                  int n = client * 1000 + i;
                  codes.add(
                      postProtobuf(
                              receiver,
                              request(
                                  span(traceId(n), spanId(3 * n), null, "root", 0, 3),
                                  span(traceId(n), spanId(3 * n + 1), spanId(3 * n), "child", 0, 1),
                                  span(
                                      traceId(n), spanId(3 * n + 2), spanId(3 * n), "child", 1, 2)))
                          .statusCode());
                }
              });
      t.start();
      threads.add(t);
    }
    go.countDown();
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertEquals(clients * perClient, codes.size());
    assertTrue(codes.stream().allMatch(c -> c == 200), codes.toString());
    List<ReceivedSpan> spans = receiver.awaitSpans(clients * perClient * 3, WAIT);
    assertEquals(clients * perClient * 3, spans.size());
    Set<String> ids = new HashSet<>();
    spans.forEach(s -> ids.add(s.traceId() + s.spanId()));
    assertEquals(spans.size(), ids.size(), "no span lost or duplicated");
    assertEquals(clients * perClient, receiver.requestCount());
    assertEquals(clients * perClient, receiver.traceExportCount());
    Traces traces = Traces.of(spans);
    assertEquals(clients * perClient, traces.traceIds().size());
    assertEquals(clients * perClient, traces.roots().size());
    for (ReceivedSpan root : traces.roots()) {
      assertEquals(List.of("child", "child"), traces.childNames(root));
    }
  }

  @Test
  void listenersSeeEachBatchAndCannotBreakTheExport() {
    List<List<ReceivedSpan>> batches = new CopyOnWriteArrayList<>();
    receiver.onBatch(
        b -> {
          throw new IllegalStateException("listener bug (expected by the test)");
        });
    receiver.onBatch(batches::add);

    assertEquals(
        200,
        postProtobuf(receiver, request(span(traceId(1), spanId(1), null, "a", 0, 1))).statusCode());
    assertEquals(
        200,
        postProtobuf(
                receiver,
                request(
                    span(traceId(1), spanId(2), spanId(1), "b", 0, 1),
                    span(traceId(1), spanId(3), spanId(1), "c", 0, 1)))
            .statusCode());

    receiver.awaitSpans(3, WAIT);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (batches.size() < 2 && System.nanoTime() < deadline) {
      sleep(5);
    }
    assertEquals(
        List.of(List.of("a"), List.of("b", "c")),
        batches.stream().map(b -> b.stream().map(ReceivedSpan::name).toList()).toList());
  }

  @Test
  void clearForgetsEverything() {
    postProtobuf(receiver, request(richSpan()));
    receiver.clear();
    assertEquals(List.of(), receiver.spans());
    assertEquals(List.of(), receiver.requests());
    assertEquals(0, receiver.requestCount());
    assertEquals(0, receiver.traceExportCount());
    postProtobuf(receiver, request(span(traceId(1), spanId(1), null, "after", 0, 1)));
    assertEquals(List.of("after"), receiver.spans().stream().map(ReceivedSpan::name).toList());
  }

  @Test
  void spansSplitAcrossExportsFormOneTree() {
    // A BatchSpanProcessor ships children (ended first) before their parent.
    String t = traceId(7);
    postProtobuf(
        receiver,
        request(
            span(t, spanId(3), spanId(1), "prelogin", 0.6, 1.5),
            span(t, spanId(2), spanId(1), "tcp connect", 0, 0.6),
            span(t, spanId(5), spanId(4), "client hello", 1.5, 1.6)));
    postProtobuf(
        receiver,
        request(
            span(t, spanId(4), spanId(1), "tls handshake", 1.5, 11.3),
            span(t, spanId(1), null, "SQL Server login", 0, 18.4)));

    Traces traces = Traces.of(receiver.awaitSpans(5, WAIT));
    assertEquals(List.of(t), traces.traceIds());
    assertEquals(1, traces.roots().size());
    ReceivedSpan root = traces.roots().get(0);
    assertEquals("SQL Server login", root.name());
    assertEquals(List.of("tcp connect", "prelogin", "tls handshake"), traces.childNames(root));
    ReceivedSpan tls = traces.findFirst("tls handshake").orElseThrow();
    assertEquals(List.of("client hello"), traces.childNames(tls));
    assertEquals(root, traces.parentOf(tls).orElseThrow());
  }

  @Test
  void closeReleasesThePort() {
    int port = receiver.port();
    receiver.close();
    receiver.close(); // idempotent
    try (OtlpReceiver again = OtlpReceiver.start(port)) {
      assertEquals(port, again.port());
      assertEquals(200, postProtobuf(again, request(richSpan())).statusCode());
      assertEquals(1, again.spans().size());
    }
  }

  @Test
  void responseDecodesAsAnExportTraceServiceResponse() throws Exception {
    HttpResponse<byte[]> r = postProtobuf(receiver, request(richSpan()));
    assertEquals(
        ExportTraceServiceResponse.getDefaultInstance(),
        ExportTraceServiceResponse.parseFrom(r.body()));
    assertFalse(ExportTraceServiceResponse.parseFrom(r.body()).hasPartialSuccess());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
