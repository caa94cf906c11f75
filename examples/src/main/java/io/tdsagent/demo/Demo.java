package io.tdsagent.demo;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.Faults;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.Step;
import io.tdsagent.lab.transport.SilentListener;
import io.tdsagent.otlp.OtlpReceiver;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.otlp.Traces;
import io.tdsagent.otlp.Waterfall;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo: an ordinary JDBC application, run with the agent attached. It starts the lab server
 * in-process, logs in a few ways through mssql-jdbc, and prints each login's trace.
 *
 * <p>With no OTLP endpoint configured it plays the Collector itself: an in-process OTLP/HTTP
 * receiver takes what the agent exports and prints it as a waterfall. With {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code -Dotel.exporter.otlp.endpoint}) set, the traces go there
 * instead, e.g. to the Collector and Jaeger of examples/docker-compose.yml.
 */
public final class Demo {
  static final String USER = "demo_user";
  // A demo secret: it travels in LOGIN7 and must never show up in a trace.
  static final String PASSWORD = "Demo-Pa55word!";
  private static final String LOGIN_SPAN = "SQL Server login";

  private final PrintStream out;
  private final OtlpReceiver receiver;
  private final List<String> seenTraces = new ArrayList<>();
  private final Waterfall waterfall =
      Waterfall.builder()
          .width(100)
          .summary(Demo::summary)
          .attributeKeys(
              "tls.protocol.version",
              "tls.cipher",
              "db.response.status_code",
              "tds.error.state",
              "tds.error.reason",
              "tds.auth.slowest_leg",
              "tds.ntlm.version",
              "tds.login.diagnosis")
          .build();

