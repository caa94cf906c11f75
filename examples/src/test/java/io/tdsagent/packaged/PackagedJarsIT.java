package io.tdsagent.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The jars exactly as README.md tells users to run them, after {@code mvn package} (failsafe,
 * integration-test phase): the demo with the agent attached, and the standalone lab server.
 */
class PackagedJarsIT {
  static final Path ROOT = Paths.get(System.getProperty("tds.project.root", ".."));
  static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  void demoPrintsEachLoginAsAWaterfall() throws Exception {
    // README: java -javaagent:agent/target/tds-agent.jar -jar examples/target/tds-demo.jar
    ProcessBuilder pb =
        new ProcessBuilder(
                JAVA,
                "-javaagent:agent/target/tds-agent.jar",
                "-jar",
                "examples/target/tds-demo.jar")
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_"));
    // the output goes to a file, so that the time limit below applies (reading a pipe to its end
    // would wait forever)
    Path log = Files.createTempFile("tds-demo", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    boolean finished = p.waitFor(120, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.deleteIfExists(log);
    assertTrue(finished, "the demo did not finish within 120 s:\n" + out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("printing traces here"), out);
    List<String> sections = sections(out);
    assertEquals(8, sections.size(), out);
    String wentWrong = out.substring(Math.max(0, out.indexOf("== What went wrong")));
    for (String s : sections) {
      assertTrue(
          s.contains("SQL Server login  demo_user@127.0.0.1:")
              || s.contains("SQL Server login  LAB\\demo_user@127.0.0.1:"),
          s);
      assertTrue(s.contains("  tcp connect "), s);
      assertTrue(s.contains("  prelogin "), s);
      assertTrue(s.contains("  login7 "), s);
    }
    assertFalse(sections.get(0).contains("tls handshake"), sections.get(0));
    assertTrue(sections.get(1).contains("encryption=login_only"), sections.get(1));
    assertTrue(
        sections.get(2).contains("tls handshake") && sections.get(2).contains("encryption=on"),
        sections.get(2));
    assertTrue(
        sections.get(3).indexOf("tls handshake") < sections.get(3).indexOf("prelogin"),
        sections.get(3));
    assertTrue(sections.get(3).contains("encryption=strict"), sections.get(3));
    assertTrue(
        sections.get(4).contains("ERROR Login failed for user 'demo_user'.")
            && sections.get(4).contains("18456"),
        sections.get(4));
    assertTrue(sections.get(5).contains("4060"), sections.get(5));
    assertTrue(
        sections.get(6).contains("auth=ntlm")
            && sections.get(6).contains("ntlm negotiate/challenge")
            && sections.get(6).contains("ntlm authenticate"),
        sections.get(6));
    assertTrue(
        sections.get(7).contains("tds.auth.slowest_leg=ntlm negotiate/challenge"), sections.get(7));
    assertTrue(wentWrong.startsWith("== What went wrong"), wentWrong);
    for (String verdict :
        List.of(
            "wrong password (error 18456, state 8)",
            "password expired (error 18456, state 18)",
            "server slow to answer LOGIN7 (",
            "then the login timed out",
            "tls handshake failed: ",
            "redirected to 127.0.0.1:",
            "server closed the connection during login7",
            "tcp connect slow or blocked (no SYN-ACK for ")) {
      assertTrue(wentWrong.contains(verdict), verdict + " in\n" + wentWrong);
    }
    assertFalse(
        out.contains("Demo-Pa55word!"),
        "the demo's password must not show in what the agent exported");
  }

  /** The text from each "== title" line to the next. */
  static List<String> sections(String out) {
    List<String> list = new ArrayList<>();
    for (String part : out.split("\n== ")) {
      if (part.contains("SQL Server login")) {
        list.add(part);
      }
    }
    return list;
  }

  @Test
  void labServerJarAcceptsALogin() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                JAVA,
                "-jar",
                "examples/target/tds-lab-server.jar",
                "--port",
                Integer.toString(port),
                "--login",
                "sa:Secret-1")
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .start();
    try {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = r.readLine();
      assertTrue(line != null && line.startsWith("tds-lab listening on 127.0.0.1:" + port), line);
      String url =
          "jdbc:sqlserver://127.0.0.1:"
              + port
              + ";user=sa;password=Secret-1;encrypt=true;"
              + "trustServerCertificate=true;loginTimeout=10";
      try (Connection c = DriverManager.getConnection(url);
          ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
      }
    } finally {
      p.destroy();
      assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void jarsAreWhereTheReadmeSays() {
    assertTrue(Files.isRegularFile(ROOT.resolve("agent/target/tds-agent.jar")));
    assertTrue(Files.isRegularFile(ROOT.resolve("examples/target/tds-demo.jar")));
    assertTrue(Files.isRegularFile(ROOT.resolve("examples/target/tds-lab-server.jar")));
  }
}
