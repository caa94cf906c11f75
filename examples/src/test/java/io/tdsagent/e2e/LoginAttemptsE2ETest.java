package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.lab.LabServer;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.otlp.Traces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every attempt the real mssql-jdbc makes for one {@code getConnection} (each address tried, each
 * retry, each redirect) is a login span of its own, numbered ({@code tds.login.attempt}) and linked
 * to the attempt before it; the first starts when the application asked. A forked JVM with the
 * agent, spans as the OTLP receiver got them.
 */
class LoginAttemptsE2ETest {
  static final String USER = "attempt_user";
  static final String PASSWORD = "Attempt-Pa55word!";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final String RELAXED = "60000";

  @RegisterExtension static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD);

  private List<ReceivedSpan> seen;

  private static AgentProcess app() {
    return LAB.app().prop("tds.diagnosis.slow_ms", RELAXED);
  }

  /**
   * The login spans (exactly {@code count} once each has its tcp connect child), in the order they
   * started.
   */
  private List<ReceivedSpan> logins(int count) {
    seen = Spans.awaitWithTcpConnect(LAB.receiver(), count, WAIT);
    List<ReceivedSpan> ls = Spans.inStartOrder(seen);
    assertEquals(count, ls.size(), () -> "login spans: " + ls);
    return ls;
  }

  private ReceivedSpan child(ReceivedSpan parent, String name) {
    return Spans.child(seen, parent, name);
  }

  /**
   * Attempt n (1-based) is numbered so, and every attempt after the first links to the one before
   * it, only.
   */
  private static void assertChain(List<ReceivedSpan> attempts) {
    for (int i = 0; i < attempts.size(); i++) {
      ReceivedSpan a = attempts.get(i);
      assertEquals(i + 1L, a.longAttr("tds.login.attempt"), a.describe());
      if (i == 0) {
        assertTrue(a.links().isEmpty(), () -> "the first attempt links nowhere: " + a.links());
      } else {
        ReceivedSpan before = attempts.get(i - 1);
        assertEquals(1, a.links().size(), () -> "one link, to the attempt before: " + a.links());
        assertEquals(before.spanId(), a.links().get(0).spanId(), a.describe());
        assertEquals(before.traceId(), a.links().get(0).traceId(), a.describe());
      }
    }
  }

  /**
   * One {@code attempt} step to {@code host}, a name the forked JVM resolves to 127.0.0.2 (nothing
   * listening) and then 127.0.0.1 (a lab server): the application logs in.
   */
  private static void attemptViaTwoAddresses(String host, String extra) throws Exception {
    LabServer s = LAB.lab(LabServer.builder());
    Path hosts = Files.createTempFile("tds-hosts", ".txt");
    try {
      Files.writeString(hosts, "127.0.0.2 " + host + "\n127.0.0.1 " + host + "\n");
      String url =
          "jdbc:sqlserver://"
              + host
              + ":"
              + s.port()
              + ";user="
              + USER
              + ";password="
              + PASSWORD
              + ";encrypt=false;loginTimeout=20;connectRetryCount=0"
              + extra;
      AgentProcess.Result r =
          app().jvmArg("-Djdk.net.hosts.file=" + hosts).step("attempt", url).run().assertOk();
      assertTrue(r.stdout.contains("ATTEMPT LOGIN-OK QUERY-OK 1"), r.toString());
    } finally {
      Files.deleteIfExists(hosts);
    }
  }

  /**
   * A name that resolves to two addresses, the first with nothing listening: mssql-jdbc's first
   * attempt ({@code transparentNetworkIPResolution}, on by default) tries the first address alone
   * and is refused; its second tries all of them at once and the lab server's answers.
   */
  @Test
  void eachAddressTriedIsAnAttempt() throws Exception {
    attemptViaTwoAddresses("sql-two.lab.test", "");
    List<ReceivedSpan> ls = logins(2);
    assertChain(ls);
    ReceivedSpan first = ls.get(0);
    ReceivedSpan second = ls.get(1);
    assertTrue(first.isError(), first.describe());
    assertTrue(
        first.stringAttr("tds.login.diagnosis").startsWith("tcp connect failed"), first.describe());
    assertTrue(child(first, "tcp connect").isError(), first.describe());
    // the address the refused connect went to, although no socket connected
    assertEquals(
        "127.0.0.2",
        child(first, "tcp connect").stringAttr("network.peer.address"),
        first.describe());
    assertEquals("ok", second.stringAttr("tds.login.diagnosis"), second.describe());
    assertEquals("127.0.0.1", second.stringAttr("network.peer.address"), second.describe());
    assertEquals("sql-two.lab.test", second.stringAttr("server.address"));
    // the second attempt raced both addresses: one tcp connect per socket, siblings, with address
    // and outcome
    Map<String, ReceivedSpan> sockets =
        Traces.of(seen).childrenOf(second).stream()
            .filter(c -> c.name().equals("tcp connect"))
            .collect(Collectors.toMap(c -> c.stringAttr("network.peer.address"), c -> c));
    String all =
        sockets.values().stream().map(ReceivedSpan::describe).collect(Collectors.joining("\n"));
    assertEquals("connected", sockets.get("127.0.0.1").stringAttr("tds.tcp.outcome"), all);
    assertFalse(sockets.get("127.0.0.1").isError(), all);
    // 127.0.0.2 is refused at once; or not tried at all when 127.0.0.1 won before its thread began
    // (the driver checks); or abandoned when 127.0.0.1 won while its connect was still under way
    // (the driver closes that socket: "Socket closed"). Its pool thread may even report after the
    // login ended, then it is left out. Only a failure of its own is an error.
    ReceivedSpan refused = sockets.get("127.0.0.2");
    if (refused != null) {
      String outcome = refused.stringAttr("tds.tcp.outcome");
      assertTrue(
          outcome.equals("failed") || outcome.equals("not tried") || outcome.equals("abandoned"),
          all);
      assertEquals(outcome.equals("failed"), refused.isError(), all);
      assertTrue(
          !outcome.equals("failed") || refused.stringAttr("tds.tcp.error").contains("refused"),
          all);
      assertTrue(
          !outcome.equals("abandoned") || refused.hasAttr("tds.tcp.error"),
          () -> "an abandoned socket says what ended it: " + all);
    }
    System.out.println("raced sockets of attempt 2:\n" + all);
  }

  /**
   * {@code multiSubnetFailover=true}: the first attempt already races every address; one attempt
   * whose tcp connect children are the raced sockets, the lab server's address the one connected.
   */
  @Test
  void multiSubnetFailoverRacesTheAddressesInOneAttempt() throws Exception {
    attemptViaTwoAddresses("sql-msf.lab.test", ";multiSubnetFailover=true");
    ReceivedSpan login = logins(1).get(0);
    assertEquals(1L, login.longAttr("tds.login.attempt"), login.describe());
    assertEquals("ok", login.stringAttr("tds.login.diagnosis"), login.describe());
    List<ReceivedSpan> sockets =
        Traces.of(seen).childrenOf(login).stream()
            .filter(c -> c.name().equals("tcp connect"))
            .collect(Collectors.toList());
    String all = sockets.stream().map(ReceivedSpan::describe).collect(Collectors.joining("\n"));
    assertTrue(
        sockets.stream()
            .anyMatch(
                c ->
                    "127.0.0.1".equals(c.stringAttr("network.peer.address"))
                        && "connected".equals(c.stringAttr("tds.tcp.outcome"))),
        all);
    assertTrue(sockets.stream().allMatch(c -> c.hasAttr("tds.tcp.outcome")), all);
  }

  /**
   * 4060 is transient to mssql-jdbc: with {@code connectRetryCount=1} it logs in twice in its login
   * loop, and its connect loop around that retries the whole once more: four logins, each an
   * attempt, one chain.
   */
  @Test
  void eachRetryIsAnAttempt() throws Exception {
    LabServer s = LAB.lab(LabServer.builder());
    AgentProcess.Result r =
        app()
            .step(
                "attempt",
                s.jdbcUrl(
                    JdbcEncrypt.FALSE,
                    USER,
                    PASSWORD,
                    "databaseName=nosuchdb;connectRetryCount=1;connectRetryInterval=1;loginTimeout=60"))
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("ATTEMPT LOGIN-ERR") && r.stdout.contains(" 4060 "), r.toString());
    List<ReceivedSpan> ls = logins(4);
    assertChain(ls);
    for (ReceivedSpan a : ls) {
      assertEquals(
          "database unavailable (error 4060)", a.stringAttr("tds.login.diagnosis"), a.describe());
    }
    // the client connection id differs per attempt: four TCP connections, four logins
    assertEquals(
        4,
        ls.stream().map(a -> a.stringAttr("tds.client_connection_id")).distinct().count(),
        ls.toString());
  }

  /**
   * The gateway's login ends with tds.routing.*; the routed server's login is the next attempt,
   * linked to it.
   */
  @Test
  void aRedirectIsTheNextAttempt() throws Exception {
    LabServer target = LAB.lab(LabServer.builder());
    LabServer gateway = LAB.lab(LabServer.builder().route(LabServer.HOST, target.port()));
    AgentProcess.Result r =
        app()
            .step(
                "attempt",
                gateway.jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, "connectRetryCount=0"))
            .run()
            .assertOk();
    assertTrue(r.stdout.contains("ATTEMPT LOGIN-OK QUERY-OK 1"), r.toString());
    List<ReceivedSpan> ls = logins(2);
    assertChain(ls);
    ReceivedSpan gw = ls.get(0);
    assertEquals((long) gateway.port(), gw.longAttr("server.port"));
    assertEquals("routed", gw.stringAttr("tds.login.outcome"), gw.describe());
    assertEquals("127.0.0.1", gw.stringAttr("tds.routing.server"), gw.describe());
    assertEquals((long) target.port(), gw.longAttr("tds.routing.port"), gw.describe());
    assertEquals((long) target.port(), ls.get(1).longAttr("server.port"));
    assertEquals("ok", ls.get(1).stringAttr("tds.login.diagnosis"), ls.get(1).describe());
  }

  /**
   * Two getConnection calls are two requests: each starts again at attempt 1, and neither links to
   * the other.
   */
  @Test
  void separateConnectionsAreNotChained() throws Exception {
    LabServer s = LAB.lab(LabServer.builder());
    String url = s.jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, "connectRetryCount=0");
    app().step("attempt", url).step("attempt", url).run().assertOk();
    List<ReceivedSpan> ls = logins(2);
    for (ReceivedSpan a : ls) {
      assertEquals(1L, a.longAttr("tds.login.attempt"), a.describe());
      assertTrue(a.links().isEmpty(), a.describe());
    }
    assertNotEquals(ls.get(0).spanId(), ls.get(1).spanId());
  }

  /**
   * In a fresh JVM the first login span starts when the application called getConnection, not when
   * the driver opened its socket after the agent's own first-use work: it starts before the tcp
   * connect by the time the request spent before it, which the span names.
   */
  @Test
  void theFirstLoginStartsWhenTheApplicationAsked() throws Exception {
    LabServer s = LAB.lab(LabServer.builder());
    AgentProcess.Result r =
        app()
            .step("timed", s.jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, "connectRetryCount=0"))
            .run()
            .assertOk();
    long asked = Long.parseLong(line(r.stdout, "ASKED "));
    long answered = Long.parseLong(line(r.stdout, "ANSWERED "));
    ReceivedSpan login = logins(1).get(0);
    ReceivedSpan tcp = child(login, "tcp connect");
    long startAfterAsked = login.startEpochNanos() - asked;
    long tcpAfterAsked = tcp.startEpochNanos() - asked;
    System.out.printf(
        "asked->login start %.1f ms, asked->tcp connect %.1f ms, asked->answered %.1f ms%n",
        startAfterAsked / 1e6, tcpAfterAsked / 1e6, (answered - asked) / 1e6);
    // The span starts at the driver's connect (or where the agent's own set-up began inside it),
    // before the tcp
    // connect; what the JDK's DriverManager does before the driver is called (loading every driver
    // on the class path)
    // is not the driver's and stays outside, so no share of the wait is asserted: only the order,
    // which a busy
    // machine cannot change.
    assertTrue(login.startEpochNanos() < tcp.startEpochNanos(), login.describe());
    assertTrue(
        startAfterAsked < tcpAfterAsked,
        () ->
            "login start "
                + startAfterAsked / 1e6
                + " ms after the call, tcp connect "
                + tcpAfterAsked / 1e6
                + " ms after");
    assertTrue(login.doubleAttr("tds.login.before_connect_ms") > 0, login.describe());
    assertFalse(login.endEpochNanos() > answered + 5_000_000L, login.describe());
  }

  private static String line(String out, String prefix) {
    return out.lines()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " in " + out));
  }
}
