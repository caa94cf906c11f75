package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.otlp.Traces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The driver matrix of the README: each mssql-jdbc release and jTDS, on the build's JDK and on the
 * newer one, in plaintext and with TLS, logs in and runs a query through the agent; the spans
 * arrive at a real OTLP receiver.
 */
class DriverMatrixE2ETest {
  static final String USER = "app_user";
  static final String PASSWORD = "Canary-matrix-Pa55!";

  /** Releases tried besides the build's own (13.6.2, named "build" below). */
  static final List<String> MSSQL_JDBC =
      List.of(
          "7.4.1.jre11",
          "8.4.1.jre11",
          "9.4.1.jre11",
          "10.2.3.jre11",
          "11.2.3.jre11",
          "12.2.0.jre11",
          "12.8.1.jre11",
          "13.2.1.jre11",
          "build");

  static final String JTDS = "jtds-1.3.1";

  /** A server that does not support encryption: the whole session is plaintext. */
  @RegisterExtension
  static final LabAndReceiver PLAIN = new LabAndReceiver(USER, PASSWORD, Encryption.NOT_SUPPORTED);

  /** A server with encryption available: the client asks for TLS. */
  @RegisterExtension
  static final LabAndReceiver TLS = new LabAndReceiver(USER, PASSWORD, Encryption.OFF);

  static Stream<Arguments> matrix() {
    List<Arguments> cases = new ArrayList<>();
    for (String jdk : List.of("build", "newer")) {
      for (boolean tls : List.of(false, true)) {
        for (String driver : MSSQL_JDBC) {
          cases.add(Arguments.of(driver, jdk, tls));
        }
        cases.add(Arguments.of(JTDS, jdk, tls));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} on {1} JDK, tls={2}")
  @MethodSource("matrix")
  void loginAndQueryAreTraced(String driver, String jdk, boolean tls) throws Exception {
    LabAndReceiver lab = tls ? TLS : PLAIN;
    AgentProcess app = lab.app();
    if (jdk.equals("newer")) {
      app.javaHome(Jdks.newer().toString());
    }
    boolean jtds = driver.equals(JTDS);
    if (!jtds && !driver.equals("build")) {
      app.driver(driverJar(driver));
    }
    String url =
        jtds
            ? lab.jtdsUrl(
                lab.server().port(),
                "demo",
                ";appName=matrix;loginTimeout=20" + (tls ? ";ssl=require" : ""))
            : lab.server()
                .jdbcUrl(
                    tls ? JdbcEncrypt.TRUE : JdbcEncrypt.FALSE,
                    USER,
                    PASSWORD,
                    "databaseName=demo;applicationName=matrix");
    AgentProcess.Result r = app.connect(url).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());

    List<ReceivedSpan> spans =
        lab.receiver()
            .awaitSpans(
                s ->
                    s.stream().anyMatch(x -> x.name().equals("SQL Server login"))
                        && s.stream().anyMatch(x -> x.hasAttr("tds.request.type")),
                Duration.ofSeconds(30));
    Traces traces = Traces.of(spans);
    ReceivedSpan login = traces.findFirst("SQL Server login").orElseThrow();
    List<String> expected = new ArrayList<>(List.of("tcp connect"));
    if (!jtds || tls) {
      expected.add("prelogin"); // jTDS with its default ssl=off sends LOGIN7 first
    }
    if (tls) {
      expected.add("tls handshake");
    }
    expected.addAll(List.of("login7", "loginack"));
    String where = driver + " on " + jdk + " JDK, tls=" + tls;
    assertEquals(expected, traces.childNames(login), where);
    assertEquals("success", login.stringAttr("tds.login.outcome"), where);
    assertEquals("demo", login.stringAttr("db.namespace"), where);
    assertEquals(USER, login.stringAttr("db.user"), where);
    assertEquals("127.0.0.1", login.stringAttr("network.peer.address"), where);
    // (no PRELOGIN, nothing negotiated: jTDS in plaintext)
    assertEquals(
        tls ? "on" : jtds ? null : "off", login.stringAttr("tds.encryption.negotiated"), where);
    if (tls) {
      assertTrue(login.stringAttr("tls.protocol.version") != null, where + ": " + login);
    }
    ReceivedSpan select =
        spans.stream().filter(s -> s.hasAttr("tds.request.type")).findFirst().orElseThrow();
    assertEquals("SELECT", select.name(), where);
    assertEquals(login.spanId(), select.links().get(0).spanId(), where);
    assertFalse(r.all().contains(PASSWORD), where);
    assertFalse(r.stderr.contains("is not traced"), where + "\n" + r.stderr);
  }

  /**
   * Every mssql-jdbc release on Maven Central from 6.1 on has the hooks, so a driver class whose
   * methods do not fit is made here: a TDSChannel without read/write. The agent says so once and
   * the application runs.
   */
  @Test
  void aDriverWhoseHooksDoNotFitIsLeftAloneAndSaidOnce() throws Exception {
    Path dir = Files.createTempDirectory("tds-nofit");
    Path src = dir.resolve("com/microsoft/sqlserver/jdbc/TDSChannel.java");
    Files.createDirectories(src.getParent());
    Files.writeString(
        src,
        "package com.microsoft.sqlserver.jdbc;\n"
            + "public final class TDSChannel {\n"
            + "  int open(String host, int port) { return port; }\n"
            + "  public static void main(String[] args) {\n"
            + "    System.out.println(\"OPEN \" + new TDSChannel().open(\"h\", 7) + \" \" + new TDSChannel().open(\"h\", 8));\n"
            + "  }\n"
            + "}\n");
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, javac.run(null, null, null, "-d", dir.toString(), src.toString()));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + AgentProcess.AGENT_JAR.toAbsolutePath(),
                "-Dotel.traces.exporter=none",
                "-cp",
                dir.toString(),
                "com.microsoft.sqlserver.jdbc.TDSChannel")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "forked JVM did not finish");
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), stdout + stderr);
    assertEquals("OPEN 7 8", stdout.trim(), stderr);
    assertEquals(1, stderr.split("is not traced", -1).length - 1, stderr);
    assertTrue(stderr.contains("read(byte[],int,int)"), stderr);
  }

  static Path driverJar(String version) throws IOException {
    Path jar =
        Paths.get(
            System.getProperty("tds.test.drivers", "target/drivers"),
            "mssql-jdbc-" + version + ".jar");
    assertTrue(Files.isRegularFile(jar), "driver jar missing: " + jar);
    return jar;
  }
}
