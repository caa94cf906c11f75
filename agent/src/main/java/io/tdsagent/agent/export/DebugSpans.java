package io.tdsagent.agent.export;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * With {@code tds.debug}: one line on stderr for each span the agent records (what the sampler
 * keeps), written directly (not through java.util.logging, which the JDK resets at exit, when the
 * last spans go out).
 */
final class DebugSpans implements SpanProcessor {
  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  public boolean isStartRequired() {
    return false;
  }

  @Override
  public void onEnd(ReadableSpan span) {
    SpanData d = span.toSpanData();
    StringBuilder b =
        new StringBuilder("[tds-agent span] '")
            .append(d.getName())
            .append("' ")
            .append(d.getKind())
            .append(" trace=")
            .append(d.getTraceId())
            .append(" span=")
            .append(d.getSpanId());
    if (d.getParentSpanContext().isValid()) {
      b.append(" parent=").append(d.getParentSpanId());
    }
    b.append(d.getSpanContext().isSampled() ? " sampled" : " not-sampled")
        .append(" status=")
        .append(d.getStatus().getStatusCode())
        .append(
            String.format(
                java.util.Locale.ROOT,
                " %.3f ms {",
                (d.getEndEpochNanos() - d.getStartEpochNanos()) / 1e6));
    int[] n = {0};
    d.getAttributes()
        .forEach(
            (k, v) -> b.append(n[0]++ == 0 ? "" : ", ").append(k.getKey()).append('=').append(v));
    b.append('}');
    System.err.println(b);
  }

  @Override
  public boolean isEndRequired() {
    return true;
  }
}
