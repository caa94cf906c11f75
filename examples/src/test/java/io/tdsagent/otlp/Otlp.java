package io.tdsagent.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Test helpers: hand-built OTLP messages and a plain HTTP client to post them. */
final class Otlp {
  private Otlp() {}

  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  static ByteString id(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  /** A 16-byte trace id whose hex ends with {@code n}. */
  static String traceId(int n) {
    return String.format("4bf92f3577b34da6a3ce929d%08x", n);
  }

  /** An 8-byte span id whose hex ends with {@code n}. */
  static String spanId(int n) {
    return String.format("00f067aa%08x", n);
  }

  static AnyValue value(Object v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof String s) {
      b.setStringValue(s);
    } else if (v instanceof Boolean x) {
      b.setBoolValue(x);
    } else if (v instanceof Integer x) {
      b.setIntValue(x);
    } else if (v instanceof Long x) {
      b.setIntValue(x);
    } else if (v instanceof Double x) {
      b.setDoubleValue(x);
    } else if (v instanceof byte[] x) {
      b.setBytesValue(ByteString.copyFrom(x));
    } else if (v instanceof List<?> list) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      list.forEach(e -> a.addValues(value(e)));
      b.setArrayValue(a);
    } else if (v instanceof Map<?, ?> map) {
      KeyValueList.Builder kv = KeyValueList.newBuilder();
      map.forEach((k, e) -> kv.addValues(kv((String) k, e)));
      b.setKvlistValue(kv);
    } else if (v != null) {
      throw new IllegalArgumentException("unsupported " + v.getClass());
    }
    return b.build();
  }

  static KeyValue kv(String key, Object v) {
    return KeyValue.newBuilder().setKey(key).setValue(value(v)).build();
  }

  /** A span; times are milliseconds after a fixed epoch instant (fractions allowed). */
  static Span.Builder span(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      double startMs,
      double endMs) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(id(traceId))
            .setSpanId(id(spanId))
            .setName(name)
            .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(at(startMs))
            .setEndTimeUnixNano(at(endMs));
    if (parentSpanId != null) {
      b.setParentSpanId(id(parentSpanId));
    }
    return b;
  }

  static final long EPOCH_NANOS = 1_700_000_000_000_000_000L;

  static long at(double ms) {
    return EPOCH_NANOS + Math.round(ms * 1_000_000);
  }

  static ExportTraceServiceRequest request(Span.Builder... spans) {
    ScopeSpans.Builder scope =
        ScopeSpans.newBuilder()
            .setScope(InstrumentationScope.newBuilder().setName("io.tdsagent").setVersion("0.1.0"));
    for (Span.Builder s : spans) {
      scope.addSpans(s);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", "demo")))
                .addScopeSpans(scope))
        .build();
  }

  static HttpResponse<byte[]> post(
      String url, String contentType, String contentEncoding, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentEncoding != null) {
      b.header("Content-Encoding", contentEncoding);
    }
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<byte[]> postProtobuf(
      OtlpReceiver receiver, ExportTraceServiceRequest request) {
    return post(receiver.tracesEndpoint(), "application/x-protobuf", null, request.toByteArray());
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
