package io.tdsagent.agent;

import io.tdsagent.agent.config.AgentConfig;
import io.tdsagent.agent.config.CaptureSwitch;
import io.tdsagent.agent.instrumentation.Instrumentations;
import io.tdsagent.agent.pcap.PcapExport;
import java.lang.instrument.Instrumentation;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Entry point for {@code -javaagent:tds-agent.jar} (and for attaching to a running JVM). */
public final class TdsAgent {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  private static boolean installed;

  private TdsAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(inst);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(inst);
  }

  private static synchronized void start(Instrumentation inst) {
    if (installed) {
      return;
    }
    installed = true;
    if (!AgentConfig.agentEnabled()) {
      LOG.info("tds-agent: disabled by " + AgentConfig.ENABLED + "=false; no instrumentation installed");
      return;
    }
    try {
      CaptureSwitch.start();
      PcapExport.configure(AgentConfig.pcapFile());
      Instrumentations.install(inst);
      LOG.fine("tds-agent: installed; capture " + (CaptureSwitch.isOn() ? "on" : "off"));
    } catch (Throwable t) {
      // The application starts regardless.
      LOG.log(Level.WARNING, "tds-agent: could not install; the application runs untraced", t);
    }
  }
}
