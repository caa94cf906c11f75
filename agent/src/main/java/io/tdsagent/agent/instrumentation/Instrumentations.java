package io.tdsagent.agent.instrumentation;

import io.tdsagent.agent.instrumentation.bridge.BootstrapBridge;
import io.tdsagent.agent.instrumentation.jtds.JtdsInstrumentation;
import io.tdsagent.agent.instrumentation.mssqljdbc.MssqlJdbcInstrumentation;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.logging.Logger;

/**
 * Installs the driver taps: mssql-jdbc's TDSChannel, jTDS's SharedSocket and r2dbc-mssql's codec
 * layer.
 *
 * <p>The JDBC drivers' classes are woven with plain ASM ({@code weave.HookWeaver}): it copies every
 * method it does not hook as it is and loads no class, so a driver's first connection does not pay
 * for describing and rewriting its large classes. The byte hooks reach the agent through {@code
 * io.tdsagent.bridge.TdsBridge}, which every class loader sees. r2dbc-mssql's hooks use Byte
 * Buddy's inline advice ({@link ByteBuddyHooks}), whose machinery is loaded only when an
 * r2dbc-mssql class is.
 */
public final class Instrumentations {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  private static final String MSSQL_JDBC = "com.microsoft.sqlserver.jdbc.";

  private Instrumentations() {}

  /**
   * The transformer for the hooked driver classes, not registered with the JVM: the agent's {@code
   * DriverWatch} hands it those classes (it knows their names already, so no matcher runs here). It
   * serves a class being defined and one retransformed after an attach alike: the hooks add no
   * member, which a retransformation requires.
   */
  public static ClassFileTransformer transformer() {
    return new ClassFileTransformer() {
      @Override
      public byte[] transform(
          Module module,
          ClassLoader loader,
          String internalName,
          Class<?> redefined,
          ProtectionDomain domain,
          byte[] bytes) {
        if (internalName == null) {
          return null;
        }
        String name = internalName.replace('/', '.');
        try {
          byte[] made;
          if (name.equals(MssqlJdbcInstrumentation.TDS_CHANNEL)) {
            made =
                BootstrapBridge.reachableFrom(loader)
                    ? MssqlJdbcInstrumentation.weaveChannel(bytes, domain)
                    : null;
          } else if (name.equals(MssqlJdbcInstrumentation.CONNECTION)) {
            boolean sees = seesAgent(loader);
            made =
                BootstrapBridge.reachableFrom(loader)
                    ? MssqlJdbcInstrumentation.weaveConnection(bytes, domain, sees)
                    : null;
          } else if (name.equals(JtdsInstrumentation.SHARED_SOCKET)) {
            made =
                BootstrapBridge.reachableFrom(loader)
                    ? JtdsInstrumentation.weave(bytes, domain)
                    : null;
          } else if (JtdsInstrumentation.CALL_CLASSES.contains(name)) {
            made = seesAgent(loader) ? JtdsInstrumentation.weaveCalls(name, bytes, domain) : null;
          } else if (name.startsWith(MSSQL_JDBC)) {
            made =
                seesAgent(loader)
                    ? MssqlJdbcInstrumentation.weaveOptional(name, bytes, domain)
                    : null;
          } else {
            made = ByteBuddyHooks.transform(module, loader, name, domain, bytes);
          }
          if (made != null) {
            LOG.fine("tds-agent: hooks installed in " + name + " (loaded by " + loader + ")");
          }
          return made;
        } catch (Throwable t) {
          LOG.warning(
              "tds-agent: could not instrument "
                  + name
                  + " ("
                  + t
                  + "); this driver is not traced");
          return null;
        }
      }
    };
  }

  /**
   * The calls beyond the byte hooks (connect attempts, the application's outcome, raced connects)
   * name the agent's classes directly: they are woven only where the driver's loader finds the
   * agent's own (on the system class path, also as an OpenTelemetry agent extension). Elsewhere (an
   * application server's isolated loader) the byte hooks still trace the connection through the
   * bridge; those extras are left off.
   */
  private static boolean seesAgent(ClassLoader loader) {
    ClassLoader ours = Instrumentations.class.getClassLoader();
    for (ClassLoader l = loader; l != null; l = l.getParent()) {
      if (l == ours) {
        return true;
      }
    }
    return false;
  }
}
