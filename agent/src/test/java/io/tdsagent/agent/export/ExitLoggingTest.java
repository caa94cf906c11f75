package io.tdsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Handler;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's lines at exit, while the JDK's {@code LogManager} resets itself on another thread:
 * the reset removes each handler and only then closes it, and a line logged in between must still
 * be printed, once.
 */
class ExitLoggingTest {
  private final Logger logger = Logger.getLogger("io.tdsagent.test.exit-logging");
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream systemErr;

  @BeforeEach
  void captureStderr() {
    systemErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(systemErr);
    for (Handler h : logger.getHandlers()) {
      logger.removeHandler(h);
    }
    logger.setUseParentHandlers(true);
  }

  private int printed(String line) {
    String all = err.toString(StandardCharsets.UTF_8);
    int n = 0;
    for (int i = all.indexOf(line); i >= 0; i = all.indexOf(line, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void aLineLoggedWhileTheResetHoldsTheHandlerIsPrintedOnce() {
    ExitLogging.attachTo(logger);
    logger.info("before the reset");
    // What LogManager.reset() does to each logger: take a handler off, then close it. The export
    // thread logs a span in between.
    int step = 0;
    for (Handler h : logger.getHandlers()) {
      logger.removeHandler(h);
      logger.info("during the reset, step " + step++);
      h.close();
    }
    logger.info("after the reset");

    assertEquals(1, printed("before the reset"), err::toString);
    for (int i = 0; i < step; i++) {
      assertEquals(1, printed("during the reset, step " + i), err::toString);
    }
    assertEquals(1, printed("after the reset"), err::toString);
  }
}
