package io.tdsagent.agent.export;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Keeps the agent's log lines (and the logging exporters' spans, which are log lines too) visible
 * while the JVM exits. The JDK's {@code LogManager} resets itself in its own shutdown hook, which
 * runs at the same time as the agent's: every handler is removed and closed, and whatever the agent
 * logs afterwards (its last spans, its report) goes nowhere. From the moment the agent's hook
 * starts, {@code io.tdsagent} (which holds the relocated SDK too) writes to stderr through this
 * handler, which puts itself back when the reset removes it.
 *
 * <p>The reset removes a handler and only then closes it: a line logged on another thread in
 * between would find no handler. So the handler is attached twice: the reset takes one copy at a
 * time and the close puts it back before the other is taken, and a record delivered to both copies
 * (one after the other, on the thread that logs it) is printed once.
 */
final class ExitLogging extends Handler {
  /**
   * Held strongly: a logger with a handler only weakly held by the LogManager could be collected
   * and lose it.
   */
  private static final Logger ROOT = Logger.getLogger("io.tdsagent");

  private static volatile ExitLogging installed;

  /** The record this thread printed last: its second delivery (the other copy) is skipped. */
  private final ThreadLocal<LogRecord> printed = new ThreadLocal<>();

  private final Logger logger;

  private ExitLogging(Logger logger) {
    this.logger = logger;
    setFormatter(new SimpleFormatter());
  }

  /** From now until the JVM is gone; idempotent. */
  static synchronized void takeOver() {
    if (installed != null || io.tdsagent.agent.config.DebugLog.isOn()) {
      return; // debug output already writes to stderr and stays
    }
    installed = attach(ROOT);
  }

  /** {@code logger}'s records go to stderr from now on, through a reset too. */
  static ExitLogging attach(Logger logger) {
    ExitLogging h = new ExitLogging(logger);
    logger.setUseParentHandlers(false);
    logger.addHandler(h);
    logger.addHandler(h);
    return h;
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record) || printed.get() == record) {
      return;
    }
    printed.set(record);
    try {
      System.err.print(getFormatter().format(record));
      System.err.flush();
    } catch (RuntimeException e) {
      // Never in the way of the exit.
    }
  }

  @Override
  public void flush() {
    System.err.flush();
  }

  /** Called by {@code LogManager.reset()} right after it removed this handler: stay. */
  @Override
  public void close() {
    logger.setUseParentHandlers(false);
    logger.addHandler(this);
  }
}
