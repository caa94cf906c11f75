package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.otlp.ReceivedSpan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The tap detaches itself when it fails inside: an agent jar without the class of a finished
 * request's record makes the event handler fail (NoClassDefFoundError, on the driver's thread,
 * inside the tap) when the first response of each connection ends, after a login that it traced. (A
 * decoder class would not do: the forked JVM's class path has the decoder's own classes.) The
 * application must see exactly what it sees without the agent, the agent must say so in one WARNING
 * for the whole process, and the logins decoded before the failure are still exported.
 */
class TapFailureE2ETest {
  static final String USER = "tap_user";
  static final String PASSWORD = "Canary-Tap-Pa55!";

  /**
   * Made on the driver's thread when a request's response ends (after the login), and nowhere else.
   */
  static final String MISSING = "io/tdsagent/trace/RequestRecord.class";

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.NOT_SUPPORTED);

  /** The agent jar as built, less one decoder class. */
  static Path brokenAgentJar() throws IOException {
    Path jar = Files.createTempFile("tds-agent-broken", ".jar");
    boolean removed = false;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(AgentProcess.AGENT_JAR));
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.getName().equals(MISSING)) {
          removed = true;
          continue;
        }
        out.putNextEntry(new ZipEntry(e.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
    }
    assertTrue(
        removed,
        MISSING + " is not in " + AgentProcess.AGENT_JAR + ": the test must break another class");
    return jar;
  }

  /** Two connections one after the other, two queries on the first and one on the second. */
  static AgentProcess twoConnections(AgentProcess app, String url) {
    return app.step("open", url)
        .step("query", "SELECT 1")
        .step("query", "SELECT 2")
        .step("close", "-")
        .step("open", url)
        .step("query", "SELECT 3")
        .step("close", "-");
  }

  @Test
  void anInternalFailureDetachesTheTapOnceAndTheDriverGoesOn() throws Exception {
    Path jar = brokenAgentJar();
    try {
      String url =
          LAB.server()
              .jdbcUrl(
                  JdbcEncrypt.FALSE, USER, PASSWORD, "databaseName=demo;applicationName=tapfail");
      AgentProcess app =
          twoConnections(
              LAB.app().withoutAgent().jvmArg("-javaagent:" + jar.toAbsolutePath()), url);
      AgentProcess.Result plain = twoConnections(LAB.app().withoutAgent(), url).run().assertOk();
      LAB.receiver().clear();
      AgentProcess.Result traced = app.run().assertOk();

      assertEquals(
          plain.stdout.replaceAll("JAVA \\d+", ""),
          traced.stdout.replaceAll("JAVA \\d+", ""),
          "the application saw something else with the failing agent");
      assertEquals(
          List.of("OPEN", "ROWS 1", "ROWS 1", "OPEN", "ROWS 1", "DONE"),
          traced.lines().subList(1, traced.lines().size()),
          traced.toString());
      // one WARNING for the process, although both connections failed
      assertEquals(1, traced.stderr.split("\\R(WARNING|SEVERE): ", -1).length - 1, traced.stderr);
      assertTrue(
          traced.stderr.contains(
              "WARNING: tds-agent: internal error; this connection is no longer traced"),
          traced.stderr);
      assertTrue(traced.stderr.contains("NoClassDefFoundError"), traced.stderr);
      assertFalse(traced.all().contains(PASSWORD));

      // both logins were decoded before the failure: their spans still leave; no request span does
      List<ReceivedSpan> spans =
          LAB.receiver()
              .awaitSpans(
                  s -> s.stream().filter(x -> x.name().equals("SQL Server login")).count() >= 2,
                  Duration.ofSeconds(30));
      assertEquals(
          2,
          spans.stream().filter(x -> x.name().equals("SQL Server login")).count(),
          LAB.receiver().dump());
      assertFalse(
          spans.stream().anyMatch(x -> x.hasAttr("tds.request.type")), LAB.receiver().dump());
    } finally {
      Files.deleteIfExists(jar);
    }
  }
}
