package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.faults.FaultProxy;
import io.tdsagent.faults.FaultProxy.Fault;
import io.tdsagent.faults.FaultProxy.Packet;
import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.otlp.ReceivedSpan;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults between the real driver and the lab server ({@link FaultProxy}): the login and a result
 * cut at a byte (FIN and RST), garbage, wrong packet lengths (0, 7, 0xFFFF), a stall past the login
 * timeout, 1-byte chunks, duplicated packets. Each configuration runs every fault in one forked JVM
 * with the agent and in one without. What the application prints must be the same; the agent logs
 * no more than one line per fault kind and no stack trace; every attempt gives a login span whose
 * status is the application's outcome.
 */
class FaultsE2ETest {
  static final String USER = "fault_user";
  static final String PASSWORD = "Canary-Fault-Pa55!";

  @RegisterExtension
  static final LabAndReceiver PLAIN = new LabAndReceiver(USER, PASSWORD, Encryption.NOT_SUPPORTED);

  @RegisterExtension
  static final LabAndReceiver TLS = new LabAndReceiver(USER, PASSWORD, Encryption.OFF);

  private static final Pattern CONNECTION_ID = Pattern.compile("ClientConnectionId:[0-9a-fA-F-]+");

  /**
   * java.util.logging's SimpleFormatter: a line with the date and the source, then the level and
   * the message.
   */
  private static final Pattern AGENT_RECORD =
      Pattern.compile("(?m)^.* io\\.tdsagent\\S* \\S+\\R(SEVERE|WARNING): ");

  /**
   * Attempts whose login span may disagree with the application (none now): jTDS's getConnection
   * runs a set-up batch after LOGINACK, and when a fault makes it fail (a duplicated login
   * response, a duplicated LOGIN7 that the server answers by closing) the wire's login succeeded
   * while getConnection threw. The agent follows getConnection's outcome, so the login span is an
   * error there too.
   */
  static final java.util.Set<String> LOGIN_OK_APP_FAILED = java.util.Set.of();

  @Test
  void mssqlJdbcRequestCarriesTheApplicationsOutcome() throws Exception {
    requestOutcome(false);
  }

  @Test
  void jtdsRequestCarriesTheApplicationsOutcome() throws Exception {
    requestOutcome(true);
  }

  /**
   * A result cut mid-stream: the driver throws to the application, and the request span says so
   * with the exception's class and SQLState, whatever the wire alone allowed the decoder to
   * conclude. jTDS's own set-up batch, run inside getConnection, is marked as the driver's; the
   * application's query is not.
   */
  private void requestOutcome(boolean jtds) throws Exception {
    FaultProxy cut;
    try (FaultProxy probe = probe(PLAIN, false, jtds)) {
      cut =
          new FaultProxy(
              PLAIN.server().port(), Fault.cut("cut in the result", true, probe.serverBytes() - 3));
    }
    try (FaultProxy p = cut) {
      PLAIN.receiver().clear();
      AgentProcess.Result r =
          PLAIN.app().step("attempt", url(PLAIN, p.port(), false, jtds, 30)).run().assertOk();
      String line = outcomes(r).get(0);
      assertTrue(line.startsWith("ATTEMPT LOGIN-OK QUERY-ERR "), line);
      String thrown = line.split(" ")[3];
      long port = p.port();
      List<ReceivedSpan> spans =
          PLAIN
              .receiver()
              .awaitSpans(
                  all ->
                      all.stream().anyMatch(x -> isLogin(x, port))
                          && all.stream().anyMatch(x -> isQuery(x, port)),
                  Duration.ofSeconds(60));
      ReceivedSpan query = spans.stream().filter(x -> isQuery(x, port)).findFirst().orElseThrow();
      assertTrue(query.isError(), query.describe());
      assertEquals(thrown, query.stringAttr("tds.client.error.type"), query.describe());
      assertEquals("08S01", query.stringAttr("tds.client.sql_state"), query.describe());
      assertFalse(query.hasAttr("tds.request.driver_internal"), query.describe());
      if (!jtds) { // the bytes that came before the cut (jTDS reads a packet whole, so it never
        // hands over a cut one)
        assertTrue(query.longAttr("tds.response.bytes") > 0, query.describe());
      }
      List<ReceivedSpan> internal =
          spans.stream()
              .filter(
                  x ->
                      x.hasAttr("tds.request.type")
                          && Long.valueOf(port).equals(x.longAttr("server.port"))
                          && !isQuery(x, port))
              .collect(Collectors.toList());
      if (jtds) {
        assertEquals(1, internal.size(), PLAIN.receiver().dump());
        assertEquals(
            Boolean.TRUE,
            internal.get(0).boolAttr("tds.request.driver_internal"),
            internal.get(0).describe());
        assertFalse(internal.get(0).isError(), internal.get(0).describe());
      } else {
        assertTrue(internal.isEmpty(), PLAIN.receiver().dump());
      }
    }
  }

