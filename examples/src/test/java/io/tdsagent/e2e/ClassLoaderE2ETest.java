package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The driver in a class loader whose parent is the platform loader, as an application server's
 * web-app or module loader: the application's loader sees neither the system class path nor the
 * agent's classes (the launcher checks and prints it), and the driver is still traced through the
 * agent's bootstrap bridge: at {@code -javaagent} start-up, after an attach, and with the agent as
 * an OpenTelemetry Java agent extension.
 */
class ClassLoaderE2ETest {
  static final String USER = "app_user";
  static final String PASSWORD = "Canary-loader-Pa55!";
  static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.OFF);

  static String url(String driver) {
    return LAB.url(driver, "loader-e2e");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mssql-jdbc", "jTDS"})
  void tracedAtStartUp(String driver) throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .isolatedBelowPlatform()
            .prop("tds.sql", "raw")
            .step("open", url(driver))
            .step("query", "SELECT 31")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("AGENT VISIBLE false"), r.toString());
    assertLoginAndRequest(driver, "SELECT 31");
    assertFalse(r.all().contains(PASSWORD), r.toString());
  }

  /**
   * The JVM says so on stderr when anything is appended to the bootstrap class path (and stops
   * sharing class data for other loaders): the agent does it only for a driver whose loader cannot
   * see it, never for one on the class path.
   */
  @Test
  void aDriverOnTheClassPathLeavesTheBootstrapPathAlone() throws Exception {
    String appended = "bootstrap classpath has been appended";
    AgentProcess.Result r =
        LAB.app()
            .prop("tds.sql", "raw")
            .step("open", url("mssql-jdbc"))
            .step("query", "SELECT 34")
            .step("close", "-")
            .run()
            .assertOk();
    assertLoginAndRequest("mssql-jdbc", "SELECT 34");
    assertFalse(r.stderr.contains(appended), r.toString());
    LAB.receiver().clear();
    AgentProcess.Result isolated =
        LAB.app()
            .isolatedBelowPlatform()
            .prop("tds.sql", "raw")
            .step("open", url("mssql-jdbc"))
            .step("query", "SELECT 35")
            .step("close", "-")
            .run()
            .assertOk();
    assertLoginAndRequest("mssql-jdbc", "SELECT 35");
    assertTrue(
        isolated.stderr.contains(appended), "the JVM's own line, expected only here: " + isolated);
  }

  @Test
  void tracedAsAnOpenTelemetryAgentExtension() throws Exception {
    AgentProcess.Result r =
        LAB.app()
            .asOtelExtension()
            .isolatedBelowPlatform()
            .prop("otel.logs.exporter", "none")
            .prop("otel.metrics.exporter", "none")
            .prop("tds.sql", "raw")
            .step("open", url("mssql-jdbc"))
            .step("query", "SELECT 32")
            .step("close", "-")
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("AGENT VISIBLE false"), r.toString());
    assertLoginAndRequest("mssql-jdbc", "SELECT 32");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"mssql-jdbc", "jTDS"})
  void tracedAfterAnAttach(String driver) throws Exception {
    String cp = System.getProperty("java.class.path");
    try (AttachableApp app = new AttachableApp("tds-loader-e2e")) {
      app.start(
          List.of(
              "-Dtds.e2e.app.cp=" + cp,
              "-Dtds.e2e.app.main=" + JdbcClient.class.getName(),
              "-Dtds.e2e.app.parent=platform",
              "-cp",
              cp,
              IsolatedLauncher.class.getName(),
              "open",
              url(driver),
              "query",
              "SELECT 1",
              "say",
              "ready",
              "await",
              app.go("go"),
              "query",
              "SELECT 33",
              "connect",
              url(driver),
              "close",
              "-"));
      app.awaitLine("SAY ready");
      String attached = app.attach(LAB.receiver().endpoint());
      assertTrue(attached.contains("attached: yes"), attached);
      app.signal("go");
      String output = app.finish();
      assertTrue(output.contains("AGENT VISIBLE false") && output.contains("DONE"), output);
      assertLoginAndRequest(driver, "SELECT 33");
    }
  }

  /**
   * A whole login tree from this driver, and the request on the connection opened (or picked up)
   * before it.
   */
  static void assertLoginAndRequest(String driver, String sql) {
    String library = driver.equals("jTDS") ? "jTDS" : "Microsoft JDBC Driver";
    List<ReceivedSpan> spans =
        LAB.receiver()
            .awaitSpans(
                s ->
                    s.stream().anyMatch(x -> sql.equals(x.stringAttr("db.query.text")))
                        && s.stream()
                            .anyMatch(
                                x ->
                                    x.name().equals("SQL Server login")
                                        && x.stringAttr("tds.library_name") != null
                                        && x.stringAttr("tds.library_name").startsWith(library)),
                WAIT);
    ReceivedSpan login =
        spans.stream()
            .filter(
                x ->
                    x.name().equals("SQL Server login")
                        && x.stringAttr("tds.library_name").startsWith(library))
            .findFirst()
            .orElseThrow();
    assertEquals(USER, login.stringAttr("db.user"), login.describe());
    Spans.assertHasSteps(spans, login, "tcp connect", "login7", "loginack");
    ReceivedSpan request =
        spans.stream()
            .filter(x -> sql.equals(x.stringAttr("db.query.text")))
            .findFirst()
            .orElseThrow();
    assertEquals("127.0.0.1", request.stringAttr("server.address"), request.describe());
    for (ReceivedSpan s : spans) {
      assertFalse(s.toString().contains(PASSWORD), s.describe());
    }
  }
}
