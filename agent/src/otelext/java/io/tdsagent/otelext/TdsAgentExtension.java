package io.tdsagent.otelext;

import io.opentelemetry.javaagent.extension.AgentListener;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * tds-agent as an extension of the OpenTelemetry Java agent ({@code
 * -Dotel.javaagent.extensions=tds-agent.jar}).
 *
 * <p>Compiled apart and added to the jar after shading, so it names the OpenTelemetry agent's own
 * types (which the agent maps to its shaded ones as it loads an extension). It only hands over: the
 * driver hooks must be visible from the driver's class loader, so the jar joins the system class
 * path, and tds-agent starts from there as with {@code -javaagent}, exporting through the
 * OpenTelemetry agent's SDK.
 */
public final class TdsAgentExtension implements AgentListener {
  private static final String AGENT = "io.tdsagent.agent.TdsAgent";
  // Built at run time: names the OpenTelemetry agent's bootstrap class, which holds the JVM's
  // Instrumentation.
  private static final String HOLDER =
      String.join(".", "io", "opentelemetry", "javaagent", "bootstrap", "InstrumentationHolder");

  @Override
  public void afterAgent(AutoConfiguredOpenTelemetrySdk sdk) {
    Logger log = Logger.getLogger("io.tdsagent");
    try {
      Instrumentation inst =
          (Instrumentation)
              Class.forName(HOLDER, true, null).getMethod("getInstrumentation").invoke(null);
      File jar = ownJar();
      if (inst == null || jar == null) {
        log.warning(
            "tds-agent: as an OpenTelemetry agent extension it found no "
                + (inst == null ? "Instrumentation" : "tds-agent jar in otel.javaagent.extensions")
                + "; not started");
        return;
      }
      inst.appendToSystemClassLoaderSearch(new JarFile(jar));
      Class.forName(AGENT, true, ClassLoader.getSystemClassLoader())
          .getMethod("extension", Instrumentation.class)
          .invoke(null, inst);
    } catch (Throwable e) {
      log.log(
          Level.WARNING,
          "tds-agent: could not start as an OpenTelemetry agent extension; the application runs"
              + " without it",
          e);
    }
  }

  /**
   * The jar this class came from, found among the configured extensions (the OpenTelemetry agent
   * loads extensions through its own URL scheme, so the class's code source does not name the
   * file).
   */
  private static File ownJar() throws java.io.IOException {
    String configured =
        System.getProperty("otel.javaagent.extensions", System.getenv("OTEL_JAVAAGENT_EXTENSIONS"));
    if (configured == null) {
      return null;
    }
    for (String location : configured.split(",")) {
      File f = new File(location.trim());
      File[] candidates =
          f.isDirectory() ? f.listFiles((d, n) -> n.endsWith(".jar")) : new File[] {f};
      for (File c : candidates == null ? new File[0] : candidates) {
        if (c.isFile()) {
          try (JarFile j = new JarFile(c)) {
            if (j.getEntry("io/tdsagent/otelext/TdsAgentExtension.class") != null) {
              return c;
            }
          }
        }
      }
    }
    return null;
  }
}