  private static boolean isQuery(ReceivedSpan s, long port) {
    return s.hasAttr("tds.request.type")
        && Long.valueOf(port).equals(s.longAttr("server.port"))
        && s.name().equals("SELECT")
        && !String.valueOf(s.stringAttr("db.query.text")).contains("MAX_PRECISION");
  }

  @Test
  void mssqlJdbcPlaintext() throws Exception {
    run(PLAIN, false, false);
  }

  @Test
  void mssqlJdbcTls() throws Exception {
    run(TLS, true, false);
  }

  @Test
  void jtdsPlaintext() throws Exception {
    run(PLAIN, false, true);
  }

  private static String url(
      LabAndReceiver lab, int port, boolean tls, boolean jtds, int loginTimeout) {
    if (jtds) {
      return lab.jtdsUrl(
          port,
          "demo",
          ";appName=faults;loginTimeout=" + loginTimeout + ";socketTimeout=" + (loginTimeout + 10));
    }
    return lab.server()
        .jdbcUrl(
            tls ? JdbcEncrypt.TRUE : JdbcEncrypt.FALSE,
            USER,
            PASSWORD,
            "databaseName=demo;applicationName=faults;connectRetryCount=0;loginTimeout="
                + loginTimeout
                + ";socketTimeout="
                + (loginTimeout + 10) * 1000)
        .replace(":" + lab.server().port() + ";", ":" + port + ";");
  }

  /**
   * Where the login and the result are on the wire: one clean connection through the proxy, in this
   * JVM.
   */
  private static FaultProxy probe(LabAndReceiver lab, boolean tls, boolean jtds) throws Exception {
    FaultProxy p = new FaultProxy(lab.server().port(), Fault.none());
    try (Connection c = DriverManager.getConnection(url(lab, p.port(), tls, jtds, 20));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      assertTrue(rs.next());
    }
    for (int i = 0; i < 200 && p.serverBytes() == 0; i++) {
      Thread.sleep(10);
    }
    return p;
  }

  /**
   * A dozen faults aimed at the login (LOGIN7 or, over TLS, the handshake), its response and the
   * result.
   */
  static List<Fault> faults(FaultProxy probe, boolean jtds) {
    List<Packet> c = probe.clientPackets();
    List<Packet> s = probe.serverPackets();
    // the client's login message: LOGIN7 when it is in clear, else the first TLS handshake packet
    int loginIndex = 0;
    while (loginIndex < c.size() - 1
        && c.get(loginIndex).type != 0x10
        && !(c.get(loginIndex).type == 0x12 && loginIndex > 0)) {
      loginIndex++;
    }
    long login = c.get(loginIndex).offset;
    // the server's answer to it: its packets come in the same order as the client's messages
    Packet loginResponse = s.get(Math.min(loginIndex, s.size() - 1));
    long result = probe.serverBytes() - 3; // inside the SELECT's DONE (or its TLS record)
    List<Fault> f = new ArrayList<>();
    f.add(Fault.none());
    f.add(Fault.cut("cut in the login", false, login + 20));
    f.add(Fault.cut("cut in the login response", true, loginResponse.offset + 20));
    f.add(Fault.cut("cut in the result", true, result));
    f.add(Fault.rst("RST in the login", false, login + 20));
    f.add(Fault.rst("RST in the result", true, result));
    f.add(Fault.garbage("garbage before the login response", true, loginResponse.offset));
    f.add(Fault.length("login response length 0", true, loginResponse.offset, 0));
    f.add(Fault.length("login response length 7", true, loginResponse.offset, 7));
    f.add(Fault.length("login response length 0xFFFF", true, loginResponse.offset, 0xFFFF));
    f.add(Fault.stall("stall before the login response", true, loginResponse.offset));
    f.add(Fault.oneByte());
    f.add(
        Fault.duplicate(
            "login response packet twice", true, loginResponse.offset, loginResponse.length));
    f.add(Fault.duplicate("first client packet twice", false, c.get(0).offset, c.get(0).length));
    return f;
  }

