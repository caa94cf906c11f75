package io.tdsagent.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.tdsagent.agent.instrumentation.jtds.JtdsInstrumentation;
import io.tdsagent.agent.instrumentation.mssqljdbc.MssqlJdbcInstrumentation;
import java.lang.instrument.Instrumentation;
import java.util.logging.Logger;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.utility.JavaModule;

/** Installs the driver taps: mssql-jdbc's TDSChannel and jTDS's SharedSocket. */
public final class Instrumentations {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");

  private Instrumentations() {}

  public static void install(Instrumentation inst) {
    new AgentBuilder.Default()
        .with(new AgentBuilder.Listener.Adapter() {
          @Override
          public void onTransformation(net.bytebuddy.description.type.TypeDescription type, ClassLoader loader,
              JavaModule module, boolean loaded, net.bytebuddy.dynamic.DynamicType dynamicType) {
            LOG.fine("tds-agent: hooks installed in " + type.getName() + " (loaded by " + loader + ")");
          }

          @Override
          public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
            LOG.warning("tds-agent: could not instrument " + typeName + " (" + t + "); this driver is not traced");
          }
        })
        .type(named(MssqlJdbcInstrumentation.TDS_CHANNEL))
        .transform(MssqlJdbcInstrumentation::transform)
        .type(named(MssqlJdbcInstrumentation.CONNECTION))
        .transform(MssqlJdbcInstrumentation::transformConnection)
        .type(named(JtdsInstrumentation.SHARED_SOCKET))
        .transform(JtdsInstrumentation::transform)
        .installOn(inst);
    warnIfAlreadyLoaded(inst);
  }

  /** Attached after a driver was loaded: a field cannot be added any more; say so and stay out. */
  private static void warnIfAlreadyLoaded(Instrumentation inst) {
    for (Class<?> c : inst.getAllLoadedClasses()) {
      String n = c.getName();
      if (n.equals(MssqlJdbcInstrumentation.TDS_CHANNEL) || n.equals(JtdsInstrumentation.SHARED_SOCKET)) {
        LOG.warning("tds-agent: " + n + " was loaded before the agent; its connections are not traced."
            + " Start the JVM with -javaagent to trace them");
      }
    }
  }
}
