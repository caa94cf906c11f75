package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.lab.tls.SelfSignedCertificate;
import io.tdsagent.otlp.OtlpReceiver;
import io.tdsagent.otlp.ReceivedSpan;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the agent does with the settings a user of the OpenTelemetry Java agent would give it, or
 * none: OTLP http/protobuf to localhost:4318, everything flushed when a short application exits, an
 * unreachable endpoint said once and never holding the exit for long.
 */
class ExportDefaultsE2ETest {
  static final String USER = "defaults_user";
  static final String PASSWORD = "Defaults-Pa55word!";
  static final Duration WAIT = Duration.ofSeconds(20);
  static final Path README =
      Paths.get(System.getProperty("tds.project.root", "..")).resolve("README.md");

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.NOT_SUPPORTED);

  static String url() {
    return LAB.server().jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, "databaseName=demo");
  }

  static List<ReceivedSpan> logins(List<ReceivedSpan> spans) {
    return spans.stream()
        .filter(s -> s.name().equals("SQL Server login"))
        .collect(Collectors.toList());
  }

  /**
   * README's "Using it with your application" command, word for word: only the agent's path and the
   * application jar are put in (the application gets its own argument, the URL to connect to).
   * Nothing is configured, so the spans must arrive at localhost:4318 over http/protobuf, before
   * the one-second application has gone.
   */
  @Test
  void readmeCommandLineExportsToLocalhost4318() throws Exception {
    List<String> command = readmeCommand();
    assertTrue(
        command.contains("-javaagent:/path/to/tds-agent.jar") && command.contains("your-app.jar"),
        command::toString);
    Path app = applicationJar();
    List<String> cmd = new ArrayList<>();
    for (String word : command) {
      cmd.add(
          word.equals("java")
              ? Paths.get(System.getProperty("java.home"), "bin", "java").toString()
              : word.replace(
                      "/path/to/tds-agent.jar", AgentProcess.AGENT_JAR.toAbsolutePath().toString())
                  .replace("your-app.jar", app.toString()));
    }
    cmd.add("connect");
    cmd.add(url());
    try (OtlpReceiver at4318 = receiverOn4318()) {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().keySet().removeIf(k -> k.startsWith("OTEL_") || k.startsWith("TDS_"));
      AgentProcess.Result r = run(pb);
      r.assertOk();
      List<ReceivedSpan> spans;
      try {
        spans = at4318.awaitSpans(s -> !logins(s).isEmpty(), WAIT);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n" + r, e);
      }
      ReceivedSpan login = logins(spans).get(0);
      assertEquals("orders-api", login.resourceAttr("service.name"), login.describe());
      assertEquals("success", login.stringAttr("tds.login.outcome"));
      assertTrue(at4318.requests().size() > 0);
      assertFalse(r.stderr.contains(PASSWORD));
    } finally {
      Files.deleteIfExists(app);
    }
  }

  /** The Jaeger recipe's setting alone (no protocol): OTLP over http/protobuf to that endpoint. */
  @Test
  void environmentEndpointAloneExportsOverHttpProtobuf() throws Exception {
    AgentProcess.bare()
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", LAB.receiver().endpoint())
        .connect(url())
        .run()
        .assertOk();
    List<ReceivedSpan> spans = LAB.receiver().awaitSpans(s -> !logins(s).isEmpty(), WAIT);
    assertEquals(1, logins(spans).size(), spans::toString);
  }

  /**
   * A short application with the SDK's batch delay untouched (5 s): its spans go out at exit,
   * whatever exporter.
   */
  @ParameterizedTest
  @ValueSource(strings = {"logging", "logging-otlp"})
  void loggingExportersPrintEverySpanOfAShortApplication(String exporter) throws Exception {
    AgentProcess.Result r =
        AgentProcess.bare().prop("otel.traces.exporter", exporter).connect(url()).run().assertOk();
    for (String name :
        List.of("SQL Server login", "tcp connect", "prelogin", "login7", "loginack")) {
      String printed =
          exporter.equals("logging") ? "'" + name + "' : " : "\"name\":\"" + name + "\"";
      assertTrue(r.stderr.contains(printed), () -> "no " + printed + " in\n" + r);
    }
  }

  /**
   * An {@code https://} endpoint with a private CA, as a Collector behind TLS: the spans go through
   * the OpenTelemetry JDK sender (the agent's own sender takes plain {@code http://} only), the
   * receiver's certificate trusted through {@code otel.exporter.otlp.certificate}.
   */
  @Test
  void httpsEndpointWithAPrivateCaReceivesTheLogin() throws Exception {
    SelfSignedCertificate cert = SelfSignedCertificate.shared();
    Path pem = cert.writeTempPem();
    try (OtlpReceiver https = OtlpReceiver.startTls(0, cert.serverContext())) {
      assertTrue(https.endpoint().startsWith("https://127.0.0.1:"), https.endpoint());
      AgentProcess.Result r =
          AgentProcess.exportingTo(https.endpoint())
              .prop("otel.exporter.otlp.certificate", pem.toString())
              .connect(url())
              .run()
              .assertOk();
      List<ReceivedSpan> spans = Spans.awaitLogin(https, WAIT);
      Spans.assertHasSteps(
          spans, Spans.firstLogin(spans), "tcp connect", "prelogin", "login7", "loginack");
      assertFalse(r.stderr.contains("could not export"), r.stderr);
      assertFalse(r.all().contains(PASSWORD), "the password stays in the application");
    } finally {
      Files.deleteIfExists(pem);
    }
  }

  /**
   * Refused: the first failure is one WARNING with endpoint, protocol and cause; the exit waits no
   * longer than the bound.
   */
  @Test
  void refusedEndpointIsSaidOnceAndDoesNotHoldTheExit() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + port;
    AgentProcess.Result r =
        AgentProcess.bare()
            .prop("otel.exporter.otlp.endpoint", endpoint)
            .prop("otel.bsp.schedule.delay", "50")
            .prop("otel.metric.export.interval", "1000")
            .connect(url())
            .step("sleep", "12000")
            .connect(url())
            .step("sleep", "12000")
            .connect(url())
            .run()
            .assertOk();
    // metrics, failing at every 1 s period: said once by the agent, the SDK's own "Exporter failed"
    // line (a WARNING at every period) held back, the total at exit
    assertEquals(
        1,
        lines(r.stderr, "could not export metrics to " + endpoint + "/v1/metrics (http/protobuf): ")
            .size(),
        r::toString);
    assertFalse(r.stderr.contains("Exporter failed"), r::toString);
    Matcher metricTotal =
        Pattern.compile(
                "tds-agent: (\\d+) export\\(s\\) of (\\d+) metric\\(s\\) to "
                    + Pattern.quote(endpoint)
                    + "/v1/metrics \\(http/protobuf\\) failed in all")
            .matcher(r.stderr);
    assertTrue(metricTotal.find(), r::toString);
    assertTrue(Integer.parseInt(metricTotal.group(1)) >= 2, r::toString);
    List<String> warnings = lines(r.stderr, "could not export spans to ");
    assertEquals(1, warnings.size(), r::toString);
    // the agent's own OTLP/HTTP sender (plain http) names the refusal as the JDK's socket does
    assertTrue(
        warnings
            .get(0)
            .contains(
                "tds-agent: could not export spans to "
                    + endpoint
                    + "/v1/traces (http/protobuf): "
                    + "Connection refused"),
        r::toString);
    Matcher total =
        Pattern.compile(
                "tds-agent: (\\d+) export\\(s\\) of (\\d+) span\\(s\\) to "
                    + Pattern.quote(endpoint)
                    + "/v1/traces \\(http/protobuf\\) failed in all")
            .matcher(r.stderr);
    assertTrue(total.find(), r::toString);
    assertTrue(Integer.parseInt(total.group(1)) >= 2, r::toString);
    // A refusal fails at once; whether the exporter's jittered retries are still running when the 2
    // s exit bound
    // ends depends on the draw, so the bound's line may or may not be needed here, but never more
    // than once (the
    // bound itself is held by silentEndpointHoldsTheExitOnlyForTheBound).
    assertTrue(lines(r.stderr, "gave up exporting at exit after 2000 ms").size() <= 1, r::toString);
    assertFalse(
        r.stderr.contains("Failed to export spans"),
        "the exporter's own failure lines are the agent's to say");
  }

  /** Accepts and never answers: the exit still waits only the bound, and says so. */
  @Test
  void silentEndpointHoldsTheExitOnlyForTheBound() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket blackhole = new ServerSocket(0)) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(blackhole.accept());
                  }
                } catch (IOException e) {
                  // closed
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      AgentProcess.Result r =
          AgentProcess.bare()
              .prop("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + blackhole.getLocalPort())
              .connect(url())
              .run()
              .assertOk();
      assertFalse(held.isEmpty(), "the exporter never connected");
      assertEquals(
          1,
          lines(
                  r.stderr,
                  "tds-agent: gave up exporting at exit after 2000 ms (tds.export.exit_timeout_ms): spans "
                      + "still queued for http://127.0.0.1:"
                      + blackhole.getLocalPort()
                      + "/v1/traces (http/protobuf) are lost")
              .size(),
          r::toString);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  static List<String> lines(String text, String containing) {
    return Arrays.stream(text.split("\\R"))
        .filter(l -> l.contains(containing))
        .collect(Collectors.toList());
  }

  /**
   * The first command of README's "Using it with your application", continuation lines joined,
   * split in words.
   */
  static List<String> readmeCommand() throws IOException {
    String md = Files.readString(README, StandardCharsets.UTF_8);
    int section = md.indexOf("## Using it with your application");
    assertTrue(section >= 0, "README has no 'Using it with your application'");
    int start = md.indexOf("```bash\n", section) + "```bash\n".length();
    String block = md.substring(start, md.indexOf("```", start));
    List<String> words = new ArrayList<>();
    for (String w : block.replace("\\\n", " ").trim().split("\\s+")) {
      words.add(w);
    }
    return words;
  }

  /**
   * The test's own application (JdbcClient) as an executable jar, its class path in the manifest.
   */
  static Path applicationJar() throws IOException {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, JdbcClient.class.getName());
    List<String> urls = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Paths.get(e).toAbsolutePath().toUri().toString());
    }
    m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
    Path jar = Files.createTempFile("your-app", ".jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out, m)) {
      // the manifest is the whole jar
    }
    return jar;
  }

  /**
   * A receiver on the default OTLP/HTTP port; fails under CI when the port is taken, says why and
   * skips elsewhere.
   */
  static OtlpReceiver receiverOn4318() {
    OtlpReceiver receiver = null;
    try {
      receiver = OtlpReceiver.start(4318);
      // "localhost" may resolve to ::1 first: nothing may listen there either, or the spans would
      // go to it.
      try (ServerSocket v6 = new ServerSocket()) {
        v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), 4318));
      } catch (BindException e) {
        throw new UncheckedIOException("[::1]:4318", e);
      } catch (IOException e) {
        // no IPv6 loopback here: nothing to check
      }
      return receiver;
    } catch (UncheckedIOException e) {
      if (receiver != null) {
        receiver.close();
      }
      String why =
          "port 4318 (the OTLP/HTTP default) is in use on the loopback, so README's command line cannot be "
              + "tested here: "
              + e.getMessage()
              + " "
              + e.getCause();
      io.tdsagent.testutil.Missing.skipOrFail(why);
      return null;
    }
  }

  static AgentProcess.Result run(ProcessBuilder pb) throws IOException, InterruptedException {
    Path out = Files.createTempFile("tds-e2e", ".out");
    Path err = Files.createTempFile("tds-e2e", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("forked JVM did not finish in 120 s: " + pb.command());
      }
      return new AgentProcess.Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
