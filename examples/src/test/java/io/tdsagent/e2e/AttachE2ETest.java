package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.testutil.SecretScanner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar tds-agent.jar attach|detach|status <pid>}, as the README shows it, on a JVM
 * started without the agent that has logged in already and holds a connection open: after the
 * attach a new login and a request on the old connection are traced; after {@code attach --capture
 * off} nothing is; after {@code detach} the driver's classes run their own code again (the advice
 * is not reached, with capture on), no agent thread is left, and the application goes on. On both
 * drivers and on JDK 17 and the newer JDK.
 */
class AttachE2ETest {
  static final String USER = "app_user";
  static final String PASSWORD = "Canary-attach-Pa55!";

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.OFF);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("mssql-jdbc", false),
        Arguments.of("jTDS", false),
        Arguments.of("mssql-jdbc", true),
        Arguments.of("jTDS", true));
  }

  static String url(String driver) {
    return LAB.url(driver, "attach-e2e");
  }

  @ParameterizedTest(name = "{0}, newer JDK: {1}")
  @MethodSource("cases")
  void attachCaptureOffDetach(String driver, boolean newerJdk) throws Exception {
    String javaHome = newerJdk ? Jdks.newer().toString() : System.getProperty("java.home");
    String url = url(driver);
    try (AttachableApp app = new AttachableApp(javaHome, "tds-attach-e2e")) {
      startReady(
          app,
          url,
          // attached, capture on
          "query",
          "SELECT 21",
          "connect",
          url,
          "say",
          "traced",
          "await",
          app.go("go2"),
          // attach --capture off
          "query",
          "SELECT 22",
          "connect",
          url,
          "say",
          "off",
          "await",
          app.go("go3"),
          // attach --capture on: the marker after which SELECT 22 would have arrived, had it
          // been traced
          "query",
          "SELECT 23",
          "say",
          "on",
          "await",
          app.go("go4"),
          // detached; the application switches capture on itself: the advice, were it there,
          // would trace
          "capture",
          "on",
          "query",
          "SELECT 24",
          "connect",
          url,
          "threadsgone",
          "-",
          "say",
          "detached",
          "await",
          app.go("go5"),
          "query",
          "SELECT 25",
          "close",
          "-");

      String attached = app.attach(LAB.receiver().endpoint());
      // mssql-jdbc: TDSChannel, SQLServerConnection, SocketFinder, SQLServerStatement,
      // SQLServerResultSet and jTDS's
      // Driver (on the class path, loaded by DriverManager); jTDS: SharedSocket, Driver, and the
      // statement and result
      // set classes its session loaded (JtdsStatement, JtdsPreparedStatement, JtdsResultSet,
      // CachedResultSet,
      // MSCursorResultSet)
      int hooked = driver.equals("jTDS") ? 7 : 6;
      assertTrue(
          attached.contains(
              "attached; " + hooked + " driver class(es) already loaded were instrumented"),
          attached);
      assertTrue(attached.contains("attached: yes") && attached.contains("capture: on"), attached);
      app.signal("go1");
      app.awaitLine("SAY traced");
      List<ReceivedSpan> spans =
          LAB.receiver()
              .awaitSpans(
                  s ->
                      has(s, "SELECT 21")
                          && has(s, "SELECT 1")
                          && s.stream().anyMatch(x -> x.name().equals("SQL Server login")),
                  Duration.ofSeconds(30));
      ReceivedSpan old = request(spans, "SELECT 21");
      assertEquals("127.0.0.1", old.stringAttr("server.address"), old.describe());
      assertEquals((long) LAB.server().port(), old.longAttr("server.port"), old.describe());
      ReceivedSpan login = Spans.firstLogin(spans);
      assertEquals(USER, login.stringAttr("db.user"));
      Spans.assertHasSteps(spans, login, "tcp connect", "login7", "loginack");
      String status = app.tool("status", app.pid());
      assertTrue(status.contains("attached: yes") && status.contains("started by: attach"), status);

      String off = app.tool("attach", app.pid(), "--capture", "off");
      assertTrue(
          off.contains("already attached; capture set to off") && off.contains("capture: off"),
          off);
      int before = LAB.receiver().spans().size();
      app.signal("go2");
      app.awaitLine("SAY off");
      String on = app.tool("attach", app.pid(), "--capture", "on");
      assertTrue(on.contains("capture: on"), on);
      app.signal("go3");
      app.awaitLine("SAY on");
      spans = LAB.receiver().awaitSpans(s -> has(s, "SELECT 23"), Duration.ofSeconds(30));
      List<ReceivedSpan> whileOff =
          spans.subList(before, spans.size()).stream()
              .filter(s -> !"SELECT 23".equals(s.stringAttr("db.query.text")))
              .collect(Collectors.toList());
      assertEquals(
          List.of(),
          whileOff.stream().map(ReceivedSpan::describe).collect(Collectors.toList()),
          "traced while capture was off");
      ReceivedSpan resumed = request(spans, "SELECT 23");
      assertEquals("127.0.0.1", resumed.stringAttr("server.address"), resumed.describe());

      String detached = app.tool("detach", app.pid());
      assertTrue(
          detached.contains("detached; " + hooked + " driver class(es) restored")
              && detached.contains("attached: no"),
          detached);
      int atDetach = LAB.receiver().spans().size();
      app.signal("go4");
      app.awaitLine("SAY detached");
      String after = app.tool("status", app.pid());
      assertTrue(after.contains("attached: no"), after);
      assertTrue(
          after.contains("advice calls since detach: 0"),
          "the driver still runs the advice: " + after);
      app.signal("go5");
      String output = app.finish();
      assertTrue(output.contains("EXTRA THREADS []"), "agent threads left after detach: " + output);
      assertTrue(output.contains("DONE"), output);
      assertEquals(
          6,
          output.lines().filter(l -> l.equals("ROWS 1")).count(),
          "the application's queries: " + output);
      assertEquals(3, output.lines().filter(l -> l.equals("OK 1")).count(), output);
      assertEquals(atDetach, LAB.receiver().spans().size(), "spans after the detach");
      assertFalse(output.contains(PASSWORD), output);
      for (ReceivedSpan s : LAB.receiver().spans()) {
        assertFalse(s.toString().contains(PASSWORD));
      }
    }
  }

  /**
   * {@code attach <pid> --pcap FILE --for DURATION}: the capture file holds what was traced while
   * attached (the old connection's request and a new login, read back frame by frame) and nothing
   * after; when the duration is up the agent detaches by itself: the driver's classes run their own
   * code again and no agent thread is left.
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"mssql-jdbc", "jTDS"})
  void pcapForADuration(String driver) throws Exception {
    String url = url(driver);
    try (AttachableApp app = new AttachableApp("tds-attach-pcap")) {
      Path pcap = app.file("attached.pcapng");
      startReady(
          app,
          url,
          // attached for a while, with a capture file
          "query",
          "SELECT 41",
          "connect",
          url,
          "say",
          "traced",
          "await",
          app.go("go2"),
          // detached by --for; the application switches capture on itself: the advice, were
          // it there, would trace
          "capture",
          "on",
          "query",
          "SELECT 42",
          "connect",
          url,
          "threadsgone",
          "-",
          "say",
          "detached",
          "await",
          app.go("go3"),
          "close",
          "-");
      String attached =
          app.attach(LAB.receiver().endpoint(), "--pcap", pcap.toString(), "--for", "20s");
      assertTrue(
          attached.contains("detaching in 20 s") && attached.contains("detach timer: running"),
          attached);
      app.signal("go1");
      app.awaitLine("SAY traced");
      LAB.receiver()
          .awaitSpans(
              s ->
                  has(s, "SELECT 41")
                      && s.stream().anyMatch(x -> x.name().equals("SQL Server login")),
              Duration.ofSeconds(30));
      // --for ends it: a hang guard, not a timing bound
      String status = "";
      for (int n = 0; n < 120 && !status.contains("attached: no"); n++) {
        Thread.sleep(1000);
        status = app.tool("status", app.pid());
      }
      assertTrue(status.contains("attached: no"), "still attached long after --for 20s: " + status);
      int atDetach = LAB.receiver().spans().size();
      app.signal("go2");
      app.awaitLine("SAY detached");
      String after = app.tool("status", app.pid());
      assertTrue(
          after.contains("advice calls since detach: 0"),
          "the driver still runs the advice: " + after);
      app.signal("go3");
      String output = app.finish();
      assertTrue(output.contains("EXTRA THREADS []"), "agent threads left after --for: " + output);
      assertTrue(output.contains("DONE"), output);
      assertEquals(atDetach, LAB.receiver().spans().size(), "spans after the detach");

      // The capture, read back: closed at the detach, holding what was traced and nothing after.
      byte[] payload = capturedBytes(pcap);
      assertTrue(
          SecretScanner.indexOf(payload, "SELECT 41".getBytes(StandardCharsets.UTF_16LE)) >= 0,
          "the old connection's request");
      assertTrue(
          SecretScanner.indexOf(payload, USER.getBytes(StandardCharsets.UTF_16LE)) >= 0,
          "the new login's LOGIN7");
      assertEquals(
          -1,
          SecretScanner.indexOf(payload, "SELECT 42".getBytes(StandardCharsets.UTF_16LE)),
          "captured after the detach");
      assertEquals(
          -1,
          SecretScanner.indexOf(payload, PASSWORD.getBytes(StandardCharsets.UTF_16LE)),
          "the password");
      assertFalse(output.contains(PASSWORD), output);
    }
  }

  /**
   * Every frame's bytes of a capture file, one after another, read with the decoder's capture
   * reader.
   */
  static byte[] capturedBytes(Path file) throws Exception {
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    int frames = 0;
    try (io.tdsagent.capture.CaptureReader r = io.tdsagent.capture.CaptureReader.open(file)) {
      for (io.tdsagent.capture.CapturedFrame f = r.next(); f != null; f = r.next()) {
        all.write(f.data());
        frames++;
      }
    }
    assertTrue(frames > 4, "frames in " + file + ": " + frames);
    return all.toByteArray();
  }

  static boolean has(List<ReceivedSpan> spans, String sql) {
    return spans.stream().anyMatch(x -> sql.equals(x.stringAttr("db.query.text")));
  }

  static ReceivedSpan request(List<ReceivedSpan> spans, String sql) {
    return spans.stream()
        .filter(x -> sql.equals(x.stringAttr("db.query.text")))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Starts the application: it opens a connection, runs SELECT 1, notes its threads, says ready and
   * waits for go1, then runs {@code then}. Returns once it is ready.
   */
  static void startReady(AttachableApp app, String url, String... then) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                JdbcClient.class.getName(),
                "open",
                url,
                "query",
                "SELECT 1",
                "threadsbaseline",
                "-",
                "say",
                "ready",
                "await",
                app.go("go1")));
    args.addAll(List.of(then));
    app.start(args);
    app.awaitLine("SAY ready");
  }
}
