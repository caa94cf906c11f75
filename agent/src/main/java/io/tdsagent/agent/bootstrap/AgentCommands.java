package io.tdsagent.agent.bootstrap;

import io.tdsagent.agent.config.AgentConfig;
import io.tdsagent.agent.config.CaptureSwitch;
import io.tdsagent.agent.export.SpanPipeline;
import io.tdsagent.agent.pcap.PcapExport;
import io.tdsagent.agent.tap.Taps;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The commands the attach tool sends into a running JVM, as the agent's argument ({@code key=value}
 * pairs joined by {@code &}, URL-encoded): {@code cmd=attach|detach|status}, {@code
 * capture=on|off}, {@code pcap=FILE}, {@code for=MILLIS} (detach after), {@code set.KEY=VALUE} (a
 * system property, e.g. an {@code otel.*} setting, set before the agent starts), {@code out=FILE}
 * (where the status is written for the tool to print). No argument at all (a plain {@code
 * VirtualMachine.loadAgent}) means attach.
 */
public final class AgentCommands {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  private static Thread timer; // guarded by AgentCommands.class
  private static String since = "-"; // guarded by AgentCommands.class

  private AgentCommands() {}

  public static synchronized void run(String args, Instrumentation inst) throws IOException {
    Map<String, String> a = parse(args);
    String cmd = a.getOrDefault("cmd", "attach");
    String message;
    switch (cmd) {
      case "attach":
        message = attach(a, inst);
        break;
      case "detach":
        message = detach("detach command");
        break;
      case "status":
        message = "";
        break;
      default:
        message = "unknown command " + cmd;
    }
    String out = a.get("out");
    if (out != null) {
      Files.write(Paths.get(out), (message + status()).getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String attach(Map<String, String> a, Instrumentation inst) {
    for (Map.Entry<String, String> e : a.entrySet()) {
      if (e.getKey().startsWith("set.")) {
        System.setProperty(e.getKey().substring(4), e.getValue());
      }
    }
    if (a.containsKey("capture")) { // the outside switch: the same property an application sets
      System.setProperty(AgentConfig.CAPTURE, a.get("capture"));
    }
    StringBuilder said = new StringBuilder();
    DriverWatch w = DriverWatch.installed();
    if (w == null) {
      if (a.containsKey("pcap")) {
        System.setProperty(AgentConfig.PCAP, a.get("pcap"));
      }
      w = DriverWatch.install(inst);
      if (!inst.isRetransformClassesSupported()) {
        said.append("this JVM cannot retransform classes: drivers loaded already are not traced\n");
      }
      Taps.enable();
      int n = w.activateNow();
      since = "attach";
      said.append("attached; ")
          .append(n)
          .append(" driver class(es) already loaded were instrumented\n");
      LOG.info("tds-agent: attached; " + n + " driver class(es) already loaded were instrumented");
    } else {
      if (!w.isActive()) {
        w.activateNow();
      }
      if (a.containsKey("pcap")) {
        said.append("already attached: --pcap applies only when attaching\n");
      }
      said.append("already attached");
      said.append(a.containsKey("capture") ? "; capture set to " + a.get("capture") + "\n" : "\n");
    }
    if (a.containsKey("for")) {
      long millis = Long.parseLong(a.get("for"));
      scheduleDetach(millis);
      said.append("detaching in ").append(millis / 1000).append(" s\n");
    }
    return said.toString();
  }

  /**
   * Restores the driver classes, ends every traced connection's capture and stops every agent
   * thread.
   */
  static synchronized String detach(String why) {
    DriverWatch w = DriverWatch.installed();
    if (w == null) {
      return "not attached\n";
    }
    cancelTimer();
    boolean active = w.isActive();
    if (active) {
      Taps.disable();
    }
    int restored = w.uninstall();
    if (active) {
      SpanPipeline.stop();
      PcapExport.stop();
    }
    since = "-";
    LOG.info("tds-agent: detached (" + why + "); " + restored + " driver class(es) restored");
    return "detached; " + restored + " driver class(es) restored\n";
  }

  private static void scheduleDetach(long millis) {
    cancelTimer();
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(millis);
              } catch (InterruptedException e) {
                return;
              }
              try {
                detach("--for elapsed");
              } catch (Throwable e) {
                LOG.log(Level.WARNING, "tds-agent: detach failed", e);
              }
            },
            "tds-agent-detach-timer");
    t.setDaemon(true);
    timer = t;
    t.start();
  }

  private static void cancelTimer() {
    Thread t = timer;
    timer = null;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
  }

  /** What {@code status} prints: one {@code key: value} line each. */
  static String status() {
    DriverWatch w = DriverWatch.installed();
    StringBuilder s = new StringBuilder();
    s.append("attached: ").append(w == null ? "no" : "yes").append('\n');
    if (w != null) {
      s.append("started by: ").append(since.equals("-") ? "-javaagent" : since).append('\n');
      s.append("capture: ").append(CaptureSwitch.isOn() ? "on" : "off").append('\n');
      s.append("driver hooked: ")
          .append(w.isActive() ? "yes" : "no (no driver class loaded yet)")
          .append('\n');
      if (w.isActive()) {
        s.append("connections traced: ").append(Taps.traced()).append('\n');
        s.append("spans exported: ").append(SpanPipeline.get().exportedCount()).append('\n');
        s.append("traces dropped: ").append(SpanPipeline.get().droppedCount()).append('\n');
      }
      s.append("detach timer: ").append(timer == null ? "none" : "running").append('\n');
    } else if (Taps.everDisabled()) {
      s.append("advice calls since detach: ").append(Taps.callsWhileDisabled()).append('\n');
    }
    return s.toString();
  }

  static Map<String, String> parse(String args) {
    Map<String, String> m = new LinkedHashMap<>();
    if (args == null || args.isEmpty()) {
      return m;
    }
    for (String pair : args.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        m.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return m;
  }
}
