package io.tdsagent.agent.bootstrap;

import io.tdsagent.agent.time.ActivationTime;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The only transformer the agent registers: until a driver class the agent hooks is defined it
 * compares class names and nothing else, using only JDK classes. The first such class activates the
 * agent ({@link Activation}, on that thread, since the class must be transformed as it is defined)
 * and is handed to the Byte Buddy transformer built then, as are the hooked classes after it.
 *
 * <p>Added as able to retransform: an attach retransforms the hooked classes already loaded, and a
 * detach retransforms them again with this transformer returning nothing, which gives them their
 * original bytes back.
 *
 * <p>Byte Buddy's transformer is never registered with the JVM itself: a class being defined on
 * another thread at the moment of activation then cannot be transformed twice, or not at all.
 */
public final class DriverWatch implements ClassFileTransformer {
  /** Internal names of the classes the instrumentations transform. */
  static final Set<String> HOOKED =
      Set.of(
          "com/microsoft/sqlserver/jdbc/SQLServerConnection",
          "com/microsoft/sqlserver/jdbc/TDSChannel",
          "com/microsoft/sqlserver/jdbc/SocketConnector",
          "com/microsoft/sqlserver/jdbc/SocketFinder",
          "net/sourceforge/jtds/jdbc/SharedSocket",
          "io/r2dbc/mssql/client/TdsEncoder",
          "io/r2dbc/mssql/client/ssl/TdsSslHandler",
          "io/r2dbc/mssql/client/ssl/SslEventHandler",
          "io/r2dbc/mssql/client/StreamDecoder",
          "io/r2dbc/mssql/client/ReactorNettyClient",
          // the driver API calls whose outcome the application sees (DriverCallAdvice)
          "com/microsoft/sqlserver/jdbc/SQLServerResultSet",
          "com/microsoft/sqlserver/jdbc/SQLServerStatement",
          "net/sourceforge/jtds/jdbc/Driver",
          "net/sourceforge/jtds/jdbc/JtdsStatement",
          "net/sourceforge/jtds/jdbc/JtdsPreparedStatement",
          "net/sourceforge/jtds/jdbc/JtdsResultSet",
          "net/sourceforge/jtds/jdbc/CachedResultSet",
          "net/sourceforge/jtds/jdbc/MSCursorResultSet");

  /**
   * Defined just before a login starts and not transformed: activating here keeps the agent's
   * one-time set-up out of jTDS's login timer, which is running when {@code SharedSocket} loads.
   */
  static final Set<String> EARLY = Set.of("net/sourceforge/jtds/jdbc/JtdsConnection");

  private static DriverWatch installed; // guarded by DriverWatch.class

  private final Instrumentation inst;
  private volatile ClassFileTransformer active;

  /**
   * Set at detach: from then on every class, and every retransformation, gets its original bytes.
   */
  private volatile boolean detached;

  private boolean failed; // guarded by this
  private Thread activating; // guarded by this

  DriverWatch(Instrumentation inst) {
    this.inst = inst;
  }

  /**
   * Registers the watch (once; again after a detach). Able to retransform where the JVM allows it,
   * so that a detach can give the hooked classes their original bytes back.
   */
  public static synchronized DriverWatch install(Instrumentation inst) {
    if (installed == null) {
      DriverWatch w = new DriverWatch(inst);
      inst.addTransformer(w, inst.isRetransformClassesSupported());
      installed = w;
    }
    return installed;
  }

  /** The watch registered now, or null (never started, or detached). */
  public static synchronized DriverWatch installed() {
    return installed;
  }

  /** True once a driver class (or an attach) started the agent's machinery. */
  public boolean isActive() {
    return active != null;
  }

  @Override
  public byte[] transform(
      Module module,
      ClassLoader loader,
      String name,
      Class<?> redefined,
      ProtectionDomain domain,
      byte[] bytes) {
    if (name == null || detached) {
      return null;
    }
    boolean hooked = HOOKED.contains(name);
    if (!hooked && !EARLY.contains(name)) {
      return null;
    }
    try {
      ClassFileTransformer t = active(name);
      return t == null || !hooked
          ? null
          : t.transform(module, loader, name, redefined, domain, bytes);
    } catch (Throwable e) {
      return null; // the JVM would ignore it too; the class loads untouched
    }
  }

  /**
   * Attached to a running JVM: builds the transformer now and retransforms the hooked classes
   * already loaded (this transformer must have been added as able to retransform). Returns how many
   * classes were retransformed.
   */
  public int activateNow() {
    List<Class<?>> loaded = loaded(inst);
    if (active(null) == null || loaded.isEmpty()) {
      return 0;
    }
    retransform(inst, loaded);
    return loaded.size();
  }

  /**
   * Detaching: the hooked classes get their original bytes back (this transformer now returns none)
   * and the watch is removed from the JVM. Returns how many classes were restored.
   */
  public int uninstall() {
    synchronized (DriverWatch.class) {
      if (installed == this) {
        installed = null;
      }
    }
    detached = true;
    List<Class<?>> loaded = isActive() ? loaded(inst) : List.of();
    if (!loaded.isEmpty()) {
      retransform(inst, loaded);
    }
    inst.removeTransformer(this);
    return loaded.size();
  }

  /** The hooked driver classes already loaded, by any class loader. */
  static List<Class<?>> loaded(Instrumentation inst) {
    List<Class<?>> found = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (HOOKED.contains(c.getName().replace('.', '/')) && inst.isModifiableClass(c)) {
        found.add(c);
      }
    }
    return found;
  }

  private static void retransform(Instrumentation inst, List<Class<?>> classes) {
    try {
      inst.retransformClasses(classes.toArray(new Class<?>[0]));
    } catch (Throwable e) {
      Logger.getLogger("io.tdsagent")
          .log(
              Level.WARNING,
              "tds-agent: could not retransform " + classes + "; their connections are not traced",
              e);
    }
  }

  /** {@code trigger}: the driver class being defined that starts the agent (null: an attach). */
  private ClassFileTransformer active(String trigger) {
    ClassFileTransformer t = active;
    if (t != null) {
      return t;
    }
    synchronized (this) {
      if (active == null && !failed && activating != Thread.currentThread()) {
        activating = Thread.currentThread();
        try {
          long began = System.nanoTime();
          active = Activation.activate(inst);
          if (trigger != null) {
            ActivationTime.record(trigger, began, System.nanoTime());
          }
        } catch (Throwable e) {
          failed = true;
          Logger.getLogger("io.tdsagent")
              .log(Level.WARNING, "tds-agent: could not start; the application runs untraced", e);
        } finally {
          activating = null;
        }
      }
      return active;
    }
  }
}
