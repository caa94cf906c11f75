package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.e2e.JaegerQuery.JaegerSpan;
import io.tdsagent.e2e.JaegerQuery.Trace;
import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.Step;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Application + agent -> the real OpenTelemetry Collector running the repository's
 * otel-collector.yaml (tail sampling) -> the real Jaeger, both started by examples/backends/run.sh
 * as README.md tells users; the traces are read back from Jaeger's query API, as its UI reads them.
 */
class JaegerE2ETest {
  static final String USER = "app_user";
  static final String CANARY = "Canary-jaeger-Pa55word!";

  /** Tail sampling waits 2-10 s per trace before deciding; a busy machine adds more. */
  static final Duration CEILING = Duration.ofMinutes(3);

  static Backends backends;
  static LabServer slowTls;
  static LabServer plain;

  @BeforeAll
  static void start() throws Exception {
    backends = Backends.start();
    // LOGIN answered after 1.5 s: a slow login, which otel-collector.yaml keeps whatever the
    // sampling.
    slowTls =
        LabServer.builder()
            .port(0)
            .login(USER, CANARY)
            .database("master", "demo")
            .encryption(Encryption.OFF)
            .delay(Step.LOGIN, Duration.ofMillis(1500))
            .build()
            .start();
    plain =
        LabServer.builder()
            .port(0)
            .login(USER, CANARY)
            .database("master", "demo")
            .encryption(Encryption.NOT_SUPPORTED)
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    if (backends != null) {
      backends.close();
    }
    if (slowTls != null) {
      slowTls.close();
    }
    if (plain != null) {
      plain.close();
    }
  }

  /**
   * A forked JVM with the agent, exporting to the Collector: only the port differs from README's
   * command.
   */
  static AgentProcess app(String service) {
    return AgentProcess.exportingTo(backends.collectorHttpEndpoint())
        .prop("otel.service.name", service);
  }

  static String service(String what) {
    return "tds-jaeger-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static List<JaegerSpan> logins(List<Trace> traces) {
    return traces.stream()
        .flatMap(t -> t.spans.stream())
        .filter(s -> s.name.equals("SQL Server login"))
        .collect(Collectors.toList());
  }

  static Trace traceOf(List<Trace> traces, JaegerSpan span) {
    return traces.stream().filter(t -> t.traceId.equals(span.traceId)).findFirst().orElseThrow();
  }

  /**
   * The agent's metrics go through the same Collector (its metrics pipeline writes them to its
   * log).
   */
  @Test
  void metricsArriveAtTheCollector() throws Exception {
    String service = service("metrics");
    String url = plain.jdbcUrl(JdbcEncrypt.FALSE, USER, CANARY, "databaseName=demo");
    String bad = plain.jdbcUrl(JdbcEncrypt.FALSE, USER, "not-the-password", "databaseName=demo");
    app(service).connect(url).connect(bad).run().assertOk();
    List<String> names =
        List.of(
            "db.client.operation.duration",
            "db.client.connection.create_time",
            "tds.login.phase.duration",
            "tds.login.failures");
    long deadline = System.nanoTime() + CEILING.toNanos();
    String log = backends.collectorLog();
    while (!hasAll(log, service, names) && System.nanoTime() < deadline) {
      Thread.sleep(500);
      log = backends.collectorLog();
    }
    for (String n : names) {
      assertTrue(
          log.contains("-> Name: " + n),
          "no metric " + n + " at the Collector:\n" + backends.logTail());
    }
    assertTrue(
        log.contains(service), "no metrics from service " + service + ":\n" + backends.logTail());
    assertTrue(
        log.contains("18456"),
        "the failed login's status code on tds.login.failures:\n" + backends.logTail());
    assertFalse(log.contains(CANARY), "password in the Collector's log");
  }

  static boolean hasAll(String log, String service, List<String> names) {
    return log.contains(service) && names.stream().allMatch(n -> log.contains("-> Name: " + n));
  }

