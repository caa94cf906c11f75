package io.tdsagent.agent.export;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.tdsagent.agent.trace.Clock;
import io.tdsagent.agent.trace.SpanPlan;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands finished {@link SpanPlan}s from the driver's threads to one daemon thread that owns the
 * OpenTelemetry SDK. The driver's side is a lock-free, non-blocking {@code offer}: when the queue is
 * full the plan is dropped and counted, never waited for.
 *
 * <p>The driver's thread does not wake the export thread for every plan (a futex call and a context
 * switch each time, several microseconds, more than the whole of the decoding): while plans keep
 * coming the export thread drains the queue every millisecond or so by itself; only once it has been
 * idle for a while, or when the queue is filling up, does the next plan wake it.
 *
 * <p>The SDK is configured by autoconfigure ({@code otel.*} properties, {@code OTEL_*}
 * environment) the first time there is something to export, on the export thread: an
 * application that never opens a SQL Server connection pays for no exporter, and one that sets
 * {@code otel.*} properties early in {@code main} is still heard.
 */
public final class SpanPipeline {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");
  private static final int QUEUE_CAPACITY = 2048;
  /** Queued plans from which a submitter wakes the export thread whatever it is doing. */
  private static final int WAKE_THRESHOLD = QUEUE_CAPACITY / 8;
  /** The export thread's naps while the queue is empty: from the first, doubling up to the last. */
  private static final long MIN_NAP_NANOS = 1_000_000L;
  private static final long IDLE_NAP_NANOS = 16_000_000L;
  private static final long MAX_NAP_NANOS = 128_000_000L;
  private static final String SCOPE = "io.tdsagent";
  private static final SpanPlan SHUTDOWN = SpanPlan.builder("", 0).build();
  private static final SpanPlan WARM_UP = SpanPlan.builder("", 0).build();

  private static volatile SpanPipeline instance = new SpanPipeline();
  /** Attribute keys by name: the agent's vocabulary is fixed, so each key is made once. */
  private static final AttributeKeys KEYS = new AttributeKeys();

  /**
   * Span contexts of plans already exported, by their link keys, so later plans can link to them; export thread
   * only. Weak keys: a login's key is held by its open connection, and forgotten once the connection is gone.
   */
  private final Map<SpanPlan.LinkKey, SpanContext> exported = new java.util.WeakHashMap<>();
  private final Queue<SpanPlan> queue = new ConcurrentLinkedQueue<>();
  /** Plans in {@link #queue} (bounded by {@link #QUEUE_CAPACITY}); the queue's own size() is not constant-time. */
  private final AtomicInteger queued = new AtomicInteger();
  /** The export thread is napping long (idle): the next submitter wakes it. */
  private volatile boolean idle;
  private final AtomicLong dropped = new AtomicLong();
  private final Object lifecycle = new Object();
  private volatile Thread worker;
  private Thread shutdownHook;
  private final AtomicLong exportedSpans = new AtomicLong();
  private OpenTelemetrySdk sdk;
  private volatile Tracer tracer;
  private volatile boolean closed;
  private boolean sdkFailed;

  private SpanPipeline() {}

  public static SpanPipeline get() {
    return instance;
  }

  /**
   * The agent is detaching: what is queued is exported (bounded), the SDK closed and the export thread ended; an
   * attach after this starts a new pipeline.
   */
  public static void stop() {
    SpanPipeline p = instance;
    instance = new SpanPipeline();
    Thread hook;
    synchronized (p.lifecycle) {
      p.closed = true;
      hook = p.shutdownHook;
    }
    p.shutdown();
    try {
      if (hook != null) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    } catch (IllegalStateException exiting) {
      // the JVM is shutting down: the hook runs anyway
    }
  }

  /** Spans handed to the SDK so far. */
  public long exportedCount() {
    return exportedSpans.get();
  }

  /** Never blocks, never throws. */
  public void submit(SpanPlan plan) {
    if (closed) {
      return;
    }
    Thread w = ensureWorker();
    if (queued.incrementAndGet() > QUEUE_CAPACITY) {
      queued.decrementAndGet();
      long n = dropped.incrementAndGet();
      if (n == 1 || Long.bitCount(n) == 1) {
        LOG.warning("tds-agent: export queue full, " + n + " trace(s) dropped so far");
      }
      return;
    }
    queue.offer(plan);
    // Wake it when it sleeps long, or once as the backlog crosses the threshold (not on every submit after).
    if (idle || plan == WARM_UP || queued.get() == WAKE_THRESHOLD) {
      LockSupport.unpark(w);
    }
  }

  /**
   * A connection is starting: configure the SDK now, on the export thread, so the first login's
   * trace does not wait for it (and a process that exits right after still gets it out).
   */
  public void warmUp() {
    if (!closed && tracer == null) {
      submit(WARM_UP);
    }
  }

  public long droppedCount() {
    return dropped.get();
  }

