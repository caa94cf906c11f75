package io.tdsagent.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * Wraps the configured span exporter to say, once and in the agent's words, that export fails
 * (where to, with which protocol, why), and to count every later failure for the report at exit.
 */
final class ReportingSpanExporter implements SpanExporter {
  private final SpanExporter delegate;
  private final ExportFailures failures;

  ReportingSpanExporter(SpanExporter delegate, String destination) {
    this.delegate = delegate;
    this.failures = new ExportFailures("spans", "span(s)", destination);
  }

  ExportFailures failures() {
    return failures;
  }

  String destination() {
    return failures.destination();
  }

  long failedSpans() {
    return failures.failedItems();
  }

  long exportedSpans() {
    return failures.exportedItems();
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return failures.follow(spans.size(), () -> delegate.export(spans));
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
