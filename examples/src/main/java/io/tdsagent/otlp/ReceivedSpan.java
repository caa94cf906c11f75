package io.tdsagent.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * An immutable, flattened view of one OTLP span as it arrived on the wire, together with its
 * resource and instrumentation scope.
 *
 * <p>Ids are lowercase hex ({@code ""} when absent); {@link #kind()} is the OTLP enum name without
 * its prefix ({@code "CLIENT"}, {@code "INTERNAL"}, ...), {@link #statusCode()} is {@code "UNSET"},
 * {@code "OK"} or {@code "ERROR"}. Attribute values are converted as follows: string to {@link
 * String}, int to {@link Long}, double to {@link Double}, bool to {@link Boolean}, array to an
 * unmodifiable {@link List}, key/value list to an unmodifiable ordered {@link Map}, bytes to a
 * lowercase hex {@link String}, and an empty value to {@code null}. Attribute maps keep the wire
 * order and are unmodifiable.
 */
public record ReceivedSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String traceState,
    int flags,
    String name,
    String kind,
    long startEpochNanos,
    long endEpochNanos,
    Map<String, Object> attributes,
    int droppedAttributesCount,
    String statusCode,
    String statusMessage,
    List<Event> events,
    List<Link> links,
    Map<String, Object> resourceAttributes,
    String scopeName,
    String scopeVersion) {

  private static final HexFormat HEX = HexFormat.of();

  /** A span event: name, time and attributes. */
  public record Event(String name, long epochNanos, Map<String, Object> attributes) {
    public Event {
      Objects.requireNonNull(name, "name");
      attributes = frozen(attributes);
    }

    /** The attribute's value, or {@code null} when absent. */
    public Object attr(String key) {
      return attributes.get(key);
    }
  }

  /** A span link: the linked span's ids and the link's attributes. */
  public record Link(String traceId, String spanId, Map<String, Object> attributes) {
    public Link {
      Objects.requireNonNull(traceId, "traceId");
      Objects.requireNonNull(spanId, "spanId");
      attributes = frozen(attributes);
    }
  }

  public ReceivedSpan {
    traceId = Objects.requireNonNullElse(traceId, "");
    spanId = Objects.requireNonNullElse(spanId, "");
    parentSpanId = Objects.requireNonNullElse(parentSpanId, "");
    traceState = Objects.requireNonNullElse(traceState, "");
    name = Objects.requireNonNullElse(name, "");
    kind = Objects.requireNonNullElse(kind, "UNSPECIFIED");
    attributes = frozen(attributes);
    statusCode = Objects.requireNonNullElse(statusCode, "UNSET");
    statusMessage = Objects.requireNonNullElse(statusMessage, "");
    events = events == null ? List.of() : List.copyOf(events);
    links = links == null ? List.of() : List.copyOf(links);
    resourceAttributes = frozen(resourceAttributes);
    scopeName = Objects.requireNonNullElse(scopeName, "");
    scopeVersion = Objects.requireNonNullElse(scopeVersion, "");
  }

  /** Flattens one span of a {@code ResourceSpans / ScopeSpans} pair. */
  public static ReceivedSpan fromProto(Resource resource, InstrumentationScope scope, Span span) {
    List<Event> events = new ArrayList<>(span.getEventsCount());
    for (Span.Event e : span.getEventsList()) {
      events.add(new Event(e.getName(), e.getTimeUnixNano(), toMap(e.getAttributesList())));
    }
    List<Link> links = new ArrayList<>(span.getLinksCount());
    for (Span.Link l : span.getLinksList()) {
      links.add(new Link(hex(l.getTraceId()), hex(l.getSpanId()), toMap(l.getAttributesList())));
    }
    Status status = span.getStatus();
    return new ReceivedSpan(
        hex(span.getTraceId()),
        hex(span.getSpanId()),
        hex(span.getParentSpanId()),
        span.getTraceState(),
        span.getFlags(),
        span.getName(),
        kindName(span),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        toMap(span.getAttributesList()),
        span.getDroppedAttributesCount(),
        statusName(status),
        status.getMessage(),
        events,
        links,
        toMap(resource.getAttributesList()),
        scope.getName(),
        scope.getVersion());
  }

  /** {@code end - start}, as sent (negative if the sender's clock misbehaved). */
  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }

  /** True when the span has no parent span id. */
  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  /** True when the status code is ERROR. */
  public boolean isError() {
    return "ERROR".equals(statusCode);
  }

  /** The attribute's value, or {@code null} when absent. */
  public Object attr(String key) {
    return attributes.get(key);
  }

  /** True when the span carries the attribute (even with an empty value). */
  public boolean hasAttr(String key) {
    return attributes.containsKey(key);
  }

  /**
   * The attribute as a string ({@code String.valueOf} of non-strings), or {@code null} when absent.
   */
  public String stringAttr(String key) {
    Object v = attributes.get(key);
    return v == null ? null : v.toString();
  }

  /**
   * The attribute as a long, or {@code null} when absent.
   *
   * @throws IllegalStateException when the attribute is not an int (or double) attribute
   */
  public Long longAttr(String key) {
    Object v = attributes.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.longValue();
    }
    throw new IllegalStateException(
        "attribute " + key + " of span '" + name + "' is not numeric: " + describeValue(v));
  }

  /** The attribute as a double, or {@code null} when absent. */
  public Double doubleAttr(String key) {
    Object v = attributes.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalStateException(
        "attribute " + key + " of span '" + name + "' is not numeric: " + describeValue(v));
  }

  /** The attribute as a boolean, or {@code null} when absent. */
  public Boolean boolAttr(String key) {
    Object v = attributes.get(key);
    if (v == null) {
      return null;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new IllegalStateException(
        "attribute " + key + " of span '" + name + "' is not a boolean: " + describeValue(v));
  }

  /** The resource attribute's value, or {@code null} when absent. */
  public Object resourceAttr(String key) {
    return resourceAttributes.get(key);
  }

  /** The first event with this name, or {@code null}. */
  public Event event(String eventName) {
    for (Event e : events) {
      if (e.name().equals(eventName)) {
        return e;
      }
    }
    return null;
  }

  /** A one-line description for assertion messages and dumps. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append('\'').append(name).append("' ").append(kind);
    sb.append(" trace=").append(traceId).append(" span=").append(spanId);
    sb.append(" parent=").append(parentSpanId.isEmpty() ? "-" : parentSpanId);
    sb.append(String.format(Locale.ROOT, " %.3fms", durationNanos() / 1e6));
    sb.append(' ').append(statusCode);
    if (!statusMessage.isEmpty()) {
      sb.append("(").append(statusMessage).append(')');
    }
    if (!attributes.isEmpty()) {
      sb.append(' ').append(formatAttributes(attributes));
    }
    if (!events.isEmpty()) {
      sb.append(" events=")
          .append(events.stream().map(Event::name).collect(Collectors.joining(",", "[", "]")));
    }
    if (!scopeName.isEmpty()) {
      sb.append(" scope=").append(scopeName);
      if (!scopeVersion.isEmpty()) {
        sb.append('@').append(scopeVersion);
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return "ReceivedSpan[" + describe() + "]";
  }

  // ---------------------------------------------------------------------------------------------

  static String formatAttributes(Map<String, Object> attributes) {
    return attributes.entrySet().stream()
        .map(e -> e.getKey() + "=" + describeValue(e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  static String describeValue(Object v) {
    if (v instanceof String s) {
      return '"' + s + '"';
    }
    return String.valueOf(v);
  }

  static String hex(ByteString bytes) {
    return bytes.isEmpty() ? "" : HEX.formatHex(bytes.toByteArray());
  }

  private static String kindName(Span span) {
    Span.SpanKind kind = span.getKind();
    if (kind == Span.SpanKind.UNRECOGNIZED) {
      return "UNRECOGNIZED(" + span.getKindValue() + ")";
    }
    return stripPrefix(kind.name(), "SPAN_KIND_");
  }

  private static String statusName(Status status) {
    Status.StatusCode code = status.getCode();
    if (code == Status.StatusCode.UNRECOGNIZED) {
      return "UNRECOGNIZED(" + status.getCodeValue() + ")";
    }
    return stripPrefix(code.name(), "STATUS_CODE_");
  }

  private static String stripPrefix(String s, String prefix) {
    return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
  }

  /** Converts OTLP key/values into an unmodifiable map in wire order (later duplicates win). */
  static Map<String, Object> toMap(List<KeyValue> kvs) {
    if (kvs.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> map = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      map.put(kv.getKey(), toJava(kv.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }

  static Object toJava(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        return v.getStringValue();
      case BOOL_VALUE:
        return v.getBoolValue();
      case INT_VALUE:
        return v.getIntValue();
      case DOUBLE_VALUE:
        return v.getDoubleValue();
      case BYTES_VALUE:
        return HEX.formatHex(v.getBytesValue().toByteArray());
      case ARRAY_VALUE:
        {
          List<Object> list = new ArrayList<>(v.getArrayValue().getValuesCount());
          for (AnyValue e : v.getArrayValue().getValuesList()) {
            list.add(toJava(e));
          }
          return Collections.unmodifiableList(list);
        }
      case KVLIST_VALUE:
        return toMap(v.getKvlistValue().getValuesList());
      case STRING_VALUE_STRINDEX:
        // Only meaningful with a profiles dictionary; never sent for traces.
        return "<strindex " + v.getStringValueStrindex() + ">";
      case VALUE_NOT_SET:
      default:
        return null;
    }
  }

  private static Map<String, Object> frozen(Map<String, Object> m) {
    if (m == null || m.isEmpty()) {
      return Map.of();
    }
    // LinkedHashMap, not Map.copyOf: keep the order, allow null (empty) values.
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }
}
