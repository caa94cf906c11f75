package io.tdsagent.agent.bootstrap;

import io.tdsagent.agent.config.AgentConfig;
import io.tdsagent.agent.config.CaptureSwitch;
import io.tdsagent.agent.export.SpanPipeline;
import io.tdsagent.agent.instrumentation.Instrumentations;
import io.tdsagent.agent.instrumentation.bridge.BootstrapBridge;
import io.tdsagent.agent.pcap.PcapExport;
import io.tdsagent.agent.tap.ChannelTap;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the agent sets up once a driver shows up. Only building the transformer happens on the
 * thread that defines the driver class; the OpenTelemetry SDK (autoconfigure, exporter) and the
 * tap's classes are made ready on a short-lived thread, so a login that starts right after does not
 * wait for them (spans are queued, bounded, until the SDK is ready).
 */
final class Activation {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");

  private Activation() {}

  static ClassFileTransformer activate(Instrumentation inst) {
    BootstrapBridge.install(inst);
    PcapExport.configure(AgentConfig.pcapFile());
    ClassFileTransformer t = Instrumentations.transformer();
    boolean capturing = CaptureSwitch.isOn();
    if (capturing) { // capture off: nothing starts until a connection is captured
      Thread warmUp = new Thread(Activation::warmUp, "tds-agent-warm-up");
      warmUp.setDaemon(true);
      warmUp.start();
    }
    LOG.fine("tds-agent: a driver is loading; capture " + (capturing ? "on" : "off"));
    return t;
  }

  private static void warmUp() {
    try {
      SpanPipeline.get().warmUp();
      ChannelTap.warmUp();
    } catch (Throwable e) {
      LOG.log(Level.FINE, "tds-agent: warm-up", e);
    }
  }
}
