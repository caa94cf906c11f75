package io.tdsagent.agent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

import io.tdsagent.agent.instrumentation.jtds.JtdsInstrumentation;
import io.tdsagent.agent.instrumentation.mssqljdbc.MssqlJdbcInstrumentation;
import io.tdsagent.agent.instrumentation.r2dbc.R2dbcInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.logging.Logger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.utility.JavaModule;

/** Installs the driver taps: mssql-jdbc's TDSChannel, jTDS's SharedSocket and r2dbc-mssql's codec layer. */
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
    ClassFileTransformer channels = builder()
        .type(named(MssqlJdbcInstrumentation.TDS_CHANNEL))
        .transform(MssqlJdbcInstrumentation::transform)
        .type(named(JtdsInstrumentation.SHARED_SOCKET))
        .transform(JtdsInstrumentation::transform)
        .type(namedOneOf(R2dbcInstrumentation.TDS_ENCODER, R2dbcInstrumentation.TDS_SSL_HANDLER,
            R2dbcInstrumentation.SSL_EVENT_HANDLER, R2dbcInstrumentation.STREAM_DECODER, R2dbcInstrumentation.CLIENT))
        .transform(R2dbcInstrumentation::transform)
        .makeRaw();
    // SQLServerConnection is large and only gets advice: decorating it skips Byte Buddy's method graph
    // of the class and its interfaces, which cost about as much as everything else on first use.
    ClassFileTransformer connection = builder()
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .type(named(MssqlJdbcInstrumentation.CONNECTION))
        .transform(MssqlJdbcInstrumentation::transformConnection)
        .makeRaw();
    String connectionName = MssqlJdbcInstrumentation.CONNECTION.replace('.', '/');
    return new ClassFileTransformer() {
      @Override
      public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
          ProtectionDomain domain, byte[] bytes) throws IllegalClassFormatException {
        return (connectionName.equals(name) ? connection : channels)
            .transform(module, loader, name, redefined, domain, bytes);
      }
    };
  }

  private static AgentBuilder builder() {
    // Advice is inlined: no auxiliary classes, so nothing to initialise in the transformed class.
    return new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
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
        });
  }

  /** Attached after a driver was loaded: a field cannot be added any more; say so and stay out. */
  public static void warnIfAlreadyLoaded(Instrumentation inst) {
    for (Class<?> c : inst.getAllLoadedClasses()) {
      String n = c.getName();
      if (n.equals(MssqlJdbcInstrumentation.TDS_CHANNEL) || n.equals(JtdsInstrumentation.SHARED_SOCKET)
          || n.equals(R2dbcInstrumentation.TDS_ENCODER)) {
        LOG.warning("tds-agent: " + n + " was loaded before the agent; its connections are not traced."
            + " Start the JVM with -javaagent to trace them");
      }
    }
  }
}
