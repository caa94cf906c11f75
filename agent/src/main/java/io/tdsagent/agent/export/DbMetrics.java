package io.tdsagent.agent.export;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import io.tdsagent.trace.LoginTraceBuilder;
import io.tdsagent.trace.SpanPlan;
import io.tdsagent.trace.TdsAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Metrics by the OpenTelemetry database conventions, recorded on the export thread from the same
 * plans the spans are made from (the driver's thread does nothing more for them). Each value is
 * recorded in its span's context, so the SDK attaches an exemplar that points at the trace when the
 * span is sampled.
 */
final class DbMetrics {
  /** The semantic conventions' advice for {@code db.client.operation.duration}, in seconds. */
  static final List<Double> DURATION_BUCKETS =
      List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);

  static final String OPERATION_DURATION = "db.client.operation.duration";
  static final String CREATE_TIME = "db.client.connection.create_time";
  static final String PHASE_DURATION = "tds.login.phase.duration";
  static final String LOGIN_FAILURES = "tds.login.failures";
  static final String PHASE = "tds.login.phase";

  /** What a request's duration is broken down by: the stable semantic conventions' attributes. */
  private static final List<String> OPERATION_KEYS =
      List.of(
          TdsAttributes.DB_SYSTEM_NAME,
          TdsAttributes.DB_NAMESPACE,
          TdsAttributes.DB_OPERATION_NAME,
          TdsAttributes.SERVER_ADDRESS,
          TdsAttributes.SERVER_PORT,
          TdsAttributes.ERROR_TYPE,
          TdsAttributes.DB_RESPONSE_STATUS_CODE);

  private static final List<String> LOGIN_KEYS =
      List.of(
          TdsAttributes.DB_SYSTEM_NAME,
          TdsAttributes.SERVER_ADDRESS,
          TdsAttributes.SERVER_PORT,
          TdsAttributes.ERROR_TYPE);
  private static final List<String> FAILURE_KEYS =
      List.of(
          TdsAttributes.DB_SYSTEM_NAME,
          TdsAttributes.SERVER_ADDRESS,
          TdsAttributes.SERVER_PORT,
          TdsAttributes.ERROR_TYPE,
          TdsAttributes.DB_RESPONSE_STATUS_CODE,
          TdsAttributes.ERROR_STATE);

  /**
   * Where instruments come from: the agent's own SDK, or the OpenTelemetry Java agent's (by
   * reflection).
   */
  interface Instruments {
    /** A histogram in seconds with {@link #DURATION_BUCKETS}. */
    Recorder histogram(String name, String description);

    Recorder counter(String name, String unit, String description);

    void observedCounter(String name, String unit, String description, LongSupplier value);
  }

  /**
   * Records a value with plain attributes in a context (the SDK's or the host's) that holds its
   * span.
   */
  interface Recorder {
    void record(double value, Map<String, Object> attributes, Object context);
  }

  private final Recorder operationDuration;
  private final Recorder createTime;
  private final Recorder phaseDuration;
  private final Recorder loginFailures;
  private final Recorder overBudget;

  /**
   * {@code dropped}: plans the agent's queue shed; {@code exportFailures}: spans the exporters
   * failed to send (both read when metrics are collected).
   */
  DbMetrics(Instruments in, LongSupplier dropped, LongSupplier exportFailures) {
    operationDuration = in.histogram(OPERATION_DURATION, "Duration of database client operations.");
    createTime =
        in.histogram(
            CREATE_TIME,
            "The time it took to create a new connection (TCP connect to the login's answer).");
    phaseDuration = in.histogram(PHASE_DURATION, "Duration of each step of a SQL Server login.");
    loginFailures = in.counter(LOGIN_FAILURES, "{login}", "SQL Server logins that failed.");
    overBudget =
        in.counter(
            "tds.agent.requests.over_budget",
            "{request}",
            "Requests the agent did not trace because the connection's request budget was spent.");
    in.observedCounter(
        "tds.agent.spans.dropped",
        "{trace}",
        "Traces the agent dropped because its export queue was full.",
        dropped);
    in.observedCounter(
        "tds.agent.export.failures",
        "{span}",
        "Spans the exporters failed to send.",
        exportFailures);
  }

  /** The agent's own SDK. */
  static Instruments of(Meter meter, AttributeKeys keys) {
    return new Instruments() {
      @Override
      public Recorder histogram(String name, String description) {
        DoubleHistogram h =
            meter
                .histogramBuilder(name)
                .setUnit("s")
                .setDescription(description)
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
        return (v, a, c) -> h.record(v, attributes(keys, a), (Context) c);
      }

      @Override
      public Recorder counter(String name, String unit, String description) {
        LongCounter counter =
            meter.counterBuilder(name).setUnit(unit).setDescription(description).build();
        return (v, a, c) -> counter.add((long) v, attributes(keys, a), (Context) c);
      }

      @Override
      public void observedCounter(
          String name, String unit, String description, LongSupplier value) {
        meter
            .counterBuilder(name)
            .setUnit(unit)
            .setDescription(description)
            .buildWithCallback(m -> m.record(value.getAsLong()));
      }
    };
  }

  private static Attributes attributes(AttributeKeys keys, Map<String, Object> map) {
    AttributesBuilder b = Attributes.builder();
    keys.putAll(b, map);
    return b.build();
  }

  /**
   * One plan just made into a span ({@code context} holds that span); {@code parent} is the plan it
   * is a child of, null for a root.
   */
  void record(SpanPlan plan, SpanPlan parent, Object context) {
    if (parent == null) {
      if (LoginTraceBuilder.LOGIN_SPAN.equals(plan.name())) {
        login(plan, context);
      } else if (plan.kind() == SpanPlan.Kind.CLIENT) {
        request(plan, context);
      }
    } else if (LoginTraceBuilder.LOGIN_SPAN.equals(parent.name())) {
      phaseDuration.record(seconds(plan), Map.of(PHASE, plan.name()), context);
    }
  }

  private void login(SpanPlan plan, Object context) {
    createTime.record(
        io.tdsagent.trace.LoginAttempts.connectToAnswerNanos(plan) / 1e9,
        pick(plan.attributes(), LOGIN_KEYS),
        context);
    if (plan.status() == SpanPlan.Status.ERROR) {
      loginFailures.record(1, pick(plan.attributes(), FAILURE_KEYS), context);
    }
  }

  private void request(SpanPlan plan, Object context) {
    operationDuration.record(seconds(plan), pick(plan.attributes(), OPERATION_KEYS), context);
    Object notTraced = plan.attributes().get(TdsAttributes.NOT_TRACED_BEFORE);
    if (notTraced instanceof Long && (Long) notTraced > 0) {
      overBudget.record((Long) notTraced, pick(plan.attributes(), LOGIN_KEYS), context);
    }
  }

  private static Map<String, Object> pick(Map<String, Object> from, List<String> names) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String name : names) {
      Object v = from.get(name);
      if (v != null) {
        m.put(name, v);
      }
    }
    return m;
  }

  private static double seconds(SpanPlan plan) {
    return (plan.endNanos() - plan.startNanos()) / 1e9;
  }
}
