package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.e2e.JaegerQuery.JaegerSpan;
import io.tdsagent.e2e.JaegerQuery.Trace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * README's "Viewing traces in Jaeger" without Docker, after {@code mvn package} (failsafe): {@code
 * examples/backends/run.sh}, then the demo jar with the agent and OTEL_EXPORTER_OTLP_ENDPOINT, the
 * traces read back from Jaeger's query API as the UI shows them under the service tds-demo. Only
 * the ports differ from the README (free ones, so that nothing on this machine clashes).
 */
class JaegerReadmeIT {
  static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();

  @Test
  void readmeCommandsPutTheDemosLoginsIntoJaeger() throws Exception {
    try (Backends backends = Backends.start()) {
      // README: OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 \
      //           java -javaagent:agent/target/tds-agent.jar -jar examples/target/tds-demo.jar
      java.nio.file.Path log = java.nio.file.Files.createTempFile("tds-demo", ".out");
      ProcessBuilder pb =
          new ProcessBuilder(
                  JAVA,
                  "-javaagent:agent/target/tds-agent.jar",
                  "-jar",
                  "examples/target/tds-demo.jar")
              .directory(Backends.ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TDS_"));
      pb.environment()
          .put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:" + backends.otlpHttpPort);
      Process p = pb.start();
      boolean ended = p.waitFor(180, TimeUnit.SECONDS);
      if (!ended) {
        p.destroyForcibly();
      }
      String out = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
      java.nio.file.Files.deleteIfExists(log);
      assertTrue(ended, "the demo did not end in 180 s:\n" + out);
      assertEquals(0, p.exitValue(), out);
      assertTrue(
          out.contains("exporting traces to http://localhost:" + backends.otlpHttpPort), out);

      // The demo's wrong password (18456) and unknown database (4060): failed logins, always kept.
      List<Trace> traces =
          backends
              .jaeger()
              .await(
                  "tds-demo",
                  ts -> failedCodes(ts).containsAll(List.of("18456", "4060")),
                  JaegerE2ETest.CEILING,
                  backends);
      for (JaegerSpan failed : JaegerE2ETest.failed(traces)) {
        Trace t = JaegerE2ETest.traceOf(traces, failed);
        assertEquals("tds-demo", failed.service);
        assertEquals("client", failed.kind());
        assertEquals("microsoft.sql_server", failed.tag("db.system.name"));
        List<String> steps =
            t.childrenOf(failed).stream()
                .map(s -> s.name)
                .filter(n -> !n.equals("tls handshake"))
                .collect(Collectors.toList());
        assertEquals(
            List.of("tcp connect", "prelogin", "login7", "login error"), steps, t.toString());
      }
      for (Trace t : traces) {
        assertFalse(t.spans.toString().contains("Demo-Pa55word!"), "password in Jaeger");
      }
    }
  }

  static List<String> failedCodes(List<Trace> traces) {
    return JaegerE2ETest.failed(traces).stream()
        .map(s -> s.tag("db.response.status_code"))
        .collect(Collectors.toList());
  }
}
