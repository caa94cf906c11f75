package io.tdsagent.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A span decided on but not yet made: name, times (in {@link System#nanoTime()} units), attributes,
 * status, events and children. Built on the driver's thread from decoded TDS events; turned into
 * OpenTelemetry spans on the export thread, so the driver never waits on the SDK. Knows nothing of
 * OpenTelemetry's API, only of its vocabulary.
 */
public final class SpanPlan {
  public enum Kind {
    CLIENT,
    INTERNAL
  }

  public enum Status {
    UNSET,
    OK,
    ERROR
  }

  /**
   * Work left for the export thread (e.g. sanitising SQL text and naming the span after it), so the
   * driver's thread only records.
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
      this.attributes =
          attributes.isEmpty()
              ? Collections.emptyMap()
              : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public String name() {
      return name;
    }

    public long timeNanos() {
      return timeNanos;
    }

    public Map<String, Object> attributes() {
      return attributes;
    }
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

    public String traceId() {
      return traceId;
    }

    public String spanId() {
      return spanId;
    }

    public boolean sampled() {
      return sampled;
    }
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
  private final LinkKey link;
  private final LinkKey linkKey;
  private final Deferred deferred;

  /**
   * Takes the builder's collections as they are (no copy); the builder copies them if it is changed
   * after.
   */
  private SpanPlan(Builder b) {
    this.name = b.name;
    this.kind = b.kind;
    this.startNanos = b.startNanos;
    this.endNanos = Math.max(b.startNanos, b.endNanos);
    this.attributes =
        b.attributes.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(b.attributes);
    this.status = b.status;
    this.statusDescription = b.statusDescription;
    this.events =
        b.events.isEmpty() ? Collections.emptyList() : Collections.unmodifiableList(b.events);
    this.children =
        b.children.isEmpty() ? Collections.emptyList() : Collections.unmodifiableList(b.children);
    this.parent = b.parent;
    this.link = b.link;
    this.linkKey = b.linkKey;
    this.deferred = b.deferred;
  }

  /** This plan with its deferred work done; itself when there is none. */
  public SpanPlan resolve() {
    if (deferred == null) {
      return this;
    }
    Builder b = toBuilder();
    deferred.complete(b);
    return b.build();
  }

  /**
   * This plan with more work for the export thread, done after the plan's own (plans never change:
   * a copy). Used for what is learnt after the plan was made, e.g. the application's outcome of the
   * driver call that sent the request.
   */
  public SpanPlan andThen(Deferred more) {
    Builder b = toBuilder();
    Deferred first = deferred;
    b.deferred =
        first == null
            ? more
            : x -> {
              first.complete(x);
              more.complete(x);
            };
    return b.build();
  }

  /** This plan with one more attribute (plans never change: a copy). */
  public SpanPlan withAttribute(String key, Object value) {
    Builder b = toBuilder();
    b.deferred = deferred;
    b.attr(key, value);
    return b.build();
  }

  private Builder toBuilder() {
    Builder b = new Builder(name, startNanos);
    b.kind = kind;
    b.endNanos = endNanos;
    if (!attributes.isEmpty()) {
      attributes.forEach(b.attributes::put); // no entry objects
    }
    b.status = status;
    b.statusDescription = statusDescription;
    if (!events.isEmpty()) {
      b.events.addAll(events);
    }
    if (!children.isEmpty()) {
      b.children.addAll(children);
    }
    b.parent = parent;
    b.link = link;
    b.linkKey = linkKey;
    return b;
  }

  public static Builder builder(String name, long startNanos) {
    return new Builder(name, startNanos);
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

  public Status status() {
    return status;
  }

  public String statusDescription() {
    return statusDescription;
  }

  public List<Event> events() {
    return events;
  }

  public List<SpanPlan> children() {
    return children;
  }

  /** Null when the span has no parent outside this plan. */
  public RemoteParent parent() {
    return parent;
  }

  /**
   * The earlier root plan this span links to (a request to its connection's login), by its key; may
   * be null.
   */
  public LinkKey link() {
    return link;
  }

  /**
   * Non-null when later plans will link to this one: the exporter remembers its span context under
   * this key.
   */
  public LinkKey linkKey() {
    return linkKey;
  }

  /**
   * Names a plan that later plans link to. A connection keeps only this (not the login's whole
   * plan, with its children and attributes) for as long as it is open; the exporter maps it to the
   * span context, weakly.
   */
  public static final class LinkKey {}

  @Override
  public String toString() {
    return name + attributes + (children.isEmpty() ? "" : " " + children);
  }

  /**
   * Mutable, single-threaded. {@link #build()} hands its collections to the plan without copying
   * them; a builder changed after that (a login's root is built more than once) first takes copies,
   * so plans never change.
   */
  public static final class Builder {
    private String name;
    private Kind kind = Kind.INTERNAL;
    private final long startNanos;
    private long endNanos;
    private SmallMap attributes = new SmallMap();
    private Status status = Status.UNSET;
    private String statusDescription;
    private List<Event> events = new ArrayList<>(4);
    private List<SpanPlan> children = new ArrayList<>(0);

    /** The collections belong to a built plan. */
    private boolean shared;

    private RemoteParent parent;
    private LinkKey link;
    private LinkKey linkKey;
    private Deferred deferred;

    private Builder(String name, long startNanos) {
      this.name = name;
      this.startNanos = startNanos;
      this.endNanos = startNanos;
    }

    public Builder kind(Kind k) {
      this.kind = k;
      return this;
    }

    public Builder name(String n) {
      this.name = n;
      return this;
    }

    public Builder deferred(Deferred d) {
      this.deferred = d;
      return this;
    }

    public Builder end(long nanos) {
      this.endNanos = nanos;
      return this;
    }

    public Status status() {
      return status;
    }

    public String name() {
      return name;
    }

    /** The value set for {@code key} so far, or null. */
    public Object attribute(String key) {
      return attributes.get(key);
    }

    /** Null values are left out, so callers can pass optional fields straight through. */
    public Builder attr(String key, Object value) {
      if (value != null) {
        own();
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
      own();
      events.add(new Event(eventName, nanos, attrs));
      return this;
    }

    public Builder child(SpanPlan c) {
      own();
      children.add(c);
      return this;
    }

    public Builder parent(RemoteParent p) {
      this.parent = p;
      return this;
    }

    public Builder link(LinkKey target) {
      this.link = target;
      return this;
    }

    public Builder linkTarget() {
      this.linkKey = new LinkKey();
      return this;
    }

    /**
     * Later plans link to this one by a key made before it (a login attempt's, known to the next
     * attempt).
     */
    public Builder linkTarget(LinkKey key) {
      this.linkKey = key != null ? key : new LinkKey();
      return this;
    }

    public SpanPlan build() {
      shared = true;
      return new SpanPlan(this);
    }

    private void own() {
      if (shared) {
        attributes = new SmallMap(attributes);
        events = new ArrayList<>(events);
        children = new ArrayList<>(children);
        shared = false;
      }
    }
  }
}
