package io.tdsagent.agent.export;

import io.tdsagent.agent.time.Clock;
import io.tdsagent.trace.SpanPlan;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Spans made through the OpenTelemetry Java agent's own SDK, when it runs in the JVM (tds-agent as
 * its extension, or beside it): one pipeline, its sampler, resource, exporters and {@code otel.*}
 * settings. The agent keeps its API shaded in the bootstrap class loader, and tds-agent's own API
 * is relocated too, so the two meet by reflection, on the export thread only.
 */
final class HostTracing {
  // Built at run time: the build relocates class-name literals, and these name the OpenTelemetry
  // agent's classes.
  private static final String API =
      String.join(".", "io", "opentelemetry", "javaagent", "shaded", "io", "opentelemetry");

  /**
   * The OpenTelemetry Java agent's classes are loaded but it is switched off (set once, on the
   * export thread).
   */
  static volatile boolean inactive;

  private final Object tracer;
  private final Object meter;
  private final Method spanBuilder;
  private final Method setSpanKind;
  private final Method setStartTimestamp;
  private final Method setString;
  private final Method setLong;
  private final Method setDouble;
  private final Method setBoolean;
  private final Method setKeyed;
  private final Method stringArrayKey;
  private final Method setParent;
  private final Method setNoParent;
  private final Method addLink;
  private final Method startSpan;
  private final Method addEvent;
  private final Method setStatus;
  private final Method end;
  private final Method getSpanContext;
  private final Method isSampled;
  private final Method createFromRemoteParent;
  private final Method wrap;
  private final Object sampledFlags;
  private final Object defaultFlags;
  private final Object defaultTraceState;
  private final Object rootContext;
  private final Method contextWith;
  private final Method attributesBuilder;
  private final Method putString;
  private final Method putLong;
  private final Method putDouble;
  private final Method putBoolean;
  private final Method putStrings;
  private final Method buildAttributes;
  private final Object client;
  private final Object internal;
  private final Object error;
  private final Object ok;
  private final Object emptyAttributes;

  private HostTracing(String scope, String version) throws ReflectiveOperationException {
    Class<?> global = type("api.GlobalOpenTelemetry");
    Class<?> otel = type("api.OpenTelemetry");
    Class<?> tracerType = type("api.trace.Tracer");
    Class<?> builder = type("api.trace.SpanBuilder");
    Class<?> span = type("api.trace.Span");
    Class<?> kind = type("api.trace.SpanKind");
    Class<?> spanContext = type("api.trace.SpanContext");
    Class<?> traceFlags = type("api.trace.TraceFlags");
    Class<?> traceState = type("api.trace.TraceState");
    Class<?> statusCode = type("api.trace.StatusCode");
    Class<?> attributeKey = type("api.common.AttributeKey");
    Class<?> attributes = type("api.common.Attributes");
    Class<?> attributesBuilderType = type("api.common.AttributesBuilder");
    Class<?> context = type("context.Context");
    Class<?> keyed = type("context.ImplicitContextKeyed");
    Object openTelemetry = global.getMethod("get").invoke(null);
    tracer =
        otel.getMethod("getTracer", String.class, String.class)
            .invoke(openTelemetry, scope, version);
    meter = otel.getMethod("getMeter", String.class).invoke(openTelemetry, scope);
    spanBuilder = tracerType.getMethod("spanBuilder", String.class);
    setSpanKind = builder.getMethod("setSpanKind", kind);
    setStartTimestamp = builder.getMethod("setStartTimestamp", long.class, TimeUnit.class);
    setString = builder.getMethod("setAttribute", String.class, String.class);
    setLong = builder.getMethod("setAttribute", String.class, long.class);
    setDouble = builder.getMethod("setAttribute", String.class, double.class);
    setBoolean = builder.getMethod("setAttribute", String.class, boolean.class);
    setKeyed = builder.getMethod("setAttribute", attributeKey, Object.class);
    stringArrayKey = attributeKey.getMethod("stringArrayKey", String.class);
    setParent = builder.getMethod("setParent", context);
    setNoParent = builder.getMethod("setNoParent");
    addLink = builder.getMethod("addLink", spanContext);
    startSpan = builder.getMethod("startSpan");
    addEvent = span.getMethod("addEvent", String.class, attributes, long.class, TimeUnit.class);
    setStatus = span.getMethod("setStatus", statusCode, String.class);
    end = span.getMethod("end", long.class, TimeUnit.class);
    getSpanContext = span.getMethod("getSpanContext");
    isSampled = spanContext.getMethod("isSampled");
    createFromRemoteParent =
        spanContext.getMethod(
            "createFromRemoteParent", String.class, String.class, traceFlags, traceState);
    wrap = span.getMethod("wrap", spanContext);
    sampledFlags = traceFlags.getMethod("getSampled").invoke(null);
    defaultFlags = traceFlags.getMethod("getDefault").invoke(null);
    defaultTraceState = traceState.getMethod("getDefault").invoke(null);
    rootContext = context.getMethod("root").invoke(null);
    contextWith = context.getMethod("with", keyed);
    attributesBuilder = attributes.getMethod("builder");
    putString = attributesBuilderType.getMethod("put", String.class, String.class);
    putLong = attributesBuilderType.getMethod("put", String.class, long.class);
    putDouble = attributesBuilderType.getMethod("put", String.class, double.class);
    putBoolean = attributesBuilderType.getMethod("put", String.class, boolean.class);
    putStrings = attributesBuilderType.getMethod("put", String.class, String[].class);
    buildAttributes = attributesBuilderType.getMethod("build");
    emptyAttributes = attributes.getMethod("empty").invoke(null);
    client = enumValue(kind, "CLIENT");
    internal = enumValue(kind, "INTERNAL");
    error = enumValue(statusCode, "ERROR");
    ok = enumValue(statusCode, "OK");
  }