  private Demo(PrintStream out, OtlpReceiver receiver) {
    this.out = out;
    this.receiver = receiver;
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    if (!agentAttached()) {
      out.println("tds-demo: the agent is not attached. Run:");
      out.println("  java -javaagent:agent/target/tds-agent.jar -jar examples/target/tds-demo.jar");
      System.exit(2);
    }
    OtlpReceiver receiver = null;
    String configured = endpoint();
    if (configured == null) {
      receiver = OtlpReceiver.start(0);
      // The agent configures its SDK at its first export, so these are still heard.
      System.setProperty("otel.exporter.otlp.endpoint", receiver.endpoint());
      System.setProperty("otel.exporter.otlp.protocol", "http/protobuf");
      setIfAbsent("otel.bsp.schedule.delay", "OTEL_BSP_SCHEDULE_DELAY", "100");
      out.println(
          "tds-demo: no OTLP endpoint configured: printing traces here (receiver at "
              + receiver.endpoint()
              + ")");
    } else {
      out.println(
          "tds-demo: exporting traces to "
              + configured
              + " (view them in Jaeger: http://localhost:16686)");
    }
    setIfAbsent("otel.service.name", "OTEL_SERVICE_NAME", "tds-demo");

    List<String> urls = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--url") && i + 1 < args.length) {
        urls.add(args[++i]);
      } else {
        out.println(
            "usage: tds-demo [--url JDBC_URL]...   (no --url: log in to the embedded lab server)");
        System.exit(2);
      }
    }
    if (!urls.isEmpty()) {
      Demo demo = new Demo(out, receiver);
      for (String url : urls) {
        demo.login(url.replaceAll("(?i)password=(\\{[^}]*}|[^;]*)", "password=***"), url);
      }
      // the receiver stays up until the JVM exits: the agent's exit flush (spans, metrics) still
      // sends to it
      System.exit(0);
    }

    try (LabServer plain =
            LabServer.builder()
                .port(0)
                .login(USER, PASSWORD)
                .database("master", "demo")
                .encryption(Encryption.NOT_SUPPORTED)
                .build()
                .start();
        LabServer tls =
            LabServer.builder()
                .port(0)
                .login(USER, PASSWORD)
                .database("master", "demo")
                .encryption(Encryption.OFF)
                .build()
                .start();
        LabServer slowDc =
            LabServer.builder()
                .port(0)
                .login(USER, PASSWORD)
                .database("master", "demo")
                .ntlmDomain("LAB", "lab.local")
                .delay(Step.SSPI_CHALLENGE, Duration.ofMillis(800))
                .encryption(Encryption.NOT_SUPPORTED)
                .build()
                .start()) {
      Demo demo = new Demo(out, receiver);
      demo.login(
          "plaintext (encrypt=false, server without TLS)",
          plain.jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, app("plain")));
      demo.login(
          "login-only TLS (encrypt=false, server with TLS)",
          tls.jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, app("login-only")));
      demo.login(
          "encrypt=true (TLS inside PRELOGIN, then the whole session)",
          tls.jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, app("encrypt")));
      demo.login(
          "encrypt=strict (TDS 8: TLS first)",
          tls.jdbcUrl(JdbcEncrypt.STRICT, USER, PASSWORD, app("strict")));
      demo.login(
          "wrong password",
          plain.jdbcUrl(JdbcEncrypt.FALSE, USER, "not-the-password", app("wrong-password")));
      demo.login(
          "unknown database",
          plain.jdbcUrl(
              JdbcEncrypt.FALSE, USER, PASSWORD, "databaseName=nosuchdb;applicationName=tds-demo"));
      demo.login(
          "NTLM (integratedSecurity=true;authenticationScheme=NTLM)",
          plain.jdbcUrl(
              JdbcEncrypt.FALSE,
              USER,
              PASSWORD,
              app("ntlm") + ";integratedSecurity=true;authenticationScheme=NTLM;domain=LAB"));
      demo.login(
          "NTLM with a slow domain controller (800 ms before the CHALLENGE)",
          slowDc.jdbcUrl(
              JdbcEncrypt.FALSE,
              USER,
              PASSWORD,
              app("slow-dc") + ";integratedSecurity=true;authenticationScheme=NTLM;domain=LAB"));
      if (receiver != null) {
        demo.whatWentWrong();
      }
    }
    // the receiver stays up until the JVM exits: the agent's exit flush (spans, metrics) still
    // sends to it
    System.exit(0);
  }

  /**
   * One login per cause of failure or slowness, each reproduced by a lab server told to misbehave,
   * and their {@code tds.login.diagnosis} side by side.
   */
  private void whatWentWrong() throws Exception {
    out.println();
    out.println(
        "== What went wrong: one login per cause, the agent's verdict (tds.login.diagnosis) side by side");
    List<AutoCloseable> servers = new ArrayList<>();
    List<String[]> rows = new ArrayList<>();
    try {
      LabServer ok = lab(servers, plain());
      rows.add(verdict("a healthy login", ok.jdbcUrl(USER, PASSWORD, "")));
      rows.add(verdict("wrong password", ok.jdbcUrl(USER, "not-the-password", "")));
      rows.add(verdict("unknown login", ok.jdbcUrl("nobody", PASSWORD, "")));
      rows.add(
          verdict(
              "password expired (lab: --login-error 18456:18)",
              lab(servers, plain().loginError(18456, 18)).jdbcUrl(USER, PASSWORD, "")));
      rows.add(
          verdict(
              "unknown database",
              ok.jdbcUrl(USER, PASSWORD, "databaseName=nosuchdb;connectRetryCount=0")));
      rows.add(
          verdict(
              "busy server (lab: --delay login-response=1200ms)",
              lab(servers, plain().delay(Step.LOGIN_RESPONSE, Duration.ofMillis(1200)))
                  .jdbcUrl(USER, PASSWORD, "")));
      rows.add(
          verdict(
              "stalled server, loginTimeout=2 (lab: --delay login-response=60s)",
              lab(servers, plain().delay(Step.LOGIN_RESPONSE, Duration.ofSeconds(60)))
                  .jdbcUrl(USER, PASSWORD, "loginTimeout=2;connectRetryCount=0")));
      rows.add(
          verdict(
              "TLS refused (lab: --encryption on --tls-alert protocol_version)",
              lab(servers, LabServer.builder().encryption(Encryption.ON).tlsAlert(70))
                  .jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, "connectRetryCount=0")));
      rows.add(
          verdict(
              "server closes (lab: --close login)",
              lab(servers, plain().endBefore(Step.LOGIN, Faults.End.CLOSE))
                  .jdbcUrl(USER, PASSWORD, "connectRetryCount=0")));
      rows.add(
          verdict(
              "gateway redirect (lab: --route 127.0.0.1:" + ok.port() + ")",
              lab(servers, plain().route(LabServer.HOST, ok.port())).jdbcUrl(USER, PASSWORD, "")));
      SilentListener silent = SilentListener.start(0);
      servers.add(silent);
      rows.add(
          verdict(
              "no SYN-ACK, loginTimeout=2 (lab: --silent-listener)",
              "jdbc:sqlserver://127.0.0.1:"
                  + silent.port()
                  + ";user="
                  + USER
                  + ";password="
                  + PASSWORD
                  + ";encrypt=false;loginTimeout=2;connectRetryCount=0"));
    } finally {
      for (AutoCloseable c : servers) {
        c.close();
      }
    }
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
    for (String[] r : rows) {
      out.println(String.format("  %-" + width + "s  %s", r[0], r[1]));
    }
  }

  /** Without TLS, so that on a busy machine no handshake outweighs the step each row is about. */
  private static LabServer.Builder plain() {
    return LabServer.builder().encryption(Encryption.NOT_SUPPORTED);
  }

  private static LabServer lab(List<AutoCloseable> servers, LabServer.Builder b)
      throws java.io.IOException {
    LabServer s = b.port(0).login(USER, PASSWORD).database("master", "demo").build().start();
    servers.add(s);
    return s;
  }

  /** Logs in without printing the waterfall; the verdict of the first login span of the attempt. */
  private String[] verdict(String title, String url) {
    try (Connection c = DriverManager.getConnection(url)) {
      c.isValid(5);
    } catch (SQLException e) {
      // the verdict is what this section is about
    }
    try {
      List<ReceivedSpan> spans =
          receiver.awaitSpans(all -> newLogin(all) != null, Duration.ofSeconds(15));
      Thread.sleep(150); // a routed login's second attempt
      ReceivedSpan first = null;
      for (ReceivedSpan s : receiver.spans()) {
        if (s.name().equals(LOGIN_SPAN) && !seenTraces.contains(s.traceId())) {
          seenTraces.add(s.traceId());
          if (first == null || s.startEpochNanos() < first.startEpochNanos()) {
            first = s;
          }
        }
      }
      return new String[] {title, first == null ? "?" : first.stringAttr("tds.login.diagnosis")};
    } catch (AssertionError e) {
      return new String[] {title, "(no trace arrived)"};
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new String[] {title, "(interrupted)"};
    }
  }

  /** user@host:port/database, TDS version, encryption, and the outcome. */
  static String summary(ReceivedSpan s) {
    StringBuilder b = new StringBuilder(s.name()).append("  ");
    b.append(s.stringAttr("db.user"))
        .append('@')
        .append(s.stringAttr("server.address"))
        .append(':')
        .append(s.longAttr("server.port"))
        .append('/')
        .append(s.stringAttr("db.namespace"));
    if (s.hasAttr("tds.version")) {
      b.append("  TDS ").append(s.stringAttr("tds.version"));
    }
    b.append("  encryption=").append(s.stringAttr("tds.encryption.negotiated"));
    if (s.hasAttr("tds.auth.method")) {
      b.append("  auth=").append(s.stringAttr("tds.auth.method"));
    }
    b.append("  ").append(s.isError() ? "ERROR " + s.statusMessage() : "OK");
    return b.toString();
  }

  private static String app(String name) {
    return "databaseName=demo;applicationName=tds-demo-" + name;
  }

  private void login(String title, String url) {
    out.println();
    out.println("== " + title);
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@VERSION")) {
      rs.next();
      out.println("   application: connected; SELECT @@VERSION -> " + firstLine(rs.getString(1)));
    } catch (SQLException e) {
      out.println("   application: SQLException " + e.getErrorCode() + ": " + e.getMessage());
    }
    if (receiver != null) {
      printNextTrace();
    }
  }

  private void printNextTrace() {
    try {
      List<ReceivedSpan> spans =
          receiver.awaitSpans(all -> newLogin(all) != null, Duration.ofSeconds(15));
      ReceivedSpan root = newLogin(spans);
      // Children are exported with or before their parent; give stragglers of this trace a moment.
      Thread.sleep(150);
      Traces traces = Traces.of(receiver.spans());
      seenTraces.add(root.traceId());
      out.print(waterfall.render(traces, traces.find(root.traceId(), root.spanId()).orElse(root)));
    } catch (AssertionError e) {
      out.println("   (no trace arrived: " + e.getMessage().lines().findFirst().orElse("") + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ReceivedSpan newLogin(List<ReceivedSpan> spans) {
    for (ReceivedSpan s : spans) {
      if (s.name().equals(LOGIN_SPAN) && !seenTraces.contains(s.traceId())) {
        return s;
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    return s == null ? "null" : s.lines().findFirst().orElse("");
  }

  private static boolean agentAttached() {
    try {
      Class.forName("io.tdsagent.agent.TdsAgent", false, ClassLoader.getSystemClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static String endpoint() {
    for (String p :
        new String[] {"otel.exporter.otlp.traces.endpoint", "otel.exporter.otlp.endpoint"}) {
      String v = System.getProperty(p);
      if (v == null) {
        v = System.getenv(p.toUpperCase().replace('.', '_'));
      }
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    String exporter =
        System.getProperty("otel.traces.exporter", System.getenv("OTEL_TRACES_EXPORTER"));
    return exporter != null && !exporter.equals("otlp") ? "the " + exporter + " exporter" : null;
  }

  private static void setIfAbsent(String property, String env, String value) {
    if (System.getProperty(property) == null && System.getenv(env) == null) {
      System.setProperty(property, value);
    }
  }
}
