package io.tdsagent.agent;

import io.tdsagent.agent.bootstrap.AgentCommands;
import io.tdsagent.agent.bootstrap.DriverWatch;
import io.tdsagent.agent.config.AgentConfig;
import io.tdsagent.agent.config.DebugLog;
import java.lang.instrument.Instrumentation;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point for {@code -javaagent:tds-agent.jar}, and for {@code java -jar tds-agent.jar
 * attach|detach|status <pid>} (which loads this jar into the running JVM with the command as the
 * agent's argument).
 *
 * <p>Start-up installs only {@link DriverWatch}, which uses nothing but the JDK: Byte Buddy, the
 * decoder and the OpenTelemetry SDK are loaded when a driver class the agent hooks is first
 * defined, so an application that never opens a SQL Server connection pays next to nothing.
 */
public final class TdsAgent {
  private TdsAgent() {}

  public static void premain(String args, Instrumentation inst) {
    install(inst);
  }

  /**
   * Started by the OpenTelemetry Java agent's extension entry ({@code
   * io.tdsagent.otelext.TdsAgentExtension}) once that agent is installed, with its Instrumentation:
   * as with {@code -javaagent}; spans then go through its SDK.
   */
  public static void extension(Instrumentation inst) {
    install(inst);
  }

  private static void install(Instrumentation inst) {
    try {
      if (!AgentConfig.agentEnabled()) {
        // Said only with tds.debug on, like the OpenTelemetry agent switched off: a line at INFO
        // costs a JVM that asked for nothing ~65 ms of CPU (the console formatter's first date).
        if (DebugLog.isOn()) {
          log()
              .fine(
                  "tds-agent: disabled by "
                      + AgentConfig.ENABLED
                      + "=false; no instrumentation installed");
        }
        return;
      }
      DriverWatch.install(inst);
    } catch (Throwable t) {
      // The application starts regardless.
      log().log(Level.WARNING, "tds-agent: could not install; the application runs untraced", t);
    }
  }

  /**
   * Loaded into a running JVM: {@code args} is a command (attach, detach, status) from the attach
   * tool.
   */
  public static void agentmain(String args, Instrumentation inst) {
    try {
      AgentCommands.run(args, inst);
    } catch (Throwable t) {
      log().log(Level.WARNING, "tds-agent: the command failed; the application runs on", t);
    }
  }

  /** Looked up only when there is something to say: java.util.logging is not free to load. */
  private static Logger log() {
    return Logger.getLogger("io.tdsagent");
  }

  /** {@code java -jar tds-agent.jar ...}: the attach tool. */
  public static void main(String[] args) throws Exception {
    System.exit(io.tdsagent.agent.attach.AttachTool.run(args, System.out, System.err));
  }
}
