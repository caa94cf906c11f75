package io.tdsagent.agent.export;

import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;

/**
 * Where an exporter sends, in words for log lines: {@code http://collector:4318/v1/traces
 * (http/protobuf)}, resolved from the settings as autoconfigure resolves them for that signal.
 */
final class ExportDestination {
  static final String HTTP_PROTOBUF = "http/protobuf";
  static final String TRACES = "traces";
  static final String METRICS = "metrics";

  private ExportDestination() {}

  /** {@code signal}: {@link #TRACES} or {@link #METRICS}. */
  static String describe(Object exporter, ConfigProperties config, String signal) {
    if (exporter instanceof OtlpHttpSpanExporter || exporter instanceof OtlpHttpMetricExporter) {
      return otlp(config, signal, HTTP_PROTOBUF) + " (" + protocol(config, signal) + ")";
    }
    if (exporter instanceof OtlpGrpcSpanExporter || exporter instanceof OtlpGrpcMetricExporter) {
      return otlp(config, signal, "grpc") + " (grpc)";
    }
    return exporter.getClass().getSimpleName();
  }

  static String protocol(ConfigProperties config, String signal) {
    return config.getString(
        "otel.exporter.otlp." + signal + ".protocol",
        config.getString("otel.exporter.otlp.protocol", HTTP_PROTOBUF));
  }

  /** The URL the OTLP exporter posts to, resolved as autoconfigure does. */
  static String otlp(ConfigProperties config, String signal, String protocol) {
    String own = config.getString("otel.exporter.otlp." + signal + ".endpoint");
    if (own != null) {
      return own;
    }
    boolean http = protocol.startsWith("http");
    String base =
        config.getString(
            "otel.exporter.otlp.endpoint",
            http ? "http://localhost:4318" : "http://localhost:4317");
    if (!http) {
      return base;
    }
    return (base.endsWith("/") ? base : base + "/") + "v1/" + signal;
  }
}
