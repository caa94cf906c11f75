package io.tdsagent.agent.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A span decided on but not yet made: name, times (in {@link System#nanoTime()} units),
 * attributes, status, events and children. Built on the driver's thread from decoded TDS
 * events; turned into OpenTelemetry spans on the export thread, so the driver never waits on the
 * SDK. Knows nothing of OpenTelemetry's API, only of its vocabulary.
 */
public final class SpanPlan {
  public enum Kind { CLIENT, INTERNAL }

  public enum Status { UNSET, OK, ERROR }

  /**
   * Work left for the export thread (e.g. sanitising SQL text and naming the span after it), so
   * the driver's thread only records.
   */
  public interface Deferred {
    void complete(Builder b);
  }

  /** A point in time inside a span. */
  public static final class Event {
    private final String name;
    private final long timeNanos;
    private final Map<String, Object> attributes;

    public Event(String name, long timeNanos, Map<String, Object> attributes) {
      this.name = name;
      this.timeNanos = timeNanos;
      this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public String name() { return name; }
    public long timeNanos() { return timeNanos; }
    public Map<String, Object> attributes() { return attributes; }
  }

  /** The application's span current when the connection started, as W3C identifiers. */
  public static final class RemoteParent {
    private final String traceId;
    private final String spanId;
    private final boolean sampled;

    public RemoteParent(String traceId, String spanId, boolean sampled) {
      this.traceId = traceId;
      this.spanId = spanId;
      this.sampled = sampled;
    }

    public String traceId() { return traceId; }
    public String spanId() { return spanId; }
    public boolean sampled() { return sampled; }
  }

  private final String name;
  private final Kind kind;
  private final long startNanos;
  private final long endNanos;
  private final Map<String, Object> attributes;
  private final Status status;
  private final String statusDescription;
  private final List<Event> events;
  private final List<SpanPlan> children;
  private final RemoteParent parent;
  private final SpanPlan link;
  private final boolean linkTarget;
  private final Deferred deferred;

  private SpanPlan(Builder b) {
    this.name = b.name;
    this.kind = b.kind;
    this.startNanos = b.startNanos;
    this.endNanos = Math.max(b.startNanos, b.endNanos);
    this.attributes = Collections.unmodifiableMap(new LinkedHashMap<>(b.attributes));
    this.status = b.status;
    this.statusDescription = b.statusDescription;
    this.events = Collections.unmodifiableList(new ArrayList<>(b.events));
    this.children = Collections.unmodifiableList(new ArrayList<>(b.children));
    this.parent = b.parent;
    this.link = b.link;
    this.linkTarget = b.linkTarget;
    this.deferred = b.deferred;
  }

  /** This plan with its deferred work done; itself when there is none. */
  public SpanPlan resolve() {
    if (deferred == null) {
      return this;
    }
    Builder b = new Builder(name, startNanos);
    b.kind = kind;
    b.endNanos = endNanos;
    b.attributes.putAll(attributes);
    b.status = status;
    b.statusDescription = statusDescription;
    b.events.addAll(events);
    b.children.addAll(children);
    b.parent = parent;
    b.link = link;
    b.linkTarget = linkTarget;
    deferred.complete(b);
    return b.build();
  }

  public static Builder builder(String name, long startNanos) {
    return new Builder(name, startNanos);
  }

  public String name() { return name; }
  public Kind kind() { return kind; }
  public long startNanos() { return startNanos; }
  public long endNanos() { return endNanos; }
  public Map<String, Object> attributes() { return attributes; }
  public Status status() { return status; }
  public String statusDescription() { return statusDescription; }
  public List<Event> events() { return events; }
  public List<SpanPlan> children() { return children; }
  /** Null when the span has no parent outside this plan. */
  public RemoteParent parent() { return parent; }
  /** An earlier root plan this span links to (a request to its connection's login); may be null. */
  public SpanPlan link() { return link; }
  /** Later plans will link to this one: the exporter remembers its span context. */
  public boolean linkTarget() { return linkTarget; }

  @Override
  public String toString() {
    return name + attributes + (children.isEmpty() ? "" : " " + children);
  }

  /** Mutable, single-threaded; {@link #build()} freezes it. */
  public static final class Builder {
    private String name;
    private Kind kind = Kind.INTERNAL;
    private final long startNanos;
    private long endNanos;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private Status status = Status.UNSET;
    private String statusDescription;
    private final List<Event> events = new ArrayList<>();
    private final List<SpanPlan> children = new ArrayList<>();
    private RemoteParent parent;
    private SpanPlan link;
    private boolean linkTarget;
    private Deferred deferred;

    private Builder(String name, long startNanos) {
      this.name = name;
      this.startNanos = startNanos;
      this.endNanos = startNanos;
    }

    public Builder kind(Kind k) { this.kind = k; return this; }
    public Builder name(String n) { this.name = n; return this; }
    public Builder deferred(Deferred d) { this.deferred = d; return this; }
    public Builder end(long nanos) { this.endNanos = nanos; return this; }

    /** Null values are left out, so callers can pass optional fields straight through. */
    public Builder attr(String key, Object value) {
      if (value != null) {
        attributes.put(key, value);
      }
      return this;
    }

    public Builder error(String description) {
      this.status = Status.ERROR;
      this.statusDescription = description;
      return this;
    }

    public Builder event(String eventName, long nanos, Map<String, Object> attrs) {
      events.add(new Event(eventName, nanos, attrs));
      return this;
    }

    public Builder child(SpanPlan c) { children.add(c); return this; }
    public Builder parent(RemoteParent p) { this.parent = p; return this; }
    public Builder link(SpanPlan target) { this.link = target; return this; }
    public Builder linkTarget() { this.linkTarget = true; return this; }

    public SpanPlan build() { return new SpanPlan(this); }
  }
}
