package io.tdsagent.agent;

import io.tdsagent.agent.bootstrap.DriverWatch;
import io.tdsagent.agent.config.AgentConfig;
import java.lang.instrument.Instrumentation;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point for {@code -javaagent:tds-agent.jar} (and for attaching to a running JVM).
 *
 * <p>Start-up installs only {@link DriverWatch}, which uses nothing but the JDK: Byte Buddy, the
 * decoder and the OpenTelemetry SDK are loaded when a driver class the agent hooks is first defined,
 * so an application that never opens a SQL Server connection pays next to nothing.
 */
public final class TdsAgent {
  private static boolean installed;

  private TdsAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(inst, true);
  }

  /**
   * Started by the OpenTelemetry Java agent's extension entry ({@code io.tdsagent.otelext.TdsAgentExtension}) once
   * that agent is installed, with its Instrumentation: as with {@code -javaagent}; spans then go through its SDK.
   */
  public static void extension(Instrumentation inst) {
    start(inst, false);
  }

  private static synchronized void start(Instrumentation inst, boolean attached) {
    if (installed) {
      return;
    }
    installed = true;
    try {
      if (!AgentConfig.agentEnabled()) {
        log().info("tds-agent: disabled by " + AgentConfig.ENABLED + "=false; no instrumentation installed");
        return;
      }
      DriverWatch watch = new DriverWatch();
      inst.addTransformer(watch);
      if (attached) {
        watch.activateNow(inst);
      }
    } catch (Throwable t) {
      // The application starts regardless.
      log().log(Level.WARNING, "tds-agent: could not install; the application runs untraced", t);
    }
  }

  /** Looked up only when there is something to say: java.util.logging is not free to load. */
  private static Logger log() {
    return Logger.getLogger("io.tdsagent");
  }
}