  @Test
  void slowTlsLoginArrivesWholeInJaeger() throws Exception {
    String service = service("slow");
    String url =
        slowTls.jdbcUrl(
            JdbcEncrypt.TRUE, USER, CANARY, "databaseName=demo;applicationName=e2e-jaeger");
    AgentProcess.Result r = app(service).connect(url).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());

    List<String> expected =
        List.of("tcp connect", "prelogin", "tls handshake", "login7", "loginack");
    List<Trace> traces =
        backends
            .jaeger()
            .await(
                service,
                ts ->
                    logins(ts).stream()
                        .anyMatch(l -> traceOf(ts, l).childrenOf(l).size() >= expected.size()),
                CEILING,
                backends);
    List<JaegerSpan> logins = logins(traces);
    assertEquals(1, logins.size(), () -> "one login: " + traces);
    JaegerSpan login = logins.get(0);
    Trace trace = traceOf(traces, login);

    // The tree: the login is the root, its steps its children, in order, inside it.
    assertEquals("", login.parentSpanId, login.toString());
    assertEquals(service, login.service);
    assertEquals(
        expected, trace.childrenOf(login).stream().map(s -> s.name).collect(Collectors.toList()));
    for (JaegerSpan c : trace.childrenOf(login)) {
      assertEquals(login.traceId, c.traceId);
      assertTrue(
          c.startMicros >= login.startMicros
              && c.startMicros + c.durationMicros <= login.startMicros + login.durationMicros + 1,
          () -> c + " outside " + login);
      assertNotEquals("client", c.kind(), () -> "only the login is a CLIENT span: " + c);
    }
    // Kept by the slow-login policy: it took the 1.5 s the server waited.
    assertTrue(login.durationMicros >= 1_500_000, login.toString());
    assertTrue(trace.span("login7").orElseThrow().durationMicros >= 1_400_000, trace.toString());

    assertEquals("client", login.kind());
    assertEquals(null, login.status(), () -> "status unset for a successful login: " + login);
    assertEquals("microsoft.sql_server", login.tag("db.system.name"));
    assertEquals("127.0.0.1", login.tag("server.address"));
    assertEquals(String.valueOf(slowTls.port()), login.tag("server.port"));
    assertEquals("demo", login.tag("db.namespace"));
    assertEquals(USER, login.tag("db.user"));
    assertEquals("e2e-jaeger", login.tag("tds.application_name"));
    assertEquals("success", login.tag("tds.login.outcome"));
    assertEquals("on", login.tag("tds.encryption.negotiated"));
    assertTrue(List.of("1.2", "1.3").contains(login.tag("tls.protocol.version")), login.toString());
    assertTrue(login.tag("tds.library_name").startsWith("Microsoft JDBC Driver"), login.toString());
    JaegerSpan tls = trace.span("tls handshake").orElseThrow();
    assertTrue(tls.tag("tls.server.subject").contains("CN="), tls.toString());
    // The server's INFO messages (5701 database, 5703 language) are events of the login span.
    assertTrue(login.eventNames().contains("tds.info"), login.toString());
    assertTrue(
        login.logs.stream()
            .anyMatch(
                f ->
                    f.containsKey("tds.message.number")
                        && f.get("tds.message.number").asLong() == 5701),
        login.toString());

