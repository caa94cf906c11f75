package io.tdsagent.replay;

import io.tdsagent.trace.SpanPlan;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OTLP/HTTP, as collectors take it: spans are POSTed to {@code ENDPOINT/v1/traces} in batches of
 * {@link #BATCH}, as protobuf ({@code application/x-protobuf}, the default, {@link OtlpProtobuf})
 * or with the JSON encoding ({@code application/json}: the protobuf JSON mapping, hex ids, 64-bit
 * integers as strings, enums as numbers).
 */
public final class OtlpSink implements SpanSink {
  /** The two encodings of OTLP/HTTP. */
  public enum Format {
    PROTOBUF,
    JSON
  }

  static final int BATCH = 512;
  private static final String SCOPE = "io.tdsagent.replay";
  private static final String SERVICE = "tds-replay";

  private final URI uri;
  private final HttpClient client;
  private final List<Span> pending = new ArrayList<>();
  private long sent;
  private final Format format;

  public OtlpSink(String endpoint, Format format) {
    this.format = format;
    String e = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    this.uri = URI.create(e.endsWith("/v1/traces") ? e : e + "/v1/traces");
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  public URI uri() {
    return uri;
  }

  public long sent() {
    return sent;
  }

  @Override
  public void span(Span span) throws IOException {
    pending.add(span);
    if (pending.size() >= BATCH) {
      flush();
    }
  }

  @Override
  public void finish() throws IOException {
    flush();
  }

  private void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (format == Format.PROTOBUF) {
      rb.header("Content-Type", "application/x-protobuf")
          .POST(
              HttpRequest.BodyPublishers.ofByteArray(
                  OtlpProtobuf.request(pending, SERVICE, SCOPE)));
    } else {
      rb.header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body(pending), StandardCharsets.UTF_8));
    }
    HttpRequest req = rb.build();
    HttpResponse<String> resp;
    try {
      resp = client.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("OTLP export to " + uri + " interrupted", e);
    } catch (IOException e) {
      throw new IOException("OTLP export to " + uri + " failed: " + e, e);
    }
    if (resp.statusCode() / 100 != 2) {
      String text = resp.body() == null ? "" : resp.body();
      throw new IOException(
          "OTLP endpoint "
              + uri
              + " answered HTTP "
              + resp.statusCode()
              + ": "
              + (text.length() > 200 ? text.substring(0, 200) : text));
    }
    sent += pending.size();
    pending.clear();
  }

  /** An ExportTraceServiceRequest in OTLP JSON. */
  static String body(List<Span> spans) {
    StringBuilder sb = new StringBuilder(spans.size() * 512);
    sb.append("{\"resourceSpans\":[{\"resource\":{\"attributes\":[");
    attribute(sb, "service.name", SERVICE);
    sb.append("]},\"scopeSpans\":[{\"scope\":{\"name\":\"").append(SCOPE).append("\"},\"spans\":[");
    for (int i = 0; i < spans.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      span(sb, spans.get(i));
    }
    return sb.append("]}]}]}").toString();
  }

  private static void span(StringBuilder sb, Span s) {
    sb.append("{\"traceId\":\"")
        .append(s.traceId())
        .append("\",\"spanId\":\"")
        .append(s.spanId())
        .append('"');
    if (s.parentSpanId() != null) {
      sb.append(",\"parentSpanId\":\"").append(s.parentSpanId()).append('"');
    }
    sb.append(",\"name\":");
    Json.string(sb, s.name());
    // SpanKind: 1 INTERNAL, 3 CLIENT
    sb.append(",\"kind\":").append(s.kind() == SpanPlan.Kind.CLIENT ? 3 : 1);
    sb.append(",\"startTimeUnixNano\":\"")
        .append(s.startNanos())
        .append("\",\"endTimeUnixNano\":\"")
        .append(s.endNanos())
        .append("\",\"attributes\":[");
    boolean first = true;
    for (Map.Entry<String, Object> e : s.attributes().entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      attribute(sb, e.getKey(), e.getValue());
    }
    sb.append(']');
    if (!s.events().isEmpty()) {
      sb.append(",\"events\":[");
      for (int i = 0; i < s.events().size(); i++) {
        Span.Event e = s.events().get(i);
        sb.append(i > 0 ? "," : "")
            .append("{\"timeUnixNano\":\"")
            .append(e.timeNanos)
            .append("\",\"name\":");
        Json.string(sb, e.name);
        sb.append(",\"attributes\":[");
        boolean firstAttr = true;
        for (Map.Entry<String, Object> a : e.attributes.entrySet()) {
          sb.append(firstAttr ? "" : ",");
          firstAttr = false;
          attribute(sb, a.getKey(), a.getValue());
        }
        sb.append("]}");
      }
      sb.append(']');
    }
    if (!s.links().isEmpty()) {
      sb.append(",\"links\":[");
      for (int i = 0; i < s.links().size(); i++) {
        String[] l = s.links().get(i);
        sb.append(i > 0 ? "," : "")
            .append("{\"traceId\":\"")
            .append(l[0])
            .append("\",\"spanId\":\"")
            .append(l[1])
            .append("\"}");
      }
      sb.append(']');
    }
    if (s.isError()) {
      // Status.code 2 = STATUS_CODE_ERROR
      sb.append(",\"status\":{\"code\":2");
      if (s.statusMessage() != null) {
        sb.append(",\"message\":");
        Json.string(sb, s.statusMessage());
      }
      sb.append('}');
    }
    sb.append('}');
  }

  private static void attribute(StringBuilder sb, String key, Object v) {
    sb.append("{\"key\":");
    Json.string(sb, key);
    sb.append(",\"value\":");
    anyValue(sb, v);
    sb.append('}');
  }

  private static void anyValue(StringBuilder sb, Object v) {
    if (v instanceof Long) {
      sb.append("{\"intValue\":\"").append(v).append("\"}");
    } else if (v instanceof Double) {
      sb.append("{\"doubleValue\":");
      Json.value(sb, v).append('}');
    } else if (v instanceof Boolean) {
      sb.append("{\"boolValue\":").append(v).append('}');
    } else if (v instanceof List) {
      sb.append("{\"arrayValue\":{\"values\":[");
      boolean first = true;
      for (Object o : (List<?>) v) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        anyValue(sb, o);
      }
      sb.append("]}}");
    } else {
      sb.append("{\"stringValue\":");
      Json.string(sb, String.valueOf(v));
      sb.append('}');
    }
  }
}
