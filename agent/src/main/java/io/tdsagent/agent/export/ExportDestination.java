package io.tdsagent.agent.export;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Where a span exporter sends, in words for log lines: {@code http://collector:4318/v1/traces
 * (http/protobuf)}.
 */
final class ExportDestination {
  static final String HTTP_PROTOBUF = "http/protobuf";

  private ExportDestination() {}

  static String describe(SpanExporter exporter, ConfigProperties config) {
    if (exporter instanceof OtlpHttpSpanExporter) {
      return otlp(config, HTTP_PROTOBUF) + " (" + protocol(config) + ")";
    }
    if (exporter instanceof OtlpGrpcSpanExporter) {
      return otlp(config, "grpc") + " (grpc)";
    }
    return exporter.getClass().getSimpleName();
  }

  static String protocol(ConfigProperties config) {
    return config.getString(
        "otel.exporter.otlp.traces.protocol",
        config.getString("otel.exporter.otlp.protocol", HTTP_PROTOBUF));
  }

  /** The URL the OTLP exporter posts to, resolved as autoconfigure does. */
  static String otlp(ConfigProperties config, String protocol) {
    String signal = config.getString("otel.exporter.otlp.traces.endpoint");
    if (signal != null) {
      return signal;
    }
    boolean http = protocol.startsWith("http");
    String base =
        config.getString(
            "otel.exporter.otlp.endpoint",
            http ? "http://localhost:4318" : "http://localhost:4317");
    if (!http) {
      return base;
    }
    return (base.endsWith("/") ? base : base + "/") + "v1/traces";
  }
}
