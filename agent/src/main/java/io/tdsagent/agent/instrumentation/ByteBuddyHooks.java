package io.tdsagent.agent.instrumentation;

import io.tdsagent.agent.instrumentation.r2dbc.R2dbcInstrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * r2dbc-mssql's hooks: {@code ByteBuddy.decorate} with inline advice, without its {@code
 * AgentBuilder}. The class is described from the bytes the JVM hands over (a lazy type pool), so
 * the same path serves a class being defined and one retransformed after an attach. Loaded (with
 * Byte Buddy) the first time an r2dbc-mssql class is.
 */
final class ByteBuddyHooks {
  /** What each hooked class gets (by binary name). */
  interface Hooks {
    DynamicType.Builder<?> apply(
        DynamicType.Builder<?> builder,
        TypeDescription type,
        ClassLoader loader,
        JavaModule module,
        ProtectionDomain domain);
  }

  private static final ByteBuddy BYTE_BUDDY;
  private static final Map<String, Hooks> HOOKS;

  static {
    // Inline advice needs no class injection, so our (relocated) Byte Buddy need not touch
    // sun.misc.Unsafe, which newer JDKs warn about on the application's stderr.
    if (System.getProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY) == null) {
      System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
    }
    BYTE_BUDDY = new ByteBuddy().with(TypeValidation.DISABLED);
    HOOKS =
        Map.of(
            R2dbcInstrumentation.TDS_ENCODER, R2dbcInstrumentation::transform,
            R2dbcInstrumentation.TDS_SSL_HANDLER, R2dbcInstrumentation::transform,
            R2dbcInstrumentation.SSL_EVENT_HANDLER, R2dbcInstrumentation::transform,
            R2dbcInstrumentation.STREAM_DECODER, R2dbcInstrumentation::transform,
            R2dbcInstrumentation.CLIENT, R2dbcInstrumentation::transform);
  }

  private ByteBuddyHooks() {}

  /**
   * The decorated class, or null (not an r2dbc-mssql class, or hooks that do not fit: the class
   * stays as it is).
   */
  static byte[] transform(
      Module module, ClassLoader loader, String name, ProtectionDomain domain, byte[] bytes) {
    Hooks h = HOOKS.get(name);
    if (h == null) {
      return null;
    }
    ClassFileLocator locator =
        new ClassFileLocator.Compound(
            ClassFileLocator.Simple.of(name, bytes), ClassFileLocator.ForClassLoader.of(loader));
    TypePool pool =
        new TypePool.Default.WithLazyResolution(
            new TypePool.CacheProvider.Simple(), locator, TypePool.Default.ReaderMode.FAST);
    TypeDescription type = pool.describe(name).resolve();
    DynamicType.Builder<?> plain = BYTE_BUDDY.decorate(type, locator);
    DynamicType.Builder<?> b = h.apply(plain, type, loader, JavaModule.of(module), domain);
    return b == plain ? null : b.make(pool).getBytes();
  }
}
