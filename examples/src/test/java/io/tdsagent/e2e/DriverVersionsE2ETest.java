package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.otlp.Traces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same hooks across mssql-jdbc releases; a release whose methods do not fit is left alone, said once. */
class DriverVersionsE2ETest {
  static final String USER = "app_user";
  static final String PASSWORD = "Canary-versions-Pa55!";
  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.OFF);

  static Path driver(String version) {
    Path jar = Paths.get(System.getProperty("tds.test.drivers", "target/drivers"), "mssql-jdbc-" + version + ".jar");
    assertTrue(Files.isRegularFile(jar), "driver jar missing: " + jar);
    return jar;
  }

  @ParameterizedTest
  @ValueSource(strings = {"9.4.1.jre11", "10.2.3.jre11", "11.2.3.jre11", "12.8.1.jre11", "13.2.1.jre11"})
  void tlsLoginIsTracedOnEachRelease(String version) throws Exception {
    AgentProcess.Result r = AgentProcess.exportingTo(LAB.receiver().endpoint()).driver(driver(version))
        .connect(LAB.server().jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, "databaseName=demo;applicationName=v" + version))
        .run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    List<ReceivedSpan> spans = LAB.receiver().awaitSpans(s -> s.stream().anyMatch(x -> x.name().equals("SQL Server login"))
        && s.size() >= 6, Duration.ofSeconds(20));
    ReceivedSpan login = Traces.of(spans).findFirst("SQL Server login").orElseThrow();
    assertEquals(List.of("tcp connect", "prelogin", "tls handshake", "login7", "loginack"),
        Traces.of(spans).childNames(login), version);
    assertEquals("demo", login.stringAttr("db.namespace"));
    assertEquals("on", login.stringAttr("tds.encryption.negotiated"));
    assertTrue(!r.all().contains(PASSWORD));
  }

  @Test
  void aReleaseWhoseHooksDoNotFitIsLeftAloneAndSaidOnce() throws Exception {
    AgentProcess.Result r = AgentProcess.exportingTo(LAB.receiver().endpoint()).driver(driver("6.4.0.jre8"))
        .connect(LAB.server().jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, "databaseName=demo"))
        .connect(LAB.server().jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, "databaseName=demo"))
        .run().assertOk();
    assertEquals(2, r.lines().stream().filter(l -> l.equals("OK 1")).count(), r.toString());
    int said = r.stderr.split("is not traced", -1).length - 1;
    assertEquals(1, said, r.stderr);
    assertTrue(r.stderr.contains("mssql-jdbc-6.4.0.jre8.jar"), r.stderr);
    assertEquals(List.of(), LAB.receiver().spans());
  }
}
