package io.tdsagent.agent.config;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A handler that writes one logger's records to stderr and stays through the JDK's {@code
 * LogManager.reset()}, which runs in the JDK's own shutdown hook, at the same time as the agent's:
 * the reset takes every handler off and then closes it, and {@link #close} puts this one back. A
 * line logged on another thread between the two would find no handler, so the handler is attached
 * twice: the reset takes one copy at a time and the close restores it before the other is taken; a
 * record delivered to both copies (one after the other, on the thread that logs it) is printed
 * once.
 */
public abstract class StderrHandler extends Handler {
  private final Logger logger;

  /** The record this thread printed last: its second delivery (the other copy) is skipped. */
  private final ThreadLocal<LogRecord> printed = new ThreadLocal<>();

  protected StderrHandler(Logger logger) {
    this.logger = logger;
  }

  /** From now on the logger's records go here, not to its parents' handlers. */
  public final void attach() {
    logger.setUseParentHandlers(false);
    logger.addHandler(this);
    logger.addHandler(this);
  }

  /** The line for {@code record}, as printed. */
  protected abstract String format(LogRecord record);

  @Override
  public final void publish(LogRecord record) {
    if (!isLoggable(record) || printed.get() == record) {
      return;
    }
    printed.set(record);
    try {
      System.err.print(format(record));
      System.err.flush();
    } catch (RuntimeException e) {
      // Never in the application's way, at exit least of all.
    }
  }

  @Override
  public final void flush() {
    System.err.flush();
  }

  /** Called by {@code LogManager.reset()} right after it took this copy off: stay. */
  @Override
  public final void close() {
    logger.setUseParentHandlers(false);
    logger.addHandler(this);
  }
}
