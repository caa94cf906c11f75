package io.tdsagent.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;

import io.tdsagent.agent.instrumentation.jtds.JtdsInstrumentation;
import io.tdsagent.agent.instrumentation.mssqljdbc.MssqlJdbcInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.util.logging.Logger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.utility.JavaModule;

/** Installs the driver taps: mssql-jdbc's TDSChannel and jTDS's SharedSocket. */
public final class Instrumentations {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");

  private Instrumentations() {}

  /**
   * The Byte Buddy transformer for the hooked driver classes, not registered with the JVM: the
   * agent's {@code DriverWatch} hands it those classes.
   */
  public static ClassFileTransformer transformer() {
    // Inline advice needs no class injection, so our (relocated) Byte Buddy need not touch
    // sun.misc.Unsafe, which newer JDKs warn about on the application's stderr.
    if (System.getProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY) == null) {
      System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
    }
    // Decorating (advice only, no new member) is what a retransformation after an attach allows; it also skips
    // Byte Buddy's method graph of the class and its interfaces, which costs about as much as everything else.
    return builder()
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .type(named(MssqlJdbcInstrumentation.TDS_CHANNEL))
        .transform(MssqlJdbcInstrumentation::transform)
        .type(named(JtdsInstrumentation.SHARED_SOCKET))
        .transform(JtdsInstrumentation::transform)
        .type(named(MssqlJdbcInstrumentation.CONNECTION))
        .transform(MssqlJdbcInstrumentation::transformConnection)
        .makeRaw();
  }

  private static AgentBuilder builder() {
    // Advice is inlined: no auxiliary classes, so nothing to initialise in the transformed class.
    return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(new AgentBuilder.Listener.Adapter() {
          @Override
          public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable t) {
            LOG.warning("tds-agent: could not instrument " + typeName + " (" + t + "); this driver is not traced");
          }
        });
  }
}
