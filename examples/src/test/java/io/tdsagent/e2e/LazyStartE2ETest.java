package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent costs nothing until a driver shows up: premain installs a name-comparing transformer
 * and nothing else; and the capture switch acts at the very next message, with no thread watching
 * it.
 */
class LazyStartE2ETest {
  static final String USER = "app_user";
  static final String PASSWORD = "Canary-lazy-Pa55!";
  static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.OFF);

  static String url() {
    return LAB.server()
        .jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, "databaseName=demo;applicationName=lazy");
  }

  /** Classes the JVM loaded (from -Xlog:class+load on stdout) whose name starts with the prefix. */
  static List<String> loaded(AgentProcess.Result r, String prefix) {
    return r.lines().stream()
        .filter(l -> l.contains("[class,load] " + prefix))
        .map(l -> l.replaceAll(".*\\[class,load\\] (\\S+).*", "$1"))
        .collect(Collectors.toList());
  }

  static List<String> agentThreads(List<String> lines) {
    return lines.stream()
        .filter(l -> l.startsWith("THREAD tds-agent"))
        .collect(Collectors.toList());
  }

  /** A login span is exported, with the steps of a plaintext login under it. */
  static void assertPlaintextLoginTraced() {
    List<ReceivedSpan> spans = Spans.awaitLogin(LAB.receiver(), WAIT);
    Spans.assertHasSteps(
        spans, Spans.firstLogin(spans), "tcp connect", "prelogin", "login7", "loginack");
  }

  @Test
  void aJvmThatNeverLoadsADriverRunsNoAgentThreadAndLoadsNoLibrary() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .jvmArg("-Xlog:class+load=info")
            .step("capture", "off")
            .step("capture", "on")
            .step("threads", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("THREAD main"), r.stdout);
    assertEquals(List.of(), agentThreads(r.lines()));
    assertEquals(List.of(), loaded(r, "io.tdsagent.shaded."), "no Byte Buddy or OpenTelemetry");
    assertEquals(List.of(), loaded(r, "io.tdsagent.tds."), "no decoder");
    List<String> ours = loaded(r, "io.tdsagent.agent.");
    assertTrue(ours.contains("io.tdsagent.agent.TdsAgent"), r.stdout);
    assertTrue(ours.size() <= 4, "only the start-up classes: " + ours);
  }

  @Test
  void theFirstConnectionIsTracedFromItsFirstByte() throws Exception {
    AgentProcess.Result r = LAB.app().step("threads", "-").connect(url()).run().assertOk();
    assertEquals(List.of(), agentThreads(r.lines()), "nothing ran before the driver");
    assertPlaintextLoginTraced();
    assertFalse(r.all().contains(PASSWORD));
  }

  /**
   * Capture off from the start: the driver's classes are hooked, but no agent or SDK thread is
   * started.
   */
  @Test
  void withCaptureOffAConnectionStartsNoThread() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .prop("tds.capture", "off")
            .connect(url())
            .step("sleep", "500")
            .step("threads", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    assertEquals(List.of(), agentThreads(r.lines()));
    assertFalse(r.stdout.contains("THREAD BatchSpanProcessor"), r.stdout);
  }

  /**
   * No poller: the request right after {@code setProperty("tds.capture", "off")} is not traced, the
   * one after "on" is.
   */
  @Test
  void theCaptureSwitchActsAtTheNextRequest() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .prop("tds.sql", "raw")
            .step("open", url())
            .step("query", "SELECT 11")
            .step("capture", "off")
            .step("query", "SELECT 12")
            .step("capture", "on")
            .step("query", "SELECT 13")
            .step("close", "-")
            .step("threads", "-")
            .run()
            .assertOk();
    assertEquals(3, r.lines().stream().filter(l -> l.equals("ROWS 1")).count(), r.toString());
    List<ReceivedSpan> spans =
        LAB.receiver()
            .awaitSpans(
                s -> s.stream().anyMatch(x -> "SELECT 13".equals(x.stringAttr("db.query.text"))),
                WAIT);
    List<String> texts =
        spans.stream()
            .filter(s -> s.hasAttr("tds.request.type"))
            .map(s -> s.stringAttr("db.query.text"))
            .collect(Collectors.toList());
    assertTrue(texts.contains("SELECT 11"), texts.toString());
    assertTrue(
        texts.contains("SELECT 13"), "capture on again picks the open connection up: " + texts);
    assertFalse(texts.contains("SELECT 12"), "traced although capture was off: " + texts);
    // Switched off and on again, the connection keeps what it knew; its login was not seen again.
    ReceivedSpan first =
        spans.stream()
            .filter(s -> "SELECT 11".equals(s.stringAttr("db.query.text")))
            .findFirst()
            .orElseThrow();
    ReceivedSpan again =
        spans.stream()
            .filter(s -> "SELECT 13".equals(s.stringAttr("db.query.text")))
            .findFirst()
            .orElseThrow();
    for (String key :
        List.of("server.address", "server.port", "db.namespace", "tds.client_connection_id")) {
      assertTrue(first.attr(key) != null, key + " on " + first.describe());
      assertEquals(
          first.attr(key), again.attr(key), key + " after capture off and on: " + again.describe());
    }
    assertEquals(1, again.links().size(), again.describe());
    assertEquals(
        first.links().get(0).spanId(), again.links().get(0).spanId(), "the link to its login");
    assertTrue(
        r.stdout.contains("THREAD tds-agent-export"),
        "the export thread runs once there is something to send");
    assertFalse(r.stdout.contains("THREAD tds-agent-capture"), "no thread watches the switch");
  }

  /**
   * Only an endpoint set: the agent sends OTLP/HTTP (the JDK's client), as the README's table says.
   */
  @Test
  void withOnlyAnEndpointSpansGoOutAsOtlpHttp() throws Exception {
    AgentProcess.Result r =
        new AgentProcess()
            .prop("otel.exporter.otlp.endpoint", LAB.receiver().endpoint())
            .connect(url())
            .run()
            .assertOk();
    List<ReceivedSpan> spans = Spans.awaitLogin(LAB.receiver(), WAIT);
    assertTrue(spans.stream().anyMatch(x -> x.name().equals(Spans.LOGIN)), r.toString());
    assertFalse(r.stderr.contains("SDK configuration failed"), r.stderr);
  }

  /**
   * The JDK's attach API, before the application's first connection: that connection is traced like
   * any other. The attach waits until the application runs its {@code main} (as a user attaches to
   * a running application): a JVM still starting up cannot load an agent yet.
   */
  @Test
  void attachedBeforeTheFirstConnectionTracesIt() throws Exception {
    try (AttachableApp app = new AttachableApp("tds-attach")) {
      app.start(
          List.of(
              "-Dotel.exporter.otlp.endpoint=" + LAB.receiver().endpoint(),
              "-Dotel.bsp.schedule.delay=50",
              "-cp",
              System.getProperty("java.class.path"),
              JdbcClient.class.getName(),
              "say",
              "ready",
              "await",
              app.go("go"),
              "connect",
              url(),
              "threads",
              "-"));
      app.awaitLine("SAY ready");
      VirtualMachine vm = VirtualMachine.attach(Long.toString(app.pid()));
      try {
        vm.loadAgent(AgentProcess.AGENT_JAR.toAbsolutePath().toString());
      } finally {
        vm.detach();
      }
      app.signal("go");
      String output = app.finish();
      assertTrue(output.contains("OK 1") && output.contains("DONE"), output);
      assertFalse(output.contains("loaded before the agent"), output);
      assertPlaintextLoginTraced();
    }
  }
}
