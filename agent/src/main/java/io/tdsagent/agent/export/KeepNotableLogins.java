package io.tdsagent.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import io.tdsagent.agent.config.AgentConfig;
import io.tdsagent.trace.LoginTraceBuilder;
import io.tdsagent.trace.SpanPlan;
import java.util.List;

/**
 * The configured sampler, except that a failed or slow login is never lost to it: the agent decides
 * once the login has ended (as the request budget does), and a login the sampler would drop is
 * recorded anyway, with {@code tds.sampling.kept} saying why. The steps of a kept login stay with
 * it (a child of a sampled span of the agent's own is sampled, whatever the sampler).
 */
final class KeepNotableLogins implements Sampler {
  static final AttributeKey<String> KEPT = AttributeKey.stringKey("tds.sampling.kept");
  static final String FAILED = "failed_login";
  static final String SLOW = "slow_login";

  /**
   * Why the span being started on this thread is kept whatever the sampler says; set around {@code
   * startSpan}.
   */
  private static final ThreadLocal<String> KEEP = new ThreadLocal<>();

  private final Sampler delegate;

  KeepNotableLogins(Sampler delegate) {
    this.delegate = delegate;
  }

  /** Why this (resolved) plan must be exported whatever the sampler says, or null. */
  static String reason(SpanPlan plan) {
    if (!LoginTraceBuilder.LOGIN_SPAN.equals(plan.name())) {
      return null;
    }
    if (plan.status() == SpanPlan.Status.ERROR) {
      return FAILED;
    }
    return io.tdsagent.trace.LoginAttempts.connectToAnswerNanos(plan)
            >= AgentConfig.slowLoginMillis() * 1_000_000L
        ? SLOW
        : null;
  }

  static void keepNext(String reason) {
    KEEP.set(reason);
  }

  static void done() {
    KEEP.remove();
  }

  /** What the configured sampler alone says of a span under this parent. */
  boolean wouldSample(Context parent, String traceId, String name, SpanKind kind) {
    return delegate
            .shouldSample(parent, traceId, name, kind, Attributes.empty(), List.of())
            .getDecision()
        == SamplingDecision.RECORD_AND_SAMPLE;
  }

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    SamplingResult r =
        delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    if (r.getDecision() == SamplingDecision.RECORD_AND_SAMPLE) {
      return r;
    }
    String why = KEEP.get();
    if (why != null) {
      return SamplingResult.create(SamplingDecision.RECORD_AND_SAMPLE, Attributes.of(KEPT, why));
    }
    SpanContext parent = Span.fromContext(parentContext).getSpanContext();
    if (parent.isValid() && !parent.isRemote() && parent.isSampled()) {
      return SamplingResult.recordAndSample();
    }
    return r;
  }

  @Override
  public String getDescription() {
    return "KeepNotableLogins{" + delegate.getDescription() + "}";
  }
}
