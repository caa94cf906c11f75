package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.sql.QueryResult;
import io.tdsagent.otlp.OtlpReceiver;
import io.tdsagent.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's exception message on a span the wire called fine: jTDS's getConnection runs its own
 * set-up batch after LOGINACK; the lab fails it with a message that quotes a value, as SQL Server's
 * conversion errors do, and jTDS throws that message to the application. The login span takes the
 * application's outcome (README: "The application's outcome") and its status description quotes the
 * message with the value replaced by {@code ?}, unless {@code tds.sql=raw}.
 */
class AppOutcomeMessageE2ETest {
  private static final String USER = "outcome_user";
  private static final String PASSWORD = "Canary-Outcome-Pa55!";
  private static final String CANARY = "Canary-Value-5c1e";
  private static final String MESSAGE =
      "Conversion failed when converting the varchar value '" + CANARY + "' to data type int.";

  private static LabServer server;
  private static OtlpReceiver receiver;

  @BeforeAll
  static void start() throws Exception {
    server =
        LabServer.builder()
            .port(0)
            .login(USER, PASSWORD)
            .database("master", "demo")
            .encryption(Encryption.NOT_SUPPORTED)
            .queryPattern(
                "SELECT @@MAX_PRECISION( SET .*)?",
                (sql, ctx) -> QueryResult.error(245, 1, 16, MESSAGE))
            .build()
            .start();
    receiver = OtlpReceiver.start(0);
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.close();
  }

  @BeforeEach
  void clear() {
    receiver.clear();
  }

  @Test
  void theValueInTheDriversMessageIsReplaced() throws Exception {
    ReceivedSpan login = failedLogin(AgentProcess.exportingTo(receiver.endpoint()));
    assertFalse(login.statusMessage().contains(CANARY), login.describe());
    assertTrue(
        login.statusMessage().endsWith(": " + MESSAGE.replace("'" + CANARY + "'", "?")),
        login.describe());
  }

  @Test
  void rawSqlKeepsTheDriversMessage() throws Exception {
    ReceivedSpan login =
        failedLogin(AgentProcess.exportingTo(receiver.endpoint()).prop("tds.sql", "raw"));
    assertTrue(login.statusMessage().endsWith(": " + MESSAGE), login.describe());
  }

  /**
   * The attempt fails in getConnection with the lab's message (so the span has a canary to keep
   * out); its login span, an error though the server accepted the login.
   */
  private static ReceivedSpan failedLogin(AgentProcess app) throws Exception {
    String url =
        "jdbc:jtds:sqlserver://127.0.0.1:"
            + server.port()
            + "/demo;user="
            + USER
            + ";password="
            + PASSWORD
            + ";appName=outcome;loginTimeout=30;socketTimeout=40";
    AgentProcess.Result r = app.step("attempt", url).run().assertOk();
    assertTrue(
        r.stdout.contains("ATTEMPT LOGIN-ERR java.sql.SQLException 245 " + MESSAGE), r.toString());
    List<ReceivedSpan> spans =
        receiver.awaitSpans(
            all -> all.stream().anyMatch(AppOutcomeMessageE2ETest::isLogin),
            Duration.ofSeconds(60));
    ReceivedSpan login =
        spans.stream().filter(AppOutcomeMessageE2ETest::isLogin).findFirst().orElseThrow();
    assertTrue(login.isError(), login.describe());
    assertEquals("success", login.stringAttr("tds.login.outcome"), login.describe());
    assertEquals(
        "java.sql.SQLException", login.stringAttr("tds.client.error.type"), login.describe());
    return login;
  }

  private static boolean isLogin(ReceivedSpan s) {
    return s.name().equals("SQL Server login")
        && Long.valueOf(server.port()).equals(s.longAttr("server.port"));
  }
}
