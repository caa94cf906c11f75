package io.tdsagent.agent.tap;

import io.tdsagent.agent.trace.SpanPlan;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Reads the application's current span, if it uses OpenTelemetry (by hand, or through the
 * OpenTelemetry Java agent), so a login becomes a child of the work that caused it. The agent's
 * own OpenTelemetry is relocated, so the application's API is reached by reflection through the
 * application's class loader. Called at connection set-up only, never per byte.
 */
final class AppSpanContext {
  // Built at run time: the build relocates class-name literals, and this must name the
  // application's own, unrelocated API.
  private static final String API = String.join(".", "io", "opentelemetry", "api", "trace");

  /** Per class loader: the handles, or null when that loader has no OpenTelemetry API. */
  private static final Map<ClassLoader, Handles> CACHE = new WeakHashMap<>();

  private AppSpanContext() {}

  static SpanPlan.RemoteParent current(ClassLoader... loaders) {
    for (ClassLoader cl : loaders) {
      if (cl == null) {
        continue;
      }
      Handles h = handles(cl);
      if (h != null) {
        SpanPlan.RemoteParent p = h.current();
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  private static Handles handles(ClassLoader cl) {
    synchronized (CACHE) {
      if (CACHE.containsKey(cl)) {
        return CACHE.get(cl);
      }
      Handles h = Handles.load(cl);
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

    static Handles load(ClassLoader cl) {
      try {
        Class<?> span = Class.forName(API + ".Span", false, cl);
        Class<?> spanContext = Class.forName(API + ".SpanContext", false, cl);
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
        return new SpanPlan.RemoteParent((String) getTraceId.invoke(sc), (String) getSpanId.invoke(sc),
            (Boolean) isSampled.invoke(sc));
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return null;
      }
    }
  }
}
