package io.tdsagent.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished span. Attribute values are String, Long, Double, Boolean or List of String; nulls are dropped
 * when set. Ids are lowercase hex (32 and 16 digits), as OTLP's JSON encoding writes them.
 */
public final class Span {
    public enum Kind { INTERNAL, CLIENT }

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
        return "Span{" + name + ", " + startNanos + ".." + endNanos + ", " + attributes + (error ? ", ERROR " + statusMessage : "")
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
            if (value instanceof Integer) {
                value = ((Integer) value).longValue();
            }
            if (value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean
                    || value instanceof List) {
                attributes.put(key, value);
            } else if (value != null) {
                attributes.put(key, String.valueOf(value));
            }
            return this;
        }

        public Builder error(String message) {
            this.error = true;
            this.statusMessage = message;
            return this;
        }

        public Span build() {
            return new Span(this);
        }
    }
}
