package io.tdsagent.agent.config;

import java.util.logging.Logger;

/**
 * The {@code tds.capture} switch, read afresh at every message boundary: {@code System.setProperty}
 * has no change notification, and a poller would both lag and keep a thread alive for the life of
 * the JVM. One read is a system-property lookup (a hash-map get) and an identity compare with the
 * value last parsed; the text is parsed only when the property was set again (see BENCHMARKS.md for
 * its cost).
 */
public final class CaptureSwitch {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");

  /** Never the property's value: the first read always parses. */
  private static final String UNREAD = new String("unread");

  /** The property's value as last read (by identity) and what it meant. */
  private static final class Reading {
    final String raw;
    final boolean on;

    Reading(String raw, boolean on) {
      this.raw = raw;
      this.on = on;
    }
  }

  private static volatile Reading last = new Reading(UNREAD, true);

  private CaptureSwitch() {}

  /** The check at each message boundary and each connection start. */
  public static boolean isOn() {
    Reading r = last;
    String now;
    try {
      now = System.getProperty(AgentConfig.CAPTURE);
    } catch (RuntimeException e) {
      return r.on; // a SecurityManager that forbids reading it: keep the last value
    }
    return now == r.raw ? r.on : changed(r, now);
  }

  private static boolean changed(Reading before, String raw) {
    boolean on = raw != null ? AgentConfig.parseSwitch(raw, true) : AgentConfig.captureOn();
    last = new Reading(raw, on);
    if (before.raw != UNREAD && before.on != on) {
      LOG.info("tds-agent: capture switched " + (on ? "on" : "off"));
    }
    return on;
  }
}