  /**
   * The OpenTelemetry Java agent's tracing, or null when it is not in this JVM (or cannot be
   * reached).
   */
  static HostTracing find(String scope, String version) {
    if (!HostAgent.present()) {
      return null;
    }
    try {
      HostTracing h = new HostTracing(scope, version);
      if (h.tracer.getClass().getSimpleName().endsWith("DefaultTracer")) {
        // The API's no-op tracer (or its incubator's): the agent's classes are there but it
        // installed no SDK
        // (otel.javaagent.enabled=false), nor JDBC spans. Export on its own, requests as CLIENT
        // spans.
        inactive = true;
        return null;
      }
      return h;
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      java.util.logging.Logger.getLogger("io.tdsagent")
          .log(
              java.util.logging.Level.WARNING,
              "tds-agent: the OpenTelemetry Java agent is present but its API cannot be reached; exporting on its own",
              e);
      return null;
    }
  }

  private static Class<?> type(String name) throws ClassNotFoundException {
    return Class.forName(API + "." + name, false, null);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumValue(Class<?> type, String name) {
    return Enum.valueOf((Class<? extends Enum>) type.asSubclass(Enum.class), name);
  }

  /** The host's context holding a remote parent span. */
  Object remoteParent(SpanPlan.RemoteParent p) throws ReflectiveOperationException {
    Object sc =
        createFromRemoteParent.invoke(
            null,
            p.traceId(),
            p.spanId(),
            p.sampled() ? sampledFlags : defaultFlags,
            defaultTraceState);
    return contextWith.invoke(rootContext, wrap.invoke(null, sc));
  }

  /**
   * Makes the plan and its children into the host's spans, the root under {@code parentContext} (a
   * host context, or null for none) with the given kind, linked to {@code link} (a host span
   * context, or null); returns the root's span context.
   */
  /**
   * Told of each span made, with the host's context holding it (to record metrics in, for
   * exemplars).
   */
  interface Made {
    void made(SpanPlan plan, SpanPlan parent, Object context);
  }

  Object emit(SpanPlan plan, Object parentContext, boolean asClient, Object link, Made made)
      throws ReflectiveOperationException {
    return emit(plan, null, parentContext, asClient, link, made);
  }

  private Object emit(
      SpanPlan plan,
      SpanPlan parentPlan,
      Object parentContext,
      boolean asClient,
      Object link,
      Made made)
      throws ReflectiveOperationException {
    Object b = spanBuilder.invoke(tracer, plan.name());
    setSpanKind.invoke(b, asClient ? client : internal);
    setStartTimestamp.invoke(b, Clock.toEpochNanos(plan.startNanos()), TimeUnit.NANOSECONDS);
    for (Map.Entry<String, Object> e : plan.attributes().entrySet()) {
      setAttribute(b, e.getKey(), e.getValue());
    }
    if (parentContext != null) {
      setParent.invoke(b, parentContext);
    } else {
      setNoParent.invoke(b);
    }
    if (link != null) {
      addLink.invoke(b, link);
    }
    Object span = startSpan.invoke(b);
    for (SpanPlan.Event e : plan.events()) {
      addEvent.invoke(
          span,
          e.name(),
          attributes(e.attributes()),
          Clock.toEpochNanos(e.timeNanos()),
          TimeUnit.NANOSECONDS);
    }
    if (plan.status() == SpanPlan.Status.ERROR) {
      setStatus.invoke(
          span, error, plan.statusDescription() == null ? "" : plan.statusDescription());
    } else if (plan.status() == SpanPlan.Status.OK) {
      setStatus.invoke(span, ok, "");
    }
    Object mine = contextWith.invoke(rootContext, span);
    if (made != null) {
      made.made(plan, parentPlan, mine);
    }
    for (SpanPlan child : plan.children()) {
      emit(child, plan, mine, child.kind() == SpanPlan.Kind.CLIENT, null, made);
    }
    end.invoke(span, Clock.toEpochNanos(plan.endNanos()), TimeUnit.NANOSECONDS);
    return getSpanContext.invoke(span);
  }

  /** The OpenTelemetry agent's meter, for the same metrics as with the agent's own SDK. */
  DbMetrics.Instruments instruments() {
    return new DbMetrics.Instruments() {
      @Override
      public DbMetrics.Recorder histogram(String name, String description) {
        try {
          Object b =
              type("api.metrics.Meter")
                  .getMethod("histogramBuilder", String.class)
                  .invoke(meter, name);
          Class<?> bt = type("api.metrics.DoubleHistogramBuilder");
          bt.getMethod("setUnit", String.class).invoke(b, "s");
          bt.getMethod("setDescription", String.class).invoke(b, description);
          bt.getMethod("setExplicitBucketBoundariesAdvice", List.class)
              .invoke(b, DbMetrics.DURATION_BUCKETS);
          Object h = bt.getMethod("build").invoke(b);
          Method record =
              type("api.metrics.DoubleHistogram")
                  .getMethod(
                      "record",
                      double.class,
                      type("api.common.Attributes"),
                      type("context.Context"));
          return (v, a, c) -> invoke(record, h, v, attributesOrEmpty(a), c);
        } catch (ReflectiveOperationException | RuntimeException e) {
          return (v, a, c) -> {};
        }
      }

      @Override
      public DbMetrics.Recorder counter(String name, String unit, String description) {
        try {
          Object b = counterBuilder(name, unit, description);
          Object counter = type("api.metrics.LongCounterBuilder").getMethod("build").invoke(b);
          Method add =
              type("api.metrics.LongCounter")
                  .getMethod(
                      "add", long.class, type("api.common.Attributes"), type("context.Context"));
          return (v, a, c) -> invoke(add, counter, (long) v, attributesOrEmpty(a), c);
        } catch (ReflectiveOperationException | RuntimeException e) {
          return (v, a, c) -> {};
        }
      }

      @Override
      public void observedCounter(
          String name, String unit, String description, java.util.function.LongSupplier value) {
        try {
          Object b = counterBuilder(name, unit, description);
          Method record =
              type("api.metrics.ObservableLongMeasurement").getMethod("record", long.class);
          java.util.function.Consumer<Object> callback =
              m -> {
                try {
                  record.invoke(m, value.getAsLong());
                } catch (ReflectiveOperationException | RuntimeException e) {
                  // a collection without this value
                }
              };
          type("api.metrics.LongCounterBuilder")
              .getMethod("buildWithCallback", java.util.function.Consumer.class)
              .invoke(b, callback);
        } catch (ReflectiveOperationException | RuntimeException e) {
          // without this instrument
        }
      }
    };
  }

  private Object counterBuilder(String name, String unit, String description)
      throws ReflectiveOperationException {
    Object b =
        type("api.metrics.Meter").getMethod("counterBuilder", String.class).invoke(meter, name);
    Class<?> bt = type("api.metrics.LongCounterBuilder");
    bt.getMethod("setUnit", String.class).invoke(b, unit);
    bt.getMethod("setDescription", String.class).invoke(b, description);
    return b;
  }

  private static void invoke(Method m, Object target, Object... args) {
    try {
      m.invoke(target, args);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // a value lost; never an exception on the export thread
    }
  }

  private Object attributesOrEmpty(Map<String, Object> map) {
    try {
      return attributes(map);
    } catch (ReflectiveOperationException e) {
      return emptyAttributes;
    }
  }

  boolean isSampled(Object spanContext) throws ReflectiveOperationException {
    return (Boolean) isSampled.invoke(spanContext);
  }

  private void setAttribute(Object b, String key, Object v) throws ReflectiveOperationException {
    if (v instanceof String) {
      setString.invoke(b, key, v);
    } else if (v instanceof Boolean) {
      setBoolean.invoke(b, key, v);
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      setLong.invoke(b, key, ((Number) v).longValue());
    } else if (v instanceof Number) {
      setDouble.invoke(b, key, ((Number) v).doubleValue());
    } else if (v instanceof List) {
      setKeyed.invoke(b, stringArrayKey.invoke(null, key), List.of(strings((List<?>) v)));
    } else if (v != null) {
      setString.invoke(b, key, String.valueOf(v));
    }
  }

  private Object attributes(Map<String, Object> map) throws ReflectiveOperationException {
    if (map.isEmpty()) {
      return emptyAttributes;
    }
    Object ab = attributesBuilder.invoke(null);
    for (Map.Entry<String, Object> e : map.entrySet()) {
      Object v = e.getValue();
      if (v instanceof String) {
        putString.invoke(ab, e.getKey(), v);
      } else if (v instanceof Boolean) {
        putBoolean.invoke(ab, e.getKey(), v);
      } else if (v instanceof Long
          || v instanceof Integer
          || v instanceof Short
          || v instanceof Byte) {
        putLong.invoke(ab, e.getKey(), ((Number) v).longValue());
      } else if (v instanceof Number) {
        putDouble.invoke(ab, e.getKey(), ((Number) v).doubleValue());
      } else if (v instanceof List) {
        putStrings.invoke(ab, e.getKey(), (Object) strings((List<?>) v));
      } else if (v != null) {
        putString.invoke(ab, e.getKey(), String.valueOf(v));
      }
    }
    return buildAttributes.invoke(ab);
  }

  private static String[] strings(List<?> list) {
    String[] arr = (String[]) Array.newInstance(String.class, list.size());
    for (int i = 0; i < arr.length; i++) {
      arr[i] = String.valueOf(list.get(i));
    }
    return arr;
  }
}
