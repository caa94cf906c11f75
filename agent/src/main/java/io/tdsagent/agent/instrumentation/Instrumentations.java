package io.tdsagent.agent.instrumentation;

import io.tdsagent.agent.instrumentation.bridge.BootstrapBridge;
import io.tdsagent.agent.instrumentation.jtds.JtdsInstrumentation;
import io.tdsagent.agent.instrumentation.mssqljdbc.MssqlJdbcInstrumentation;
import io.tdsagent.agent.instrumentation.r2dbc.R2dbcInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.logging.Logger;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/** Installs the driver taps: mssql-jdbc's TDSChannel, jTDS's SharedSocket and r2dbc-mssql's codec layer. */
public final class Instrumentations {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  private static final String R2DBC = "io.r2dbc.";

  /** What each hooked class gets (by binary name). */
  interface Hooks {
    DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
        JavaModule module, ProtectionDomain domain);
  }

  private Instrumentations() {}

  /**
   * The transformer for the hooked driver classes, not registered with the JVM: the agent's {@code DriverWatch}
   * hands it those classes (it knows their names already, so no matcher runs here).
   *
   * <p>Byte Buddy's {@code ByteBuddy.decorate} with inline advice, without its {@code AgentBuilder}: the class is
   * described from the bytes the JVM hands over (a lazy type pool), so the same path serves a class being defined
   * and one retransformed after an attach. Decorating adds no member, which a retransformation requires.
   */
  public static ClassFileTransformer transformer() {
    // Inline advice needs no class injection, so our (relocated) Byte Buddy need not touch
    // sun.misc.Unsafe, which newer JDKs warn about on the application's stderr.
    if (System.getProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY) == null) {
      System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
    }
    ByteBuddy byteBuddy = new ByteBuddy().with(TypeValidation.DISABLED);
    Map<String, Hooks> hooks = new java.util.HashMap<>(Map.of(
        MssqlJdbcInstrumentation.TDS_CHANNEL, MssqlJdbcInstrumentation::transform,
        JtdsInstrumentation.SHARED_SOCKET, JtdsInstrumentation::transform,
        MssqlJdbcInstrumentation.CONNECTION, MssqlJdbcInstrumentation::transformConnection,
        MssqlJdbcInstrumentation.SOCKET_CONNECTOR, MssqlJdbcInstrumentation::transformRace,
        MssqlJdbcInstrumentation.SOCKET_FINDER, MssqlJdbcInstrumentation::transformRace,
        R2dbcInstrumentation.TDS_ENCODER, R2dbcInstrumentation::transform,
        R2dbcInstrumentation.TDS_SSL_HANDLER, R2dbcInstrumentation::transform,
        R2dbcInstrumentation.SSL_EVENT_HANDLER, R2dbcInstrumentation::transform,
        R2dbcInstrumentation.STREAM_DECODER, R2dbcInstrumentation::transform,
        R2dbcInstrumentation.CLIENT, R2dbcInstrumentation::transform));
    hooks.put(MssqlJdbcInstrumentation.RESULT_SET, MssqlJdbcInstrumentation::transformCalls);
    hooks.put(MssqlJdbcInstrumentation.STATEMENT, MssqlJdbcInstrumentation::transformCalls);
    for (String c : JtdsInstrumentation.CALL_CLASSES) {
      hooks.put(c, JtdsInstrumentation::transformCalls);
    }
    return new ClassFileTransformer() {
      @Override
      public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
          ProtectionDomain domain, byte[] bytes) {
        String name = internalName == null ? null : internalName.replace('/', '.');
        Hooks h = name == null ? null : hooks.get(name);
        if (h == null) {
          return null;
        }
        // The JDBC drivers' advice calls the bridge; r2dbc's names the driver's own types and the agent's directly.
        if (!name.startsWith(R2DBC) && !BootstrapBridge.reachableFrom(loader)) {
          return null; // said once; the class stays as it is
        }
        try {
          ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
              ClassFileLocator.ForClassLoader.of(loader));
          TypePool pool = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(), locator,
              TypePool.Default.ReaderMode.FAST);
          TypeDescription type = pool.describe(name).resolve();
          DynamicType.Builder<?> plain = byteBuddy.decorate(type, locator);
          DynamicType.Builder<?> b = h.apply(plain, type, loader, JavaModule.of(module), domain);
          if (b == plain) {
            return null; // hooks that do not fit: the class stays as it is
          }
          byte[] made = b.make(pool).getBytes();
          LOG.fine("tds-agent: hooks installed in " + name + " (loaded by " + loader + ")");
          return made;
        } catch (Throwable t) {
          LOG.warning("tds-agent: could not instrument " + name + " (" + t + "); this driver is not traced");
          return null;
        }
      }
    };
  }
}
