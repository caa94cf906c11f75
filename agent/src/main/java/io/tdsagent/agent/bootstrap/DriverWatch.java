package io.tdsagent.agent.bootstrap;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The only transformer the agent registers: until a driver class the agent hooks is defined it
 * compares class names and nothing else, using only JDK classes. The first such class activates
 * the agent ({@link Activation}, on that thread, since the class must be transformed as it is
 * defined) and is handed to the Byte Buddy transformer built then, as are the hooked classes after it.
 *
 * <p>Byte Buddy's transformer is never registered with the JVM itself: a class being defined on
 * another thread at the moment of activation then cannot be transformed twice, or not at all.
 */
public final class DriverWatch implements ClassFileTransformer {
  /** Internal names of the classes the instrumentations transform. */
  static final Set<String> HOOKED = Set.of(
      "com/microsoft/sqlserver/jdbc/SQLServerConnection",
      "com/microsoft/sqlserver/jdbc/TDSChannel",
      "net/sourceforge/jtds/jdbc/SharedSocket",
      "io/r2dbc/mssql/client/TdsEncoder",
      "io/r2dbc/mssql/client/ssl/TdsSslHandler",
      "io/r2dbc/mssql/client/ssl/SslEventHandler",
      "io/r2dbc/mssql/client/StreamDecoder",
      "io/r2dbc/mssql/client/ReactorNettyClient");
  /**
   * Defined just before a login starts and not transformed: activating here keeps the agent's
   * one-time set-up out of jTDS's login timer, which is running when {@code SharedSocket} loads.
   */
  static final Set<String> EARLY = Set.of("net/sourceforge/jtds/jdbc/JtdsConnection");

  private volatile ClassFileTransformer active;
  private boolean failed; // guarded by this
  private Thread activating; // guarded by this

  @Override
  public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    if (name == null) {
      return null;
    }
    boolean hooked = HOOKED.contains(name);
    if (!hooked && !EARLY.contains(name)) {
      return null;
    }
    try {
      ClassFileTransformer t = active();
      return t == null || !hooked ? null : t.transform(module, loader, name, redefined, domain, bytes);
    } catch (Throwable e) {
      return null; // the JVM would ignore it too; the class loads untouched
    }
  }

  /** Attached to a running JVM: a driver may be in use already, so activate at once. */
  public void activateNow(Instrumentation inst) {
    if (active() != null) {
      Activation.warnIfAlreadyLoaded(inst);
    }
  }

  private ClassFileTransformer active() {
    ClassFileTransformer t = active;
    if (t != null) {
      return t;
    }
    synchronized (this) {
      if (active == null && !failed && activating != Thread.currentThread()) {
        activating = Thread.currentThread();
        try {
          active = Activation.activate();
        } catch (Throwable e) {
          failed = true;
          Logger.getLogger("io.tdsagent").log(Level.WARNING, "tds-agent: could not start; the application runs untraced", e);
        } finally {
          activating = null;
        }
      }
      return active;
    }
  }
}
