package io.tdsagent.agent.export;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * The agent's OpenTelemetry SDK, configured by autoconfigure from {@code otel.*} / {@code OTEL_*}
 * with the defaults of the OpenTelemetry Java agent beneath them, its exporters wrapped so that
 * failures are said once and counted.
 */
final class ExportSetup {
  /**
   * The exporters' own failure lines (a SEVERE line with a stack trace, repeated): the agent says
   * the same once, in its own words. Held strongly so the filter stays.
   */
  private static final List<Logger> QUIETED =
      List.of(
          Logger.getLogger(io.opentelemetry.exporter.otlp.internal.HttpExporter.class.getName()),
          Logger.getLogger(io.opentelemetry.exporter.otlp.internal.GrpcExporter.class.getName()));

  /**
   * The periodic metric reader's "Exporter failed", at WARNING every period while the collector is
   * away: {@link ReportingMetricExporter} says it once instead. Its other lines pass.
   */
  private static final Logger METRIC_READER =
      Logger.getLogger(io.opentelemetry.sdk.metrics.export.PeriodicMetricReader.class.getName());

  final OpenTelemetrySdk sdk;

  /**
   * Half the batch span processor's queue (otel.bsp.max.queue.size): what the exporter may owe
   * before the agent waits.
   */
  private final long inFlightLimit;

  final List<ReportingSpanExporter> exporters;
  final List<ReportingMetricExporter> metricExporters;
  final KeepNotableLogins sampler;

  private ExportSetup(
      OpenTelemetrySdk sdk,
      List<ReportingSpanExporter> exporters,
      List<ReportingMetricExporter> metricExporters,
      KeepNotableLogins sampler,
      long inFlightLimit) {
    this.sdk = sdk;
    this.inFlightLimit = inFlightLimit;
    this.exporters = exporters;
    this.metricExporters = metricExporters;
    this.sampler = sampler;
  }

  static ExportSetup build() {
    List<ReportingSpanExporter> exporters = new CopyOnWriteArrayList<>();
    List<ReportingMetricExporter> metricExporters = new CopyOnWriteArrayList<>();
    KeepNotableLogins[] sampler = new KeepNotableLogins[1];
    long[] queueSize = {2048};
    OpenTelemetrySdk sdk =
        AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(ExportSetup::defaults)
            .addSpanExporterCustomizer(
                (exporter, config) -> {
                  queueSize[0] = config.getInt("otel.bsp.max.queue.size", 2048);
                  ReportingSpanExporter r =
                      new ReportingSpanExporter(
                          exporter,
                          ExportDestination.describe(exporter, config, ExportDestination.TRACES));
                  exporters.add(r);
                  return r;
                })
            .addMetricExporterCustomizer(
                (exporter, config) -> {
                  ReportingMetricExporter r =
                      new ReportingMetricExporter(
                          exporter,
                          ExportDestination.describe(exporter, config, ExportDestination.METRICS));
                  metricExporters.add(r);
                  return r;
                })
            .addSamplerCustomizer(
                (configured, config) -> sampler[0] = new KeepNotableLogins(configured))
            .addResourceCustomizer(
                (resource, config) ->
                    resource.toBuilder().removeIf(ExportSetup::mayHoldSecrets).build())
            .addTracerProviderCustomizer(
                (provider, config) ->
                    io.tdsagent.agent.config.DebugLog.isOn()
                        ? provider.addSpanProcessor(new DebugSpans())
                        : provider)
            .setServiceClassLoader(ExportSetup.class.getClassLoader())
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
    for (Logger l : QUIETED) {
      l.setFilter(r -> false);
    }
    METRIC_READER.setFilter(r -> !"Exporter failed".equals(r.getMessage()));
    return new ExportSetup(
        sdk, exporters, metricExporters, sampler[0], Math.max(1, queueSize[0] / 2));
  }

  /**
   * Below the user's settings (system properties and environment win): OTLP over http/protobuf (to
   * http://localhost:4318 then), as the OpenTelemetry Java agent does, where the bare SDK would use
   * gRPC on 4317; traces and metrics (the agent makes no logs).
   */
  static Map<String, String> defaults() {
    Map<String, String> m = new HashMap<>();
    m.put("otel.exporter.otlp.protocol", ExportDestination.HTTP_PROTOBUF);
    m.put("otel.logs.exporter", "none");
    return m;
  }

  /**
   * The command line (the resource detectors mask {@code -D...password=} but not a JDBC URL with
   * its password among the application's arguments): secrets never leave, so neither does it. The
   * executable, pid and runtime stay.
   */
  static boolean mayHoldSecrets(io.opentelemetry.api.common.AttributeKey<?> key) {
    return key.getKey().equals("process.command_line")
        || key.getKey().equals("process.command_args");
  }

  long inFlightLimit() {
    return inFlightLimit;
  }

  /** Spans every exporter has finished with (sent or failed): the slowest exporter's count. */
  long spansFinished() {
    long min = Long.MAX_VALUE;
    for (ReportingSpanExporter r : exporters) {
      min = Math.min(min, r.exportedSpans() + r.failedSpans());
    }
    return min == Long.MAX_VALUE ? Long.MAX_VALUE : min;
  }

  /** Spans the exporters failed to send, in all. */
  long spansFailed() {
    long n = 0;
    for (ReportingSpanExporter r : exporters) {
      n += r.failedSpans();
    }
    return n;
  }

  SdkTracerProvider tracerProvider() {
    return sdk.getSdkTracerProvider();
  }
}