  private void run(LabAndReceiver lab, boolean tls, boolean jtds) throws Exception {
    List<FaultProxy> proxies = new ArrayList<>();
    try (FaultProxy probe = probe(lab, tls, jtds)) {
      for (Fault f : faults(probe, jtds)) {
        proxies.add(new FaultProxy(lab.server().port(), f));
      }
    }
    try {
      AgentProcess with = lab.app();
      AgentProcess without = lab.app().withoutAgent();
      for (FaultProxy p : proxies) {
        // a stall ends at the login timeout, and so does a length that promises bytes never sent
        // (jTDS waits for
        // them); the others end by themselves. The first attempt (no fault) pays for the agent's
        // first use.
        int timeout =
            p.fault().kind() == FaultProxy.Kind.STALL || p.fault().kind() == FaultProxy.Kind.LENGTH
                ? 5
                : 30;
        with.step("attempt", url(lab, p.port(), tls, jtds, timeout));
        without.step("attempt", url(lab, p.port(), tls, jtds, timeout));
      }
      AgentProcess.Result plain = without.run().assertOk();
      lab.receiver().clear();
      AgentProcess.Result traced = with.run().assertOk();

      List<String> expected = outcomes(plain);
      List<String> seen = outcomes(traced);
      assertEquals(proxies.size(), expected.size(), plain.toString());
      for (int i = 0; i < proxies.size(); i++) {
        assertEquals(
            expected.get(i),
            seen.get(i),
            proxies.get(i).fault() + ": the agent changed what the application saw");
      }
      assertEquals("ATTEMPT LOGIN-OK QUERY-OK 1", seen.get(0), "no fault: " + traced);
      assertEquals("ATTEMPT LOGIN-OK QUERY-OK 1", seen.get(11), "1-byte chunks: " + traced);

      // the agent's log: no stack trace, no more than one record per fault kind, never the password
      assertFalse(traced.stderr.contains("\tat "), traced.stderr);
      assertFalse(traced.all().contains(PASSWORD), "password in the output");
      int records = agentRecords(traced.stderr);
      long kinds = proxies.stream().map(p -> p.fault().kind()).distinct().count();
      assertTrue(
          records <= kinds, records + " warnings for " + kinds + " fault kinds:\n" + traced.stderr);

      // every attempt: a login span on its proxy's port, ERROR exactly when the application failed
      // to log in
      Map<Long, Boolean> loginFailed = new LinkedHashMap<>();
      for (int i = 0; i < proxies.size(); i++) {
        loginFailed.put((long) proxies.get(i).port(), seen.get(i).startsWith("ATTEMPT LOGIN-ERR"));
      }
      List<ReceivedSpan> spans =
          lab.receiver()
              .awaitSpans(
                  all ->
                      loginFailed.keySet().stream()
                          .allMatch(port -> all.stream().anyMatch(x -> isLogin(x, port))),
                  Duration.ofSeconds(60));
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < proxies.size(); i++) {
        long port = proxies.get(i).port();
        List<ReceivedSpan> logins =
            spans.stream().filter(x -> isLogin(x, port)).collect(Collectors.toList());
        String where = proxies.get(i).fault() + " (app: " + seen.get(i) + ")";
        if (logins.isEmpty()) {
          problems.add(where + ": no login span");
        }
        for (ReceivedSpan login : logins) {
          boolean gap =
              LOGIN_OK_APP_FAILED.contains((jtds ? "jTDS/" : "") + proxies.get(i).fault());
          if (gap
              ? loginFailed.get(port) == login.isError() || !loginFailed.get(port)
              : loginFailed.get(port) != login.isError()) {
            problems.add(
                where
                    + (gap ? " (known gap changed; see LOGIN_OK_APP_FAILED)" : "")
                    + ": "
                    + login.describe());
          }
          String fault = proxies.get(i).fault().name();
          // a login whose response was cut never got the server's whole answer: not a success,
          // whatever came first
          if (fault.equals("cut in the login response")
              && "success".equals(login.stringAttr("tds.login.outcome"))) {
            problems.add(where + ": outcome success on a cut login response: " + login.describe());
          }
          // LOGIN7 went out in clear and was decoded: its child is there whatever the server
          // answered
          List<String> children = io.tdsagent.otlp.Traces.of(spans).childNames(login);
          if (!tls
              && fault.equals("garbage before the login response")
              && !children.contains("login7")) {
            problems.add(where + ": no login7 child " + children + ": " + login.describe());
          }
        }
      }
      assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n" + lab.receiver().dump());
    } finally {
      proxies.forEach(FaultProxy::close);
    }
  }

  /**
   * The agent's WARNING and SEVERE records (the drivers log their own through java.util.logging
   * too).
   */
  private static int agentRecords(String stderr) {
    Matcher m = AGENT_RECORD.matcher(stderr);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  private static boolean isLogin(ReceivedSpan s, long port) {
    return s.name().equals("SQL Server login")
        && Long.valueOf(port).equals(s.longAttr("server.port"));
  }

  /**
   * The application's line per attempt (login, then query: OK or the exception), its connection ids
   * removed.
   */
  private static List<String> outcomes(AgentProcess.Result r) {
    return r.lines().stream()
        .filter(l -> l.startsWith("ATTEMPT "))
        .map(l -> CONNECTION_ID.matcher(l).replaceAll("ClientConnectionId:-"))
        .collect(Collectors.toList());
  }
}
