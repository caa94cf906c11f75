package io.tdsagent.agent.tap;

import io.tdsagent.trace.SpanPlan;
import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Reads the application's current span, if it uses OpenTelemetry (by hand, or through the
 * OpenTelemetry Java agent), so a login becomes a child of the work that caused it. The agent's own
 * OpenTelemetry is relocated, so the application's API is reached by reflection through the
 * application's class loader. Called once per login and per request, never per byte.
 */
final class AppSpanContext {
  // Built at run time: the build relocates class-name literals, and this must name the
  // application's own, unrelocated API.
  private static final String API = String.join(".", "io", "opentelemetry", "api", "trace");

  /**
   * The OpenTelemetry Java agent's own API, shaded in the bootstrap class loader: its current span
   * (a JDBC span).
   */
  private static final String HOST_API =
      String.join(
          ".", "io", "opentelemetry", "javaagent", "shaded", "io", "opentelemetry", "api", "trace");

  private static volatile Handles host;
  private static volatile boolean hostLooked;

  /** Per class loader: the handles, or null when that loader has no OpenTelemetry API. */
  private static final Map<ClassLoader, Handles> CACHE = new WeakHashMap<>();

  private AppSpanContext() {}

  /**
   * The reader for one channel: the driver's class loader is fixed, and the thread's context class
   * loader is almost always the same from one request to the next, so both lookups are remembered
   * here instead of taking the shared cache's lock per request (the loader held weakly: a pooled
   * connection must not pin an undeployed application).
   */
  static Supplier<SpanPlan.RemoteParent> reader(ClassLoader driverLoader) {
    return new Supplier<>() {
      private final Handles driver = driverLoader == null ? null : handles(driverLoader);
      private volatile Remembered last;

      @Override
      public SpanPlan.RemoteParent get() {
        ClassLoader ctx = Thread.currentThread().getContextClassLoader();
        Handles h = null;
        if (ctx != null && ctx != driverLoader) {
          Remembered r = last;
          if (r == null || r.loader.get() != ctx) {
            r = new Remembered(ctx, handles(ctx));
            last = r;
          }
          h = r.handles;
        }
        SpanPlan.RemoteParent p = h == null ? null : h.current();
        if (p == null && driver != null) {
          p = driver.current();
        }
        if (p == null) {
          Handles agent = host();
          p = agent == null ? null : agent.current();
        }
        return p;
      }
    };
  }

  private static final class Remembered {
    final WeakReference<ClassLoader> loader;
    final Handles handles;

    Remembered(ClassLoader loader, Handles handles) {
      this.loader = new WeakReference<>(loader);
      this.handles = handles;
    }
  }

  /** Without an API of its own the application may still run under the OpenTelemetry Java agent. */
  private static Handles host() {
    if (!hostLooked) {
      host = Handles.load(null, HOST_API);
      hostLooked = true;
    }
    return host;
  }

  private static Handles handles(ClassLoader cl) {
    synchronized (CACHE) {
      if (CACHE.containsKey(cl)) {
        return CACHE.get(cl);
      }
      Handles h = Handles.load(cl, API);
      CACHE.put(cl, h);
      return h;
    }
  }

  private static final class Handles {
    final Method spanCurrent;
    final Method getSpanContext;
    final Method isValid;
    final Method getTraceId;
    final Method getSpanId;
    final Method isSampled;

    private Handles(Class<?> span, Class<?> spanContext) throws ReflectiveOperationException {
      spanCurrent = span.getMethod("current");
      getSpanContext = span.getMethod("getSpanContext");
      isValid = spanContext.getMethod("isValid");
      getTraceId = spanContext.getMethod("getTraceId");
      getSpanId = spanContext.getMethod("getSpanId");
      isSampled = spanContext.getMethod("isSampled");
    }

    static Handles load(ClassLoader cl, String api) {
      try {
        Class<?> span = Class.forName(api + ".Span", false, cl);
        Class<?> spanContext = Class.forName(api + ".SpanContext", false, cl);
        return new Handles(span, spanContext);
      } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
        return null;
      }
    }

    SpanPlan.RemoteParent current() {
      try {
        Object span = spanCurrent.invoke(null);
        Object sc = getSpanContext.invoke(span);
        if (!(Boolean) isValid.invoke(sc)) {
          return null;
        }
        return new SpanPlan.RemoteParent(
            (String) getTraceId.invoke(sc),
            (String) getSpanId.invoke(sc),
            (Boolean) isSampled.invoke(sc));
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return null;
      }
    }
  }
}
