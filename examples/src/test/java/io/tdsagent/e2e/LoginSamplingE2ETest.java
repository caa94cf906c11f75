package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.Step;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.otlp.Traces;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A head sampler never loses a failed login: the agent decides once the login has ended, and
 * exports a failed one whatever the sampler says, as a trace of its own linked to an unsampled
 * parent, saying why it was kept. Successful logins follow the sampler.
 */
class LoginSamplingE2ETest {
  static final String USER = "sampled_user";
  static final String PASSWORD = "Sampled-Pa55word!";
  static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.NOT_SUPPORTED);

  static String url(String password) {
    return LAB.server().jdbcUrl(JdbcEncrypt.FALSE, USER, password, "databaseName=demo");
  }

  static List<ReceivedSpan> logins(List<ReceivedSpan> spans) {
    return spans.stream()
        .filter(s -> s.name().equals("SQL Server login"))
        .collect(Collectors.toList());
  }

  /** The whole failed login arrives (its steps too); nothing else does: the sampler keeps 0 %. */
  static ReceivedSpan onlyTheFailedLogin(AgentProcess.Result r) {
    assertEquals(2, r.lines().stream().filter(l -> l.equals("OK 1")).count(), r::toString);
    assertTrue(r.lines().stream().anyMatch(l -> l.startsWith("ERR 18456")), r::toString);
    List<ReceivedSpan> spans = LAB.receiver().awaitSpans(s -> !logins(s).isEmpty(), WAIT);
    // The process has exited, and with it the agent's last export: everything exported is here.
    spans = LAB.receiver().spans();
    List<ReceivedSpan> logins = logins(spans);
    assertEquals(1, logins.size(), spans::toString);
    ReceivedSpan login = logins.get(0);
    assertEquals("ERROR", login.statusCode(), login.describe());
    assertEquals("18456", login.stringAttr("db.response.status_code"));
    assertEquals("failed_login", login.stringAttr("tds.sampling.kept"), login.describe());
    assertTrue(login.isRoot(), login.describe());
    assertEquals(
        List.of("tcp connect", "prelogin", "login7", "login error"),
        Traces.of(spans).childNames(login));
    for (ReceivedSpan s : spans) {
      assertEquals(
          login.traceId(),
          s.traceId(),
          () -> "a span of an unsampled trace was exported: " + s.describe());
    }
    return login;
  }

  @Test
  void failedLoginSurvivesAZeroRatioSampler() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .prop("otel.traces.sampler", "traceidratio")
            .prop("otel.traces.sampler.arg", "0.0")
            .connect(url(PASSWORD))
            .connect(url("Wrong-Pa55word!"))
            .connect(url(PASSWORD))
            .run()
            .assertOk();
    ReceivedSpan login = onlyTheFailedLogin(r);
    assertTrue(login.links().isEmpty(), login.describe());
  }

  @Test
  void failedLoginUnderAnUnsampledParentIsATraceOfItsOwnLinkedToIt() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .step("unsampledspan", "handle-request")
            .connect(url(PASSWORD))
            .connect(url("Wrong-Pa55word!"))
            .connect(url(PASSWORD))
            .step("endspan", "-")
            .run()
            .assertOk();
    AgentProcess.AppSpan app = r.appSpan();
    ReceivedSpan login = onlyTheFailedLogin(r);
    assertNotEquals(app.traceId(), login.traceId(), login.describe());
    assertEquals(1, login.links().size(), login.describe());
    assertEquals(app.traceId(), login.links().get(0).traceId());
    assertEquals(app.spanId(), login.links().get(0).spanId());
  }

  /**
   * A slow login (the server answers LOGIN7 after 600 ms; threshold 300 ms) is kept too, and says
   * so.
   */
  @Test
  void slowLoginSurvivesAZeroRatioSampler() throws Exception {
    try (LabServer slow =
        LabServer.builder()
            .port(0)
            .login(USER, PASSWORD)
            .database("master", "demo")
            .encryption(Encryption.NOT_SUPPORTED)
            .delay(Step.LOGIN, Duration.ofMillis(600))
            .build()
            .start()) {
      AgentProcess.Result r =
          LAB.app()
              .prop("otel.traces.sampler", "traceidratio")
              .prop("otel.traces.sampler.arg", "0.0")
              .prop("tds.logins.slow_ms", "300")
              .connect(url(PASSWORD))
              .connect(slow.jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, "databaseName=demo"))
              .run()
              .assertOk();
      assertEquals(2, r.lines().stream().filter(l -> l.equals("OK 1")).count(), r::toString);
      LAB.receiver().awaitSpans(s -> !logins(s).isEmpty(), WAIT);
      List<ReceivedSpan> spans = LAB.receiver().spans();
      // The slow server's login is kept. The other login is dropped unless it was slow too (a
      // busy machine can make it so): every kept login must be slow and say so.
      List<ReceivedSpan> logins = logins(spans);
      assertTrue(
          logins.stream()
              .anyMatch(l -> Long.valueOf(slow.port()).equals(l.longAttr("server.port"))),
          spans::toString);
      for (ReceivedSpan login : logins) {
        assertEquals("success", login.stringAttr("tds.login.outcome"));
        assertEquals("slow_login", login.stringAttr("tds.sampling.kept"), login.describe());
        assertTrue(login.durationNanos() >= 300_000_000L, login.describe());
      }
    }
  }
}
