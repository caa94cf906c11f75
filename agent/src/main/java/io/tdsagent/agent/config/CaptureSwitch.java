package io.tdsagent.agent.config;

import java.util.logging.Logger;

/**
 * The {@code tds.capture} switch as one volatile boolean, so the driver's read/write path pays a
 * single field read. A daemon thread re-reads the system property, because
 * {@code System.setProperty} has no change notification; connection set-up re-reads it
 * directly, so a new connection never waits for the poller.
 */
public final class CaptureSwitch {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  private static final long POLL_MILLIS = 100;

  private static volatile boolean on = true;
  private static Thread poller;

  private CaptureSwitch() {}

  /** The hot-path check. */
  public static boolean isOn() {
    return on;
  }

  /** Re-reads the property now; used where a connection starts. */
  public static boolean refresh() {
    boolean now = AgentConfig.captureOn();
    if (now != on) {
      on = now;
      LOG.info("tds-agent: capture switched " + (now ? "on" : "off"));
    }
    return now;
  }

  public static synchronized void start() {
    on = AgentConfig.captureOn();
    LOG.fine("tds-agent: capture " + (on ? "on" : "off") + " at start (" + AgentConfig.CAPTURE + ")");
    if (poller != null) {
      return;
    }
    poller = new Thread(CaptureSwitch::poll, "tds-agent-capture-switch");
    poller.setDaemon(true);
    poller.start();
  }

  private static void poll() {
    while (true) {
      try {
        Thread.sleep(POLL_MILLIS);
        refresh();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A SecurityManager or a broken property must not kill the switch; keep the last value.
      }
    }
  }
}
