package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Faults;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.Step;
import io.tdsagent.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Who closed a connection first, and when: a healthy connection the application closes gets a
 * {@code SQL Server connection} span (the login's start to the close, linked to the login) with a
 * {@code tds.connection.closed} event by the client; a server that closes or resets first makes the
 * span in flight ERROR with {@code tds.connection.closed_by=server}, for jTDS as for mssql-jdbc.
 * Real drivers in a forked JVM with the agent, spans at the OTLP receiver.
 */
class ConnectionCloseE2ETest {
  static final String USER = "close_user";
  static final String PASSWORD = "Close-Pa55word!";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String LOGIN = Spans.LOGIN;
  static final String CONNECTION = Spans.CONNECTION;

  @RegisterExtension static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD);

  private static AgentProcess app() {
    return LAB.app().prop("tds.diagnosis.slow_ms", "60000");
  }

  private static String jtds(LabServer s) {
    return LAB.jtdsUrl(s.port(), "master", ";loginTimeout=10");
  }

  private static ReceivedSpan named(List<ReceivedSpan> spans, String name) {
    return spans.stream()
        .filter(x -> x.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + spans));
  }

  private static void assertClientClosed(ReceivedSpan connection, ReceivedSpan login) {
    assertEquals(
        "client", connection.stringAttr("tds.connection.closed_by"), connection.describe());
    ReceivedSpan.Event closed = connection.event("tds.connection.closed");
    assertEquals("client", closed.attr("tds.connection.closed_by"), connection.describe());
    assertEquals(connection.endEpochNanos(), closed.epochNanos(), connection.describe());
    assertFalse(connection.isError(), connection.describe());
    assertEquals(login.startEpochNanos(), connection.startEpochNanos(), connection.describe());
    assertTrue(connection.endEpochNanos() >= login.endEpochNanos(), connection.describe());
    assertEquals(1, connection.links().size(), connection.describe());
    assertEquals(login.spanId(), connection.links().get(0).spanId(), connection.describe());
    assertEquals(1L, connection.longAttr("tds.requests"), connection.describe());
  }

  @Test
  void aHealthyConnectionTheClientClosedSaysSo() throws Exception {
    LabServer s = LAB.lab(LabServer.builder());
    app()
        .connect(s.jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, "connectRetryCount=0"))
        .run()
        .assertOk();
    List<ReceivedSpan> spans =
        LAB.receiver()
            .awaitSpans(all -> all.stream().anyMatch(x -> x.name().equals(CONNECTION)), WAIT);
    assertClientClosed(named(spans, CONNECTION), named(spans, LOGIN));
  }

  @Test
  void jtdsAHealthyConnectionTheClientClosedSaysSo() throws Exception {
    LabServer s = LAB.lab(LabServer.builder());
    app().connect(jtds(s)).run().assertOk();
    List<ReceivedSpan> spans =
        LAB.receiver()
            .awaitSpans(all -> all.stream().anyMatch(x -> x.name().equals(CONNECTION)), WAIT);
    ReceivedSpan connection = named(spans, CONNECTION);
    // jTDS runs a set-up batch of its own after the login: two requests
    assertEquals(
        "client", connection.stringAttr("tds.connection.closed_by"), connection.describe());
    assertEquals(
        "client", connection.event("tds.connection.closed").attr("tds.connection.closed_by"));
    assertEquals(named(spans, LOGIN).spanId(), connection.links().get(0).spanId());
    assertFalse(connection.isError(), connection.describe());
  }

  /** A failed login has no session: the login span says everything, no connection span is made. */
  @Test
  void aFailedLoginHasNoConnectionSpan() throws Exception {
    LabServer s = LAB.lab(LabServer.builder());
    app()
        .connect(s.jdbcUrl(JdbcEncrypt.FALSE, USER, "wrong", "connectRetryCount=0"))
        .run()
        .assertOk();
    List<ReceivedSpan> spans =
        LAB.receiver().awaitSpans(all -> all.stream().anyMatch(x -> x.name().equals(LOGIN)), WAIT);
    Thread.sleep(
        1000); // the process has exited and flushed; a connection span would be here by now
    assertFalse(
        LAB.receiver().spans().stream().anyMatch(x -> x.name().equals(CONNECTION)),
        spans.toString());
  }

  @Test
  void jtdsServerClosesDuringLogin7() throws Exception {
    LabServer s = LAB.lab(LabServer.builder().endBefore(Step.LOGIN, Faults.End.CLOSE));
    AgentProcess.Result r = app().connect(jtds(s)).run().assertOk();
    assertTrue(r.stdout.contains("ERR"), r.toString());
    ReceivedSpan login =
        named(
            LAB.receiver()
                .awaitSpans(all -> all.stream().anyMatch(x -> x.name().equals(LOGIN)), WAIT),
            LOGIN);
    assertEquals("ERROR", login.statusCode(), login.describe());
    assertEquals("server", login.stringAttr("tds.connection.closed_by"), login.describe());
    assertEquals(
        "fin", login.event("tds.connection.closed").attr("tds.connection.close"), login.describe());
    assertTrue(
        login
            .stringAttr("tds.login.diagnosis")
            .startsWith("server closed the connection during login7"),
        login.describe());
  }

  @Test
  void jtdsServerClosesDuringARequest() throws Exception {
    assertServerEndedRequest(Faults.End.CLOSE, "fin");
  }

  @Test
  void jtdsServerResetsDuringARequest() throws Exception {
    assertServerEndedRequest(Faults.End.RESET, "rst");
  }

  private void assertServerEndedRequest(Faults.End how, String close) throws Exception {
    LabServer s = LAB.lab(LabServer.builder().endBefore(Step.SQL_BATCH, how));
    AgentProcess.Result r = app().connect(jtds(s)).run().assertOk();
    assertTrue(r.stdout.contains("ERR"), r.toString());
    ReceivedSpan request = Spans.endedByServer(Spans.awaitEndedByServer(LAB.receiver(), WAIT));
    assertFalse(request.name().equals(LOGIN), request.describe());
    assertEquals("ERROR", request.statusCode(), request.describe());
    assertEquals(
        close,
        request.event("tds.connection.closed").attr("tds.connection.close"),
        request.describe());
  }
}
