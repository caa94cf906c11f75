package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Metrics by the OpenTelemetry database conventions, through the same autoconfigured pipeline as
 * the spans, with nothing but the endpoint configured (metrics go out over OTLP by default, as with
 * the OpenTelemetry Java agent); exemplars point at the traces.
 */
class MetricsE2ETest {
  static final String USER = "metrics_user";
  static final String PASSWORD = "Metrics-Pa55word!";
  static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.NOT_SUPPORTED);

  static String url(String password) {
    return LAB.server().jdbcUrl(JdbcEncrypt.FALSE, USER, password, "databaseName=demo");
  }

  /**
   * The last export's metric of each name (temporality is cumulative: the last holds everything).
   */
  static Map<String, Metric> byName(List<ExportMetricsServiceRequest> requests) {
    Map<String, Metric> m = new LinkedHashMap<>();
    for (ExportMetricsServiceRequest r : requests) {
      for (ResourceMetrics rm : r.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric metric : sm.getMetricsList()) {
            m.put(metric.getName(), metric);
          }
        }
      }
    }
    return m;
  }

  static Map<String, Object> attrs(List<KeyValue> kvs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      AnyValue v = kv.getValue();
      m.put(
          kv.getKey(),
          v.hasIntValue()
              ? (Object) v.getIntValue()
              : v.hasBoolValue() ? v.getBoolValue() : v.getStringValue());
    }
    return m;
  }

  /**
   * Exemplars are reported by the collection they were recorded in: gathered from every export of
   * the metric.
   */
  static Set<String> exemplarTraces(List<ExportMetricsServiceRequest> requests, String metric) {
    Set<String> traces = new java.util.HashSet<>();
    for (ExportMetricsServiceRequest r : requests) {
      for (ResourceMetrics rm : r.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          for (Metric m : sm.getMetricsList()) {
            if (m.getName().equals(metric)) {
              for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                for (Exemplar e : p.getExemplarsList()) {
                  traces.add(HexFormat.of().formatHex(e.getTraceId().toByteArray()));
                }
              }
            }
          }
        }
      }
    }
    return traces;
  }

  @Test
  void databaseMetricsWithExemplarsArriveAtTheReceiver() throws Exception {
    AgentProcess.Result r =
        LAB.app().connect(url(PASSWORD)).connect(url("Wrong-Pa55word!")).run().assertOk();
    assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("ERR 18456")), r::toString);
    List<ReceivedSpan> spans =
        LAB.receiver()
            .awaitSpans(
                s -> s.stream().filter(x -> x.name().equals("SQL Server login")).count() == 2,
                WAIT);
    List<ExportMetricsServiceRequest> exports =
        LAB.receiver()
            .awaitMetrics(
                l ->
                    byName(l).containsKey("db.client.operation.duration")
                        && byName(l).containsKey("tds.login.failures"),
                WAIT);
    Map<String, Metric> metrics = byName(exports);
    String desc = metrics.toString();

    ReceivedSpan okLogin =
        spans.stream()
            .filter(s -> s.name().equals("SQL Server login") && !s.isError())
            .findFirst()
            .orElseThrow();
    ReceivedSpan badLogin =
        spans.stream()
            .filter(s -> s.name().equals("SQL Server login") && s.isError())
            .findFirst()
            .orElseThrow();
    ReceivedSpan select =
        spans.stream()
            .filter(s -> s.name().equals("SELECT"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no SELECT span: " + spans));

    Metric op = metrics.get("db.client.operation.duration");
    assertEquals("s", op.getUnit());
    assertTrue(op.hasHistogram(), desc);
    HistogramDataPoint opPoint =
        op.getHistogram().getDataPointsList().stream()
            .filter(p -> "SELECT".equals(attrs(p.getAttributesList()).get("db.operation.name")))
            .findFirst()
            .orElseThrow(() -> new AssertionError(op.toString()));
    Map<String, Object> opAttrs = attrs(opPoint.getAttributesList());
    assertEquals("microsoft.sql_server", opAttrs.get("db.system.name"), opAttrs::toString);
    assertEquals("demo", opAttrs.get("db.namespace"), opAttrs::toString);
    assertEquals((long) LAB.server().port(), opAttrs.get("server.port"), opAttrs::toString);
    assertTrue(opAttrs.containsKey("server.address"), opAttrs::toString);
    assertFalse(opAttrs.containsKey("db.query.text"), "no high-cardinality attributes: " + opAttrs);
    assertEquals(1, opPoint.getCount(), op::toString);
    assertEquals(
        List.of(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0),
        opPoint.getExplicitBoundsList());
    assertTrue(
        exemplarTraces(exports, op.getName()).contains(select.traceId()),
        () -> "exemplar of the SELECT's trace: " + exports);

    Metric create = metrics.get("db.client.connection.create_time");
    assertEquals("s", create.getUnit());
    long logins =
        create.getHistogram().getDataPointsList().stream()
            .mapToLong(HistogramDataPoint::getCount)
            .sum();
    assertEquals(2, logins, create::toString);
    Set<String> createTraces = exemplarTraces(exports, create.getName());
    assertTrue(
        createTraces.contains(okLogin.traceId()),
        () -> "exemplar with the login's trace id: " + create);
    assertTrue(
        createTraces.contains(badLogin.traceId()),
        () -> "exemplar with the failed login's trace id: " + create);

    Metric phases = metrics.get("tds.login.phase.duration");
    assertEquals("s", phases.getUnit());
    List<String> phaseNames = new ArrayList<>();
    for (HistogramDataPoint p : phases.getHistogram().getDataPointsList()) {
      phaseNames.add((String) attrs(p.getAttributesList()).get("tds.login.phase"));
    }
    assertEquals(
        Set.of(okLogin.traceId(), badLogin.traceId()),
        exemplarTraces(exports, phases.getName()),
        phases::toString);
    assertTrue(
        phaseNames.containsAll(
            List.of("tcp connect", "prelogin", "login7", "loginack", "login error")),
        phaseNames::toString);

    Metric failures = metrics.get("tds.login.failures");
    assertTrue(failures.getSum().getIsMonotonic(), desc);
    assertEquals(1, failures.getSum().getDataPointsCount(), failures::toString);
    NumberDataPoint f = failures.getSum().getDataPoints(0);
    assertEquals(1, f.getAsInt());
    Map<String, Object> fAttrs = attrs(f.getAttributesList());
    assertEquals("18456", fAttrs.get("db.response.status_code"), fAttrs::toString);
    assertTrue(fAttrs.get("tds.error.state") instanceof Long, fAttrs::toString);

    Metric dropped = metrics.get("tds.agent.spans.dropped");
    assertTrue(dropped != null && dropped.getSum().getIsMonotonic(), desc);
    assertEquals(0, dropped.getSum().getDataPoints(0).getAsInt());
    assertTrue(metrics.containsKey("tds.agent.export.failures"), desc);
    for (ResourceMetrics rm : exports.get(0).getResourceMetricsList()) {
      assertEquals("tds-e2e", attrs(rm.getResource().getAttributesList()).get("service.name"));
    }
  }
}
