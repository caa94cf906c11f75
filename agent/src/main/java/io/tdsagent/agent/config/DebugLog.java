package io.tdsagent.agent.config;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code -Dtds.debug=true} (or {@code TDS_DEBUG=true}): every line the agent logs, down to FINE
 * (each decision: hooks installed, capture on or off, requests left out, spans exported), goes to
 * stderr, without a JUL configuration file. Switched on when the agent's settings are first read,
 * i.e. at start.
 */
public final class DebugLog extends Handler {
  /** Held strongly: the logger keeps its level and handler only while it is referenced. */
  private static final Logger AGENT = Logger.getLogger("io.tdsagent");

  private static volatile boolean on;

  private DebugLog() {}

  public static boolean isOn() {
    return on;
  }

  static synchronized void enable() {
    if (on) {
      return;
    }
    on = true;
    DebugLog h = new DebugLog();
    h.setLevel(Level.ALL);
    AGENT.setLevel(Level.FINE);
    AGENT.setUseParentHandlers(false);
    AGENT.addHandler(h);
    AGENT.fine("tds-agent: debug output on (" + AgentConfig.DEBUG + ")");
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    String msg = record.getMessage();
    StringBuilder b =
        new StringBuilder("[tds-agent ")
            .append(record.getLevel().getName().toLowerCase(java.util.Locale.ROOT))
            .append("] ")
            .append(msg.startsWith("tds-agent: ") ? msg.substring("tds-agent: ".length()) : msg);
    if (record.getThrown() != null) {
      b.append(" (").append(record.getThrown()).append(')');
    }
    System.err.println(b);
  }

  @Override
  public void flush() {
    System.err.flush();
  }

  /**
   * Called by {@code LogManager.reset()} (at exit, in the JDK's own hook) right after it removed
   * this handler: stay.
   */
  @Override
  public void close() {
    AGENT.setUseParentHandlers(false);
    AGENT.addHandler(this);
  }
}
