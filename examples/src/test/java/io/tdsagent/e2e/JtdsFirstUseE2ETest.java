package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.otlp.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * jTDS logins with a wrong password at the agent's first use, in fresh JVMs that exit right after:
 * several threads ask for a connection at once, so the driver's loading by DriverManager, the
 * agent's activation on its first jTDS class, the warm-up thread, the SDK's set-up on the export
 * thread and the exit flush all overlap with the logins. Every attempt must export its login span
 * (ERROR, 18456), whatever the order those took.
 */
class JtdsFirstUseE2ETest {
  static final String USER = "app_user";
  static final String PASSWORD = "Canary-first-use-Pa55!";

  /**
   * Fresh JVMs, and login attempts at once in each (more with -Dtds.test.firstUseRuns=N,
   * -Dtds.test.firstUseThreads=N; -Dtds.test.firstUseUrlExtra=;ssl=request adds login-only TLS).
   */
  static final int RUNS = Integer.getInteger("tds.test.firstUseRuns", 3);

  static final int THREADS = Integer.getInteger("tds.test.firstUseThreads", 8);

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD, Encryption.OFF);

  @Test
  void everyWrongPasswordLoginAtFirstUseIsExported() throws Exception {
    String url =
        "jdbc:jtds:sqlserver://127.0.0.1:"
            + LAB.server().port()
            + "/demo;user="
            + USER
            + ";password=wrong-"
            + PASSWORD
            + ";appName=first-use;loginTimeout=30"
            + System.getProperty("tds.test.firstUseUrlExtra", "");
    int expected = 0;
    for (int run = 0; run < RUNS; run++) {
      AgentProcess.Result r = LAB.app().step("attempts", THREADS + ":" + url).run().assertOk();
      long failed = r.lines().stream().filter(l -> l.startsWith("ATTEMPT LOGIN-ERR ")).count();
      assertEquals(THREADS, failed, r.toString());
      assertFalse(r.stderr.contains("tds-agent:"), r.toString());
      expected += THREADS;
      int want = expected;
      List<ReceivedSpan> spans;
      try {
        spans = LAB.receiver().awaitSpans(s -> logins(s).size() >= want, Duration.ofSeconds(30));
      } catch (AssertionError e) {
        spans = LAB.receiver().spans();
      }
      List<ReceivedSpan> logins = logins(spans);
      assertEquals(
          want,
          logins.size(),
          "run " + run + ": login spans " + logins.size() + " of " + want + "\n" + r);
      for (ReceivedSpan login : logins) {
        assertTrue(login.isError(), login.describe());
        assertEquals("18456", login.stringAttr("db.response.status_code"), login.describe());
      }
    }
  }

  private static List<ReceivedSpan> logins(List<ReceivedSpan> spans) {
    return spans.stream()
        .filter(s -> s.name().equals("SQL Server login"))
        .collect(Collectors.toList());
  }
}