    for (Trace t : traces) {
      assertFalse(t.spans.toString().contains(CANARY), "password in Jaeger");
    }
  }

  @Test
  void hundredLoginsKeepEveryFailureAndASampleOfTheRest() throws Exception {
    String service = service("hundred");
    String good =
        plain.jdbcUrl(
            JdbcEncrypt.FALSE, USER, CANARY, "databaseName=demo;applicationName=e2e-jaeger");
    String bad =
        plain.jdbcUrl(
            JdbcEncrypt.FALSE,
            USER,
            "not-the-password",
            "databaseName=demo;applicationName=e2e-jaeger");
    AgentProcess app = app(service);
    for (int i = 0; i < 100; i++) {
      app.connect(
          i % 20 == 19 ? bad : good); // the 20th, 40th, ... 100th fail; the last login is a failure
    }
    AgentProcess.Result r = app.run().assertOk();
    assertEquals(95, r.lines().stream().filter(l -> l.equals("OK 1")).count(), r.toString());
    assertEquals(
        5, r.lines().stream().filter(l -> l.startsWith("ERR 18456")).count(), r.toString());

    JaegerQuery jaeger = backends.jaeger();
    jaeger.await(service, ts -> failed(ts).size() >= 5, CEILING, backends);
    // The last login failed, so every earlier trace was decided before it; one more look for
    // stragglers.
    Thread.sleep(3000);
    List<Trace> traces = jaeger.traces(service);
    List<JaegerSpan> failed = failed(traces);
    List<JaegerSpan> kept =
        logins(traces).stream()
            .filter(l -> !"ERROR".equals(l.status()))
            .collect(Collectors.toList());

    assertEquals(5, failed.size(), () -> "every failed login kept: " + traces);
    for (JaegerSpan f : failed) {
      assertEquals("18456", f.tag("db.response.status_code"), f.toString());
      assertEquals("18456", f.tag("error.type"), f.toString());
      assertEquals("8", f.tag("tds.error.state"), f.toString());
      assertEquals("failure", f.tag("tds.login.outcome"), f.toString());
      assertTrue(
          traceOf(traces, f).childrenOf(f).stream()
              .anyMatch(c -> c.name.equals("login error") && "ERROR".equals(c.status())),
          () -> "whole failed login: " + traceOf(traces, f));
    }
    // The other 95 are fast and successful: only the probabilistic 10 % (a hash of the trace id)
    // keeps them, so a few arrive, never all. 1..40 of 95 at 10 % leaves no room for chance
    // failures
    // worth the name (P(0) is 5e-5, P(>40) below 1e-15).
    System.out.println(
        "JaegerE2ETest: " + kept.size() + " of 95 successful logins sampled, 5 of 5 failures kept");
    assertTrue(
        kept.size() >= 1 && kept.size() <= 40, () -> kept.size() + " of 95 successful logins kept");
    for (JaegerSpan k : kept) {
      assertEquals("success", k.tag("tds.login.outcome"), k.toString());
    }
  }

  @Test
  void failedRequestIsKept() throws Exception {
    String service = service("request");
    String url =
        plain.jdbcUrl(
            JdbcEncrypt.FALSE, USER, CANARY, "databaseName=demo;applicationName=e2e-jaeger");
    AgentProcess.Result r =
        app(service)
            .step("open", url)
            .step("query", "SELECT secret_value FROM no_such_table")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("ERR "), r.toString());
    List<Trace> traces =
        backends
            .jaeger()
            .await(
                service,
                ts ->
                    ts.stream()
                        .flatMap(t -> t.spans.stream())
                        .anyMatch(s -> s.name.equals("SELECT no_such_table")),
                CEILING,
                backends);
    JaegerSpan q =
        traces.stream()
            .flatMap(t -> t.spans.stream())
            .filter(s -> s.name.equals("SELECT no_such_table"))
            .findFirst()
            .orElseThrow();
    assertEquals("ERROR", q.status(), q.toString());
    assertEquals("client", q.kind());
    assertEquals("microsoft.sql_server", q.tag("db.system.name"));
    assertEquals("SELECT secret_value FROM no_such_table", q.tag("db.query.text"));
    assertTrue(
        q.tag("db.response.status_code") != null
            && q.tag("db.response.status_code").equals(q.tag("error.type")),
        q.toString());
    assertTrue(q.tag("otel.status_description").equals(q.tag("tds.error.message")), q.toString());
    assertTrue(
        q.eventNames().containsAll(List.of("tds.response.first_byte", "tds.response.end")),
        q.toString());
  }

  static List<JaegerSpan> failed(List<Trace> traces) {
    return logins(traces).stream()
        .filter(l -> "ERROR".equals(l.status()))
        .collect(Collectors.toList());
  }
}
