package io.tdsagent.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished span as the sinks write it: a {@link io.tdsagent.trace.SpanPlan} of the shared model
 * with its ids given ({@link PlanExport}) and the connection it came from. Attribute values are
 * String, Long, Double, Boolean or List of String; nulls are dropped when set. Ids are lowercase
 * hex (32 and 16 digits), as OTLP's JSON encoding writes them.
 */
public final class Span {
  public enum Kind {
    INTERNAL,
    CLIENT
  }

  private final String traceId;
  private final String spanId;
  private final String parentSpanId;
  private final String name;
  private final Kind kind;
  private final long startNanos;
  private final long endNanos;
  private final Map<String, Object> attributes;
  private final boolean error;
  private final String statusMessage;
  private final List<Event> events;
  private final List<String[]> links;
  private final String connection;

  /** A point in time inside a span. */
  public static final class Event {
    public final String name;
    public final long timeNanos;
    public final Map<String, Object> attributes;

    Event(String name, long timeNanos, Map<String, Object> attributes) {
      this.name = name;
      this.timeNanos = timeNanos;
      this.attributes = attributes;
    }
  }

  private Span(Builder b) {
    this.traceId = b.traceId;
    this.spanId = b.spanId;
    this.parentSpanId = b.parentSpanId;
    this.name = b.name;
    this.kind = b.kind;
    this.startNanos = b.startNanos;
    this.endNanos = Math.max(b.startNanos, b.endNanos);
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
    this.error = b.error;
    this.statusMessage = b.statusMessage;
    this.events = List.copyOf(b.events);
    this.links = List.copyOf(b.links);
    this.connection = b.connection;
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

  public static Builder builder(String traceId, String spanId, String parentSpanId, String name) {
    return new Builder(traceId, spanId, parentSpanId, name);
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
    return name;
  }

  public Kind kind() {
    return kind;
  }

  public long startNanos() {
    return startNanos;
  }

  public long endNanos() {
    return endNanos;
  }

  public Map<String, Object> attributes() {
    return attributes;
  }

  public Object attribute(String key) {
    return attributes.get(key);
  }

  public boolean isError() {
    return error;
  }

  public String statusMessage() {
    return statusMessage;
  }

  @Override
  public String toString() {
    return "Span{"
        + name
        + ", "
        + startNanos
        + ".."
        + endNanos
        + ", "
        + attributes
        + (error ? ", ERROR " + statusMessage : "")
        + '}';
  }

  public static final class Builder {
    private final String traceId;
    private final String spanId;
    private final String parentSpanId;
    private final String name;
    private Kind kind = Kind.INTERNAL;
    private long startNanos;
    private long endNanos;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private boolean error;
    private String statusMessage;
    private final List<Event> events = new java.util.ArrayList<>();
    private final List<String[]> links = new java.util.ArrayList<>();
    private String connection;

    Builder(String traceId, String spanId, String parentSpanId, String name) {
      this.traceId = traceId;
      this.spanId = spanId;
      this.parentSpanId = parentSpanId;
      this.name = name;
    }

    public Builder kind(Kind k) {
      this.kind = k;
      return this;
    }

    public Builder time(long start, long end) {
      this.startNanos = start;
      this.endNanos = end;
      return this;
    }

    public Builder attr(String key, Object value) {
      Object v = normalize(value);
      if (v != null) {
        attributes.put(key, v);
      }
      return this;
    }

    /**
     * The value types OTLP has: String, Long, Double, Boolean, List of those; others as their text.
     */
    private static Object normalize(Object value) {
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

    public Builder error(String message) {
      this.error = true;
      this.statusMessage = message;
      return this;
    }

    public Builder event(String name, long timeNanos, Map<String, Object> attrs) {
      Map<String, Object> a = new LinkedHashMap<>();
      for (Map.Entry<String, Object> e : attrs.entrySet()) {
        Object v = normalize(e.getValue());
        if (v != null) {
          a.put(e.getKey(), v);
        }
      }
      events.add(new Event(name, timeNanos, Collections.unmodifiableMap(a)));
      return this;
    }

    public Builder link(String linkedTraceId, String linkedSpanId) {
      links.add(new String[] {linkedTraceId, linkedSpanId});
      return this;
    }

    public Builder connection(String c) {
      this.connection = c;
      return this;
    }

    public Span build() {
      return new Span(this);
    }
  }
}
