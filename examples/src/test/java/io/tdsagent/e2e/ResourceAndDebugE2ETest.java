package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the OpenTelemetry Java agent's users expect beside the spans: a detected resource, and a
 * debug switch.
 */
class ResourceAndDebugE2ETest {
  static final String USER = "resource_user";
  static final String CANARY = "Canary-resource-Pa55word!";
  static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, CANARY, Encryption.NOT_SUPPORTED);

  static String url() {
    return LAB.server().jdbcUrl(JdbcEncrypt.FALSE, USER, CANARY, "databaseName=demo");
  }

  static ReceivedSpan login() {
    return Spans.firstLogin(Spans.awaitLogin(LAB.receiver(), WAIT));
  }

  @Test
  void spansCarryHostOsAndProcessButNotTheCommandLine() throws Exception {
    // The application's arguments hold a JDBC URL with its password: the command line must not be
    // exported.
    LAB.app().connect(url()).run().assertOk();
    ReceivedSpan login = login();
    Object host = login.resourceAttr("host.name");
    assertTrue(
        host instanceof String && !((String) host).isEmpty(), login.resourceAttributes()::toString);
    assertEquals("linux", login.resourceAttr("os.type"), login.resourceAttributes()::toString);
    Object pid = login.resourceAttr("process.pid");
    assertTrue(pid instanceof Long && (Long) pid > 0, login.resourceAttributes()::toString);
    assertNotEquals(
        ProcessHandle.current().pid(), pid, "the forked application's pid, not the test's");
    assertTrue(
        login.resourceAttr("process.runtime.name") != null, login.resourceAttributes()::toString);
    assertEquals("tds-e2e", login.resourceAttr("service.name"));
    assertNull(login.resourceAttr("process.command_line"), login.resourceAttributes()::toString);
    assertNull(login.resourceAttr("process.command_args"), login.resourceAttributes()::toString);
    assertFalse(
        login.resourceAttributes().toString().contains(CANARY),
        "password in the exported resource");
  }

  @Test
  void debugPrintsEachSpanAndDecision() throws Exception {
    AgentProcess.Result r = LAB.app().prop("tds.debug", "true").connect(url()).run().assertOk();
    assertDebugOutput(r);
  }

  @Test
  void debugFromTheEnvironment() throws Exception {
    AgentProcess.Result r = LAB.app().env("TDS_DEBUG", "true").connect(url()).run().assertOk();
    assertDebugOutput(r);
  }

  @Test
  void noDebugOutputByDefault() throws Exception {
    AgentProcess.Result r = LAB.app().connect(url()).run().assertOk();
    login();
    assertFalse(r.stderr.contains("[tds-agent"), r::toString);
  }

  static void assertDebugOutput(AgentProcess.Result r) {
    ReceivedSpan login = login();
    List<String> lines = List.of(r.stderr.split("\\R"));
    assertTrue(lines.contains("[tds-agent fine] debug output on (tds.debug)"), r::toString);
    // said when the first driver class loads (the agent does nothing before)
    assertTrue(lines.contains("[tds-agent fine] a driver is loading; capture on"), r::toString);
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "[tds-agent fine] hooks installed in com.microsoft.sqlserver.jdbc.TDSChannel")),
        r::toString);
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "[tds-agent span] 'SQL Server login' CLIENT trace="
                            + login.traceId()
                            + " span="
                            + login.spanId()
                            + " sampled status=")),
        r::toString);
    assertTrue(
        lines.stream()
            .anyMatch(
                l -> l.startsWith("[tds-agent span] 'login7' INTERNAL trace=" + login.traceId())),
        r::toString);
    assertFalse(r.stderr.contains(CANARY), "password in the debug output");
  }
}
