package io.tdsagent.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import io.tdsagent.agent.trace.LoginTraceBuilder;
import io.tdsagent.agent.trace.SpanPlan;
import io.tdsagent.agent.trace.TdsAttributes;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Metrics by the OpenTelemetry database conventions, recorded on the export thread from the same plans the spans
 * are made from (the driver's thread does nothing more for them). Each value is recorded in its span's context, so
 * the SDK attaches an exemplar that points at the trace when the span is sampled.
 */
final class DbMetrics {
  /** The semantic conventions' advice for {@code db.client.operation.duration}, in seconds. */
  static final List<Double> DURATION_BUCKETS = List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0);
  static final String OPERATION_DURATION = "db.client.operation.duration";
  static final String CREATE_TIME = "db.client.connection.create_time";
  static final String PHASE_DURATION = "tds.login.phase.duration";
  static final String LOGIN_FAILURES = "tds.login.failures";
  static final String PHASE = "tds.login.phase";

  /** What a request's duration is broken down by: the stable semantic conventions' attributes. */
  private static final List<String> OPERATION_KEYS = List.of(TdsAttributes.DB_SYSTEM_NAME, TdsAttributes.DB_NAMESPACE,
      TdsAttributes.DB_OPERATION_NAME, TdsAttributes.SERVER_ADDRESS, TdsAttributes.SERVER_PORT,
      TdsAttributes.ERROR_TYPE, TdsAttributes.DB_RESPONSE_STATUS_CODE);
  private static final List<String> LOGIN_KEYS = List.of(TdsAttributes.DB_SYSTEM_NAME, TdsAttributes.SERVER_ADDRESS,
      TdsAttributes.SERVER_PORT, TdsAttributes.ERROR_TYPE);
  private static final List<String> FAILURE_KEYS = List.of(TdsAttributes.DB_SYSTEM_NAME, TdsAttributes.SERVER_ADDRESS,
      TdsAttributes.SERVER_PORT, TdsAttributes.ERROR_TYPE, TdsAttributes.DB_RESPONSE_STATUS_CODE,
      TdsAttributes.ERROR_STATE);
  private static final AttributeKey<String> PHASE_KEY = AttributeKey.stringKey(PHASE);

  private final DoubleHistogram operationDuration;
  private final DoubleHistogram createTime;
  private final DoubleHistogram phaseDuration;
  private final LongCounter loginFailures;
  private final LongCounter overBudget;
  private final AttributeKeys keys;

  /**
   * {@code dropped}: plans the agent's queue shed; {@code exportFailures}: spans the exporters failed to send (both
   * read when metrics are collected).
   */
  DbMetrics(Meter meter, AttributeKeys keys, LongSupplier dropped, LongSupplier exportFailures) {
    this.keys = keys;
    operationDuration = meter.histogramBuilder(OPERATION_DURATION).setUnit("s")
        .setDescription("Duration of database client operations.").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
    createTime = meter.histogramBuilder(CREATE_TIME).setUnit("s")
        .setDescription("The time it took to create a new connection (TCP connect to the login's answer).")
        .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
    phaseDuration = meter.histogramBuilder(PHASE_DURATION).setUnit("s")
        .setDescription("Duration of each step of a SQL Server login.").setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
        .build();
    loginFailures = meter.counterBuilder(LOGIN_FAILURES).setUnit("{login}")
        .setDescription("SQL Server logins that failed.").build();
    overBudget = meter.counterBuilder("tds.agent.requests.over_budget").setUnit("{request}")
        .setDescription("Requests the agent did not trace because the connection's request budget was spent.").build();
    meter.counterBuilder("tds.agent.spans.dropped").setUnit("{trace}")
        .setDescription("Traces the agent dropped because its export queue was full.")
        .buildWithCallback(m -> m.record(dropped.getAsLong()));
    meter.counterBuilder("tds.agent.export.failures").setUnit("{span}")
        .setDescription("Spans the exporters failed to send.")
        .buildWithCallback(m -> m.record(exportFailures.getAsLong()));
  }

  /**
   * One plan just made into a span ({@code context} holds that span); {@code parent} is the plan it is a child of,
   * null for a root.
   */
  void record(SpanPlan plan, SpanPlan parent, Context context) {
    if (parent == null) {
      if (LoginTraceBuilder.LOGIN_SPAN.equals(plan.name())) {
        login(plan, context);
      } else if (plan.kind() == SpanPlan.Kind.CLIENT) {
        request(plan, context);
      }
    } else if (LoginTraceBuilder.LOGIN_SPAN.equals(parent.name())) {
      phaseDuration.record(seconds(plan), Attributes.of(PHASE_KEY, plan.name()), context);
    }
  }

  private void login(SpanPlan plan, Context context) {
    createTime.record(seconds(plan), pick(plan.attributes(), LOGIN_KEYS), context);
    if (plan.status() == SpanPlan.Status.ERROR) {
      loginFailures.add(1, pick(plan.attributes(), FAILURE_KEYS), context);
    }
  }

  private void request(SpanPlan plan, Context context) {
    operationDuration.record(seconds(plan), pick(plan.attributes(), OPERATION_KEYS), context);
    Object notTraced = plan.attributes().get(TdsAttributes.NOT_TRACED_BEFORE);
    if (notTraced instanceof Long && (Long) notTraced > 0) {
      overBudget.add((Long) notTraced, pick(plan.attributes(), LOGIN_KEYS), context);
    }
  }

  private Attributes pick(Map<String, Object> from, List<String> names) {
    AttributesBuilder b = Attributes.builder();
    AttributeKeys.Target target = AttributeKeys.of(b);
    for (String name : names) {
      Object v = from.get(name);
      if (v != null) {
        keys.put(target, name, v);
      }
    }
    return b.build();
  }

  private static double seconds(SpanPlan plan) {
    return (plan.endNanos() - plan.startNanos()) / 1e9;
  }
}