  private Thread ensureWorker() {
    Thread w = worker;
    if (w != null) {
      return w;
    }
    synchronized (lifecycle) {
      if (worker != null || closed) {
        return worker;
      }
      Thread t = new Thread(this::run, "tds-agent-export");
      t.setDaemon(true);
      worker = t;
      t.start();
      shutdownHook = new Thread(this::shutdown, "tds-agent-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      return t;
    }
  }

  /** The next plan, napping while there is none; null when interrupted. */
  private SpanPlan take() {
    long nap = MIN_NAP_NANOS;
    while (true) {
      SpanPlan plan = queue.poll();
      if (plan != null) {
        queued.decrementAndGet();
        return plan;
      }
      if (nap >= IDLE_NAP_NANOS) {
        idle = true;
        if (!queue.isEmpty()) { // a submitter may have missed the flag
          idle = false;
          continue;
        }
      }
      LockSupport.parkNanos(this, nap);
      idle = false;
      if (Thread.interrupted()) {
        return null;
      }
      nap = Math.min(nap * 2, MAX_NAP_NANOS);
    }
  }

  private void run() {
    while (true) {
      SpanPlan plan = take();
      if (plan == null) {
        return;
      }
      if (plan == SHUTDOWN) {
        return;
      }
      if (plan == WARM_UP) {
        tracer();
        continue;
      }
      emitSafely(plan);
    }
  }

  private void emitSafely(SpanPlan plan) {
    try {
      Tracer t = tracer();
      if (t != null) {
        SpanContext sc = emit(t, plan.resolve(), null);
        if (plan.linkKey() != null) {
          exported.put(plan.linkKey(), sc);
        }
      }
    } catch (Throwable e) {
      LOG.log(Level.WARNING, "tds-agent: could not export a trace", e);
    }
  }

  private Tracer tracer() {
    synchronized (lifecycle) {
      if (tracer == null && !sdkFailed) {
        try {
          sdk = AutoConfiguredOpenTelemetrySdk.builder()
              .addPropertiesSupplier(SpanPipeline::defaults)
              .setServiceClassLoader(SpanPipeline.class.getClassLoader())
              .disableShutdownHook()
              .build()
              .getOpenTelemetrySdk();
          String version = SpanPipeline.class.getPackage().getImplementationVersion();
          tracer = sdk.getTracer(SCOPE, version == null ? "dev" : version);
        } catch (Throwable e) {
          // Said once; closing the pipeline stops every later attempt.
          LOG.log(Level.WARNING, "tds-agent: OpenTelemetry SDK configuration failed; no traces will be exported", e);
          sdkFailed = true;
          closed = true;
          queue.clear();
          queued.set(0);
        }
      }
      return tracer;
    }
  }

  /** Defaults below the user's settings: this agent exports traces only. */
  private static Map<String, String> defaults() {
    Map<String, String> m = new HashMap<>();
    m.put("otel.metrics.exporter", "none");
    m.put("otel.logs.exporter", "none");
    // The SDK's own default is grpc, which the JDK's HTTP client the agent ships cannot speak.
    m.put("otel.exporter.otlp.protocol", "http/protobuf");
    return m;
  }

  private SpanContext emit(Tracer t, SpanPlan plan, Context parentContext) {
    SpanBuilder b = t.spanBuilder(plan.name())
        .setSpanKind(plan.kind() == SpanPlan.Kind.CLIENT ? SpanKind.CLIENT : SpanKind.INTERNAL)
        .setStartTimestamp(Clock.toEpochNanos(plan.startNanos()), TimeUnit.NANOSECONDS);
    AttributeKeys.Target attributes = AttributeKeys.of(b);
    for (Map.Entry<String, Object> e : plan.attributes().entrySet()) {
      KEYS.put(attributes, e.getKey(), e.getValue());
    }
    if (parentContext != null) {
      b.setParent(parentContext);
    } else if (plan.parent() != null) {
      SpanPlan.RemoteParent p = plan.parent();
      SpanContext remote = SpanContext.createFromRemoteParent(p.traceId(), p.spanId(),
          p.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
      b.setParent(Context.root().with(Span.wrap(remote)));
    } else {
      b.setNoParent();
    }
    if (plan.link() != null) {
      SpanContext target = exported.get(plan.link());
      if (target != null) {
        b.addLink(target);
      }
    }
    Span span = b.startSpan();
    exportedSpans.incrementAndGet();
    for (SpanPlan.Event e : plan.events()) {
      Attributes a = e.attributes().isEmpty() ? Attributes.empty() : toAttributes(e.attributes());
      span.addEvent(e.name(), a, Clock.toEpochNanos(e.timeNanos()), TimeUnit.NANOSECONDS);
    }
    if (plan.status() == SpanPlan.Status.ERROR) {
      span.setStatus(StatusCode.ERROR, plan.statusDescription() == null ? "" : plan.statusDescription());
    } else if (plan.status() == SpanPlan.Status.OK) {
      span.setStatus(StatusCode.OK);
    }
    Context mine = Context.root().with(span);
    for (SpanPlan child : plan.children()) {
      emit(t, child, mine);
    }
    span.end(Clock.toEpochNanos(plan.endNanos()), TimeUnit.NANOSECONDS);
    return span.getSpanContext();
  }

  static Attributes toAttributes(Map<String, Object> map) {
    AttributesBuilder ab = Attributes.builder();
    AttributeKeys.Target target = AttributeKeys.of(ab);
    for (Map.Entry<String, Object> e : map.entrySet()) {
      KEYS.put(target, e.getKey(), e.getValue());
    }
    return ab.build();
  }

  /** Exports what is queued, then closes the SDK: short-lived processes still deliver their traces. */
  private void shutdown() {
    closed = true;
    try {
      queue.offer(SHUTDOWN);
      queued.incrementAndGet();
      Thread w = worker;
      if (w != null) {
        LockSupport.unpark(w);
        w.join(5_000);
      }
      SpanPlan left;
      while ((left = queue.poll()) != null) {
        if (left != SHUTDOWN && left != WARM_UP) {
          emitSafely(left);
        }
      }
      OpenTelemetrySdk s;
      synchronized (lifecycle) {
        s = sdk;
      }
      if (s != null) {
        s.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
      }
    } catch (Throwable e) {
      LOG.log(Level.FINE, "tds-agent: shutdown", e);
    }
  }
}
