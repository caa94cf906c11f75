package io.tdsagent.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.MemoryMode;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import java.util.Collection;

/**
 * Wraps the configured metric exporter as {@link ReportingSpanExporter} wraps the span exporter:
 * without it the SDK's periodic reader says "Exporter failed" at every period (once a minute by
 * default) for as long as the collector is away. Everything else is the delegate's (temporality,
 * default aggregation, memory mode).
 */
final class ReportingMetricExporter implements MetricExporter {
  private final MetricExporter delegate;
  private final ExportFailures failures;

  ReportingMetricExporter(MetricExporter delegate, String destination) {
    this.delegate = delegate;
    this.failures = new ExportFailures("metrics", "metric(s)", destination);
  }

  ExportFailures failures() {
    return failures;
  }

  @Override
  public CompletableResultCode export(Collection<MetricData> metrics) {
    return failures.follow(metrics.size(), () -> delegate.export(metrics));
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return delegate.getAggregationTemporality(instrumentType);
  }

  @Override
  public Aggregation getDefaultAggregation(InstrumentType instrumentType) {
    return delegate.getDefaultAggregation(instrumentType);
  }

  @Override
  public MemoryMode getMemoryMode() {
    return delegate.getMemoryMode();
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
