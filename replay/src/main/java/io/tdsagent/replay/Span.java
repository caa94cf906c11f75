package io.tdsagent.replay;

import io.tdsagent.trace.SpanPlan;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished span as the sinks write it: a resolved {@link SpanPlan} of the shared model (its
 * name, kind, times, status and, made OTLP's value types, its attributes and events) with the ids
 * {@link PlanExport} gave it and the connection it came from. Attribute values are String, Long,
 * Double, Boolean or List of String. Ids are lowercase hex (32 and 16 digits), as OTLP's JSON
 * encoding writes them.
 */
public final class Span {
  private final String traceId;
  private final String spanId;
  private final String parentSpanId;
  private final SpanPlan plan;
  private final Map<String, Object> attributes;
  private final List<Event> events;
  private final List<String[]> links;
  private final String connection;

  /** A point in time inside a span. */
  public static final class Event {
    public final String name;
    public final long timeNanos;
    public final Map<String, Object> attributes;

    Event(SpanPlan.Event e) {
      this.name = e.name();
      this.timeNanos = e.timeNanos();
      this.attributes = otlpValues(e.attributes());
    }
  }

  /**
   * @param plan resolved (its deferred work done); its children are spans of their own
   * @param links linked spans, each as {traceId, spanId}
   */
  public Span(
      String traceId,
      String spanId,
      String parentSpanId,
      SpanPlan plan,
      List<String[]> links,
      String connection) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.plan = plan;
    this.attributes = otlpValues(plan.attributes());
    Event[] e = new Event[plan.events().size()];
    for (int i = 0; i < e.length; i++) {
      e[i] = new Event(plan.events().get(i));
    }
    this.events = List.of(e);
    this.links = List.copyOf(links);
    this.connection = connection;
  }

  public List<Event> events() {
    return events;
  }

  /** Linked spans, each as {traceId, spanId}. */
  public List<String[]> links() {
    return links;
  }

  /**
   * The TCP connection the span came from, "client -> server"; spans of one connection come in a
   * row.
   */
  public String connection() {
    return connection;
  }

  public String traceId() {
    return traceId;
  }

  public String spanId() {
    return spanId;
  }

  /** Null for a root span. */
  public String parentSpanId() {
    return parentSpanId;
  }

  public String name() {
    return plan.name();
  }

  public SpanPlan.Kind kind() {
    return plan.kind();
  }

  public long startNanos() {
    return plan.startNanos();
  }

  public long endNanos() {
    return plan.endNanos();
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  public Object attribute(String key) {
    return attributes.get(key);
  }

  public boolean isError() {
    return plan.status() == SpanPlan.Status.ERROR;
  }

  /** The error's description; null when the span is not an error. */
  public String statusMessage() {
    return isError() ? plan.statusDescription() : null;
  }

  @Override
  public String toString() {
    return "Span{"
        + name()
        + ", "
        + startNanos()
        + ".."
        + endNanos()
        + ", "
        + attributes
        + (isError() ? ", ERROR " + statusMessage() : "")
        + '}';
  }

  /** The map with its values made the types OTLP has; nulls left out. */
  private static Map<String, Object> otlpValues(Map<String, Object> attrs) {
    Map<String, Object> a = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : attrs.entrySet()) {
      Object v = otlpValue(e.getValue());
      if (v != null) {
        a.put(e.getKey(), v);
      }
    }
    return Collections.unmodifiableMap(a);
  }

  /**
   * The value types OTLP has: String, Long, Double, Boolean, List of those; others as their text.
   */
  private static Object otlpValue(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float) {
      return ((Float) value).doubleValue();
    }
    if (value instanceof String
        || value instanceof Long
        || value instanceof Double
        || value instanceof Boolean
        || value instanceof List) {
      return value;
    }
    return value == null ? null : String.valueOf(value);
  }
}
