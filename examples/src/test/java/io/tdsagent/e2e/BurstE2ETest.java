package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.otlp.Traces;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A burst of connections opened at once through mssql-jdbc, each running 11 requests: every
 * successful login arrives at the OTLP receiver exactly once and whole, requests are shed only as
 * counted, and no span crosses between connections. The number of connections: {@code
 * -Dtds.test.burst=N}, default 1,000.
 */
class BurstE2ETest {
  static final String USER = "burst_user";
  static final String PASSWORD = "Burst-Pa55word!";
  static final int BURST = Integer.getInteger("tds.test.burst", 1000);

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.NOT_SUPPORTED);

  @Test
  void everyLoginOfABurstArrivesOnceAndWhole() throws Exception {
    String url =
        LAB.server()
            .jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, "databaseName=demo;loginTimeout=120");
    AgentProcess.Result r =
        LAB.app()
            .prop("tds.sql", "raw")
            // The test reads what arrived after the process ended: let the exit flush finish
            // whatever the machine's load.
            .prop("tds.export.exit_timeout_ms", "120000")
            .step("burst", BURST + ":" + url)
            .run()
            .assertOk();
    Map<String, String> connectionIds = new HashMap<>(); // client connection id -> burst index
    for (String line : r.lines()) {
      if (line.startsWith("CONN ")) {
        String[] w = line.split(" ");
        assertEquals(null, connectionIds.put(w[2].toLowerCase(), w[1]), line);
      }
    }
    Matcher m = Pattern.compile("BURST ok=(\\d+) failed=(\\d+)").matcher(r.stdout);
    assertTrue(m.find(), r::toString);
    int ok = Integer.parseInt(m.group(1));
    assertEquals(BURST, ok, () -> "the application's connections failed: " + r);
    assertEquals(ok, connectionIds.size());

    List<ReceivedSpan> spans = LAB.receiver().spans();
    Traces traces = Traces.of(spans);
    List<ReceivedSpan> logins =
        spans.stream()
            .filter(s -> s.name().equals("SQL Server login"))
            .collect(Collectors.toList());
    Map<String, ReceivedSpan> loginBySpanId = new HashMap<>();
    Map<String, ReceivedSpan> loginByConnection = new HashMap<>();
    int attempts = 0;
    for (ReceivedSpan login : logins) {
      if (!"success".equals(login.stringAttr("tds.login.outcome"))) {
        // The driver's own retries within one getConnection (a SYN lost to the full accept
        // backlog): spans too.
        assertEquals("ERROR", login.statusCode(), login::describe);
        attempts++;
        continue;
      }
      String id = login.stringAttr("tds.client_connection_id");
      assertNotNull(
          connectionIds.get(id),
          () -> "a login span for no connection of the application: " + login.describe());
      assertEquals(
          null, loginByConnection.put(id, login), () -> "two login spans for connection " + id);
      loginBySpanId.put(login.spanId(), login);
      assertEquals(
          List.of("tcp connect", "prelogin", "login7", "loginack"),
          traces.childNames(login),
          login::describe);
    }
    assertEquals(
        connectionIds.size(),
        loginByConnection.size(),
        () ->
            (connectionIds.size() - loginByConnection.size())
                + " of "
                + connectionIds.size()
                + " successful logins have no span;"
                + " agent said:\n"
                + r.stderr);

    // Each SELECT i that was traced is linked to the login of the connection that ran it.
    int checked = 0;
    for (ReceivedSpan s : spans) {
      String text = s.stringAttr("db.query.text");
      if (text == null
          || !text.matches("SELECT \\d+")
          || text.equals("SELECT 1") && s.links().isEmpty()) {
        continue;
      }
      assertEquals(1, s.links().size(), s::describe);
      ReceivedSpan login = loginBySpanId.get(s.links().get(0).spanId());
      assertNotNull(login, () -> "a request linked to a login that never arrived: " + s.describe());
      if (!text.equals("SELECT 1")) {
        String index = connectionIds.get(login.stringAttr("tds.client_connection_id"));
        assertEquals(
            "SELECT " + index,
            text,
            () -> "a request under another connection's login: " + s.describe());
        checked++;
      }
    }
    assertTrue(checked > 0, "no SELECT i request span arrived");
    assertFalse(r.stderr.contains("gave up exporting at exit"), r::toString);
    Matcher dropped =
        Pattern.compile("dropped in all because the export queue was full: (\\d+) login")
            .matcher(r.stderr);
    if (dropped.find()) {
      assertEquals("0", dropped.group(1), r::toString);
    }
    System.out.println(
        "burst of "
            + BURST
            + ": "
            + loginByConnection.size()
            + " successful login spans (+"
            + attempts
            + " failed attempts), "
            + spans.size()
            + " spans, "
            + checked
            + " SELECT i spans checked; agent said: "
            + r.stderr.lines().filter(l -> l.contains("tds-agent")).collect(Collectors.toList()));
  }
}
