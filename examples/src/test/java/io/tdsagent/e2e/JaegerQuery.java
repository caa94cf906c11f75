package io.tdsagent.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Jaeger's query API as its UI uses it ({@code GET /api/traces?service=...}), read into plain
 * records: what a user sees in Jaeger is what the tests check.
 */
final class JaegerQuery {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  JaegerQuery(String base) {
    this.base = base;
  }

  /**
   * Every trace Jaeger holds for the service (in-memory storage, so nothing older than the test).
   */
  List<Trace> traces(String service) throws IOException, InterruptedException {
    String url =
        base
            + "/api/traces?service="
            + URLEncoder.encode(service, StandardCharsets.UTF_8)
            + "&lookback=2h&limit=10000";
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (r.statusCode() == 404 || r.statusCode() == 400 && r.body().contains("service")) {
      return List.of(); // no span of the service stored yet
    }
    if (r.statusCode() != 200) {
      throw new IOException("Jaeger answered " + r.statusCode() + " to " + url + ": " + r.body());
    }
    List<Trace> traces = new ArrayList<>();
    JsonNode data = JSON.readTree(r.body()).path("data");
    for (JsonNode t : data) {
      traces.add(Trace.of(t));
    }
    return traces;
  }

  /**
   * Polls until {@code done} holds for the service's traces. Tail sampling decides only after its
   * decision wait, and a busy machine slows everything: the ceiling is generous, and polling stops
   * as soon as the traces are there.
   */
  List<Trace> await(
      String service, Predicate<List<Trace>> done, Duration ceiling, Backends backends)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + ceiling.toNanos();
    List<Trace> last = List.of();
    while (System.nanoTime() < deadline) {
      last = traces(service);
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "Jaeger did not show the expected traces of "
            + service
            + " within "
            + ceiling
            + "; it has "
            + last.size()
            + ": "
            + last
            + "\n"
            + backends.logTail());
  }

  static final class Trace {
    final String traceId;
    final List<JaegerSpan> spans;

    private Trace(String traceId, List<JaegerSpan> spans) {
      this.traceId = traceId;
      this.spans = spans;
    }

    static Trace of(JsonNode t) {
      Map<String, String> services = new LinkedHashMap<>();
      t.path("processes")
          .fields()
          .forEachRemaining(
              e -> services.put(e.getKey(), e.getValue().path("serviceName").asText()));
      List<JaegerSpan> spans = new ArrayList<>();
      for (JsonNode s : t.path("spans")) {
        spans.add(JaegerSpan.of(s, services.get(s.path("processID").asText())));
      }
      spans.sort((a, b) -> Long.compare(a.startMicros, b.startMicros));
      return new Trace(t.path("traceID").asText(), spans);
    }

    Optional<JaegerSpan> span(String name) {
      return spans.stream().filter(s -> s.name.equals(name)).findFirst();
    }

    List<JaegerSpan> childrenOf(JaegerSpan parent) {
      return spans.stream()
          .filter(s -> parent.spanId.equals(s.parentSpanId))
          .collect(Collectors.toList());
    }

    @Override
    public String toString() {
      return traceId + spans.stream().map(s -> s.name).collect(Collectors.toList());
    }
  }

  static final class JaegerSpan {
    final String traceId;
    final String spanId;
    final String parentSpanId; // "" for a root
    final String name;
    final String service;
    final long startMicros;
    final long durationMicros;
    final Map<String, JsonNode> tags;
    final List<Map<String, JsonNode>> logs;

    private JaegerSpan(JsonNode s, String service) {
      this.traceId = s.path("traceID").asText();
      this.spanId = s.path("spanID").asText();
      String parent = "";
      for (JsonNode ref : s.path("references")) {
        if ("CHILD_OF".equals(ref.path("refType").asText())
            && traceId.equals(ref.path("traceID").asText())) {
          parent = ref.path("spanID").asText();
        }
      }
      this.parentSpanId = parent;
      this.name = s.path("operationName").asText();
      this.service = service;
      this.startMicros = s.path("startTime").asLong();
      this.durationMicros = s.path("duration").asLong();
      this.tags = fields(s.path("tags"));
      List<Map<String, JsonNode>> l = new ArrayList<>();
      for (JsonNode log : s.path("logs")) {
        l.add(fields(log.path("fields")));
      }
      this.logs = l;
    }

    static JaegerSpan of(JsonNode s, String service) {
      return new JaegerSpan(s, service);
    }

    private static Map<String, JsonNode> fields(JsonNode kvs) {
      Map<String, JsonNode> m = new LinkedHashMap<>();
      for (JsonNode kv : kvs) {
        m.put(kv.path("key").asText(), kv.path("value"));
      }
      return m;
    }

    String tag(String key) {
      JsonNode v = tags.get(key);
      return v == null ? null : v.asText();
    }

    /** Jaeger's rendering of the OTLP span kind ("client", "internal", ...). */
    String kind() {
      String k = tag("span.kind");
      return k == null ? "internal" : k;
    }

    /** "ERROR", "OK", or null when unset (Jaeger stores OTLP status as otel.status_code). */
    String status() {
      return tag("otel.status_code");
    }

    /** The names of the span's events (Jaeger logs, field "event"). */
    List<String> eventNames() {
      return logs.stream()
          .map(f -> f.containsKey("event") ? f.get("event").asText() : "?")
          .collect(Collectors.toList());
    }

    @Override
    public String toString() {
      return name + " " + kind() + " status=" + status() + " tags=" + tags + " logs=" + logs;
    }
  }
}
