package io.tdsagent.agent.export;

import io.tdsagent.agent.config.StderrHandler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Keeps the agent's log lines (and the logging exporters' spans, which are log lines too) visible
 * while the JVM exits. The JDK's {@code LogManager} resets itself in its own shutdown hook, which
 * runs at the same time as the agent's: every handler is removed and closed, and whatever the agent
 * logs afterwards (its last spans, its report) would go nowhere. From the moment the agent's hook
 * starts, {@code io.tdsagent} (which holds the relocated SDK too) writes to stderr through this
 * handler, which stays through the reset ({@link StderrHandler}).
 */
final class ExitLogging extends StderrHandler {
  /**
   * Held strongly: a logger with a handler only weakly held by the LogManager could be collected
   * and lose it.
   */
  private static final Logger ROOT = Logger.getLogger("io.tdsagent");

  private static volatile ExitLogging installed;

  private final SimpleFormatter formatter = new SimpleFormatter();

  private ExitLogging(Logger logger) {
    super(logger);
  }

  /** From now until the JVM is gone; idempotent. */
  static synchronized void takeOver() {
    if (installed != null || io.tdsagent.agent.config.DebugLog.isOn()) {
      return; // debug output already writes to stderr and stays
    }
    installed = attachTo(ROOT);
  }

  /** {@code logger}'s records go to stderr from now on, through a reset too. */
  static ExitLogging attachTo(Logger logger) {
    ExitLogging h = new ExitLogging(logger);
    h.attach();
    return h;
  }

  @Override
  protected String format(LogRecord record) {
    return formatter.format(record);
  }
}
