package io.tdsagent.replay;

import io.tdsagent.trace.SpanPlan;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * An OTLP {@code ExportTraceServiceRequest} in the protobuf wire format, written by hand: the few
 * messages and field numbers of opentelemetry-proto's {@code trace/v1/trace.proto}, {@code
 * common/v1/common.proto} and {@code resource/v1/resource.proto} need no protobuf library (the
 * replay jar has no dependencies).
 */
final class OtlpProtobuf {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LEN = 2;

  private OtlpProtobuf() {}

  /** ExportTraceServiceRequest { resource_spans = 1 }, one ResourceSpans with one ScopeSpans. */
  static byte[] request(List<Span> spans, String serviceName, String scopeName) {
    Msg resource =
        new Msg().message(1, keyValue("service.name", serviceName)); // Resource.attributes = 1
    Msg scope = new Msg().string(1, scopeName); // InstrumentationScope.name = 1
    Msg scopeSpans = new Msg().message(1, scope); // ScopeSpans.scope = 1
    for (Span s : spans) {
      scopeSpans.message(2, span(s)); // ScopeSpans.spans = 2
    }
    Msg resourceSpans =
        new Msg()
            .message(1, resource)
            .message(2, scopeSpans); // ResourceSpans.resource, scope_spans
    return new Msg().message(1, resourceSpans).bytes();
  }

  private static Msg span(Span s) {
    Msg m = new Msg().bytes(1, hex(s.traceId())).bytes(2, hex(s.spanId()));
    if (s.parentSpanId() != null) {
      m.bytes(4, hex(s.parentSpanId()));
    }
    m.string(5, s.name())
        // SpanKind: 1 INTERNAL, 3 CLIENT
        .varint(6, s.kind() == SpanPlan.Kind.CLIENT ? 3 : 1)
        .fixed64(7, s.startNanos())
        .fixed64(8, s.endNanos());
    for (Map.Entry<String, Object> a : s.attributes().entrySet()) {
      m.message(9, keyValue(a.getKey(), a.getValue()));
    }
    for (Span.Event e : s.events()) {
      Msg em = new Msg().fixed64(1, e.timeNanos).string(2, e.name); // Event.time_unix_nano, name
      for (Map.Entry<String, Object> a : e.attributes.entrySet()) {
        em.message(3, keyValue(a.getKey(), a.getValue())); // Event.attributes
      }
      m.message(11, em); // Span.events
    }
    for (String[] l : s.links()) {
      m.message(
          13, new Msg().bytes(1, hex(l[0])).bytes(2, hex(l[1]))); // Span.links: trace_id, span_id
    }
    if (s.isError()) {
      Msg status = new Msg();
      if (s.statusMessage() != null) {
        status.string(2, s.statusMessage()); // Status.message
      }
      m.message(15, status.varint(3, 2)); // Status.code = STATUS_CODE_ERROR
    }
    return m;
  }

  /** KeyValue { key = 1, value = 2 }. */
  private static Msg keyValue(String key, Object value) {
    return new Msg().string(1, key).message(2, anyValue(value));
  }

  /**
   * AnyValue { string_value = 1, bool_value = 2, int_value = 3, double_value = 4, array_value = 5
   * }.
   */
  private static Msg anyValue(Object v) {
    Msg m = new Msg();
    if (v instanceof Boolean) {
      m.varint(2, (Boolean) v ? 1 : 0);
    } else if (v instanceof Long || v instanceof Integer) {
      m.varint(3, ((Number) v).longValue());
    } else if (v instanceof Double) {
      m.fixed64(4, Double.doubleToRawLongBits((Double) v));
    } else if (v instanceof List) {
      Msg array = new Msg(); // ArrayValue { values = 1 }
      for (Object o : (List<?>) v) {
        array.message(1, anyValue(o));
      }
      m.message(5, array);
    } else {
      m.string(1, String.valueOf(v));
    }
    return m;
  }

  private static byte[] hex(String h) {
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  /** A message being written: fields in the order given. */
  static final class Msg {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Msg varint(int field, long value) {
      tag(field, VARINT);
      rawVarint(value);
      return this;
    }

    Msg fixed64(int field, long value) {
      tag(field, FIXED64);
      for (int i = 0; i < 8; i++) {
        out.write((int) (value >>> (8 * i)) & 0xFF);
      }
      return this;
    }

    Msg bytes(int field, byte[] value) {
      tag(field, LEN);
      rawVarint(value.length);
      out.writeBytes(value);
      return this;
    }

    Msg string(int field, String value) {
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Msg message(int field, Msg m) {
      return bytes(field, m.bytes());
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    private void tag(int field, int wireType) {
      rawVarint((long) field << 3 | wireType);
    }

    private void rawVarint(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) (v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
