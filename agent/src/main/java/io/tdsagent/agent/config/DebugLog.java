package io.tdsagent.agent.config;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * {@code -Dtds.debug=true} (or {@code TDS_DEBUG=true}): every line the agent logs, down to FINE
 * (each decision: hooks installed, capture on or off, requests left out, spans exported), goes to
 * stderr, without a JUL configuration file. Switched on when the agent's settings are first read,
 * i.e. at start.
 */
public final class DebugLog extends StderrHandler {
  /** Held strongly: the logger keeps its level and handler only while it is referenced. */
  private static final Logger AGENT = Logger.getLogger("io.tdsagent");

  private static volatile boolean on;

  private DebugLog() {
    super(AGENT);
  }

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
    h.attach();
    AGENT.fine("tds-agent: debug output on (" + AgentConfig.DEBUG + ")");
  }

  @Override
  protected String format(LogRecord record) {
    String msg = record.getMessage();
    StringBuilder b =
        new StringBuilder("[tds-agent ")
            .append(record.getLevel().getName().toLowerCase(java.util.Locale.ROOT))
            .append("] ")
            .append(msg.startsWith("tds-agent: ") ? msg.substring("tds-agent: ".length()) : msg);
    if (record.getThrown() != null) {
      b.append(" (").append(record.getThrown()).append(')');
    }
    return b.append(System.lineSeparator()).toString();
  }
}
