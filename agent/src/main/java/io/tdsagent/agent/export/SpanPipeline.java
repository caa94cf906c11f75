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
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.tdsagent.agent.config.AgentConfig;
import io.tdsagent.agent.time.Clock;
import io.tdsagent.trace.LoginTraceBuilder;
import io.tdsagent.trace.SpanPlan;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.StampedLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands finished {@link SpanPlan}s from the driver's threads to one daemon thread that owns the
 * OpenTelemetry SDK. The driver's side is a lock-free, non-blocking {@code offer}, never waited
 * for: when the queue is full a request's plan is dropped and counted; logins have room of their
 * own and are not shed for requests. The export thread in turn waits for the exporter, so the SDK's
 * own queue does not overflow.
 *
 * <p>The driver's thread does not wake the export thread for every plan (a futex call and a context
 * switch each time, several microseconds, more than the whole of the decoding): while plans keep
 * coming the export thread drains the queue every millisecond or so by itself; only once it has
 * been idle for a while, or when the queue is filling up, does the next plan wake it.
 *
 * <p>The SDK is configured by autoconfigure ({@code otel.*} properties, {@code OTEL_*} environment)
 * the first time there is something to export, on the export thread: an application that never
 * opens a SQL Server connection pays for no exporter, and one that sets {@code otel.*} properties
 * early in {@code main} is still heard.
 */
public final class SpanPipeline {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");

  /** Request plans (and anything but logins) queued at most; beyond, they are shed and counted. */
  private static final int QUEUE_CAPACITY = 2048;

  /**
   * Login plans queued at most. Logins are never shed to make room for requests: they are rare, and
   * what the agent is for; only an export that has stalled this far behind loses them (counted and
   * said).
   */
  private static final int LOGIN_CAPACITY = 65_536;

  /** How long the agent's own work at exit (not waiting for the exporter) may take at most. */
  private static final long AGENT_WORK_CAP_MILLIS = 10_000;

  /**
   * An exporter that finishes nothing for this long is no longer waited for (see {@link
   * #awaitExporter}).
   */
  private static final long STALL_NANOS = 10_000_000_000L;

  /** Queued plans from which a submitter wakes the export thread whatever it is doing. */
  private static final int WAKE_THRESHOLD = QUEUE_CAPACITY / 8;

  /** The export thread's naps while the queue is empty: from the first, doubling up to the last. */
  private static final long MIN_NAP_NANOS = 1_000_000L;

  private static final long IDLE_NAP_NANOS = 16_000_000L;
  private static final long MAX_NAP_NANOS = 128_000_000L;
  private static final String SCOPE = "io.tdsagent";
  private static final SpanPlan SHUTDOWN = SpanPlan.builder("", 0).build();
  private static final SpanPlan WARM_UP = SpanPlan.builder("", 0).build();

  /** Marks how far the export thread has got, for {@link #handOverToHost}. */
  private static final SpanPlan HAND_OVER = SpanPlan.builder("", 0).build();

  private static volatile SpanPipeline instance = new SpanPipeline();

  /** Attribute keys by name: the agent's vocabulary is fixed, so each key is made once. */
  private static final AttributeKeys KEYS = new AttributeKeys();

  /**
   * Span contexts of plans already exported, by their link keys, so later plans can link to them;
   * export thread only. Weak keys: a login's key is held by its open connection, and forgotten once
   * the connection is gone.
   */
  private final Map<SpanPlan.LinkKey, SpanContext> exported = new java.util.WeakHashMap<>();

  private final Queue<SpanPlan> queue = new ConcurrentLinkedQueue<>();

  /** Plans in {@link #queue}; the queue's own size() is not constant-time. */
  private final AtomicInteger queued = new AtomicInteger();

  /**
   * Of which logins (bounded by {@link #LOGIN_CAPACITY}) and the rest (by {@link #QUEUE_CAPACITY}).
   */
  private final AtomicInteger queuedLogins = new AtomicInteger();

  private final AtomicInteger queuedOthers = new AtomicInteger();

  /**
   * Sampled spans started (export thread only): what the exporters still owe is this minus what
   * they finished.
   */
  private long spansStarted;

  /** The export thread is napping long (idle): the next submitter wakes it. */
  private volatile boolean idle;

  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong droppedLogins = new AtomicLong();
  private volatile boolean dropSaid;

  /**
   * At exit: how long the export thread may still wait for the exporter, and has waited (export
   * thread only).
   */
  private volatile long exitWaitBudgetNanos = Long.MAX_VALUE;

  private volatile long exitWaitedNanos;
  private final Object lifecycle = new Object();
  private volatile Thread worker;
  private Thread shutdownHook;
  private final AtomicLong exportedSpans = new AtomicLong();
  private volatile ExportSetup export;
  private volatile Tracer tracer;

  /** Made with the tracer; export thread only. */
  private DbMetrics metrics;

  /**
   * The OpenTelemetry Java agent runs beside this one: requests are INTERNAL wire-detail spans
   * under its JDBC span.
   */
  private boolean requestsInternal;

  /** The OpenTelemetry Java agent's SDK, when spans go through it instead of the agent's own. */
  private volatile HostTracing host;

  /** As {@link #exported}, the host's span contexts; export thread only. */
  private final Map<SpanPlan.LinkKey, Object> hostExported = new java.util.WeakHashMap<>();

  private volatile boolean closed;

  /**
   * No plan is taken any more: the SDK could not be configured, or the last export at exit (or
   * detach) has begun. Until then a plan finished while the JVM exits (a connection failing on
   * another thread) is still exported.
   */
  private volatile boolean refusing;

  /** {@link #refusing} because the last export has begun: plans refused then are counted. */
  private volatile boolean sealed;

  private final AtomicLong refusedAfterLastExport = new AtomicLong();

  /**
   * Held (shared) by each submit from its check of {@link #refusing} to its plan being queued, and
   * (exclusive) by the exit while it seals: a plan that passed the check is then in the queue
   * before the last drain, so it is exported, never left behind it unexported and uncounted.
   */
  private final StampedLock sealing = new StampedLock();

  private boolean sdkFailed;

  /** {@link #HAND_OVER} marks queued, and passed by the export thread (or the exit's drain). */
  private final AtomicLong handOversAsked = new AtomicLong();

  private final AtomicLong handOversPassed = new AtomicLong();

  private SpanPipeline() {
    // the login verdicts are made on this pipeline's thread: they read the setting there, at each
    // login
    io.tdsagent.trace.TraceSettings.diagnosisSlowMillis(
        io.tdsagent.agent.config.AgentConfig::diagnosisSlowMillis);
  }

  public static SpanPipeline get() {
    return instance;
  }

  /**
   * The agent is detaching: what is queued is exported (bounded), the SDK closed and the export
   * thread ended; an attach after this starts a new pipeline.
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

  /**
   * The OpenTelemetry Java agent's SDK is flushing or shutting down (tds-agent as its extension
   * wraps its span processors to call this first): waits, at most {@code
   * tds.export.exit_timeout_ms}, until every plan queued now has been handed to that SDK, so that a
   * request which ended just before the JVM began to exit is still in its last export. The JVM runs
   * its exit hooks side by side, so the agent's own exit hook alone cannot order itself before the
   * host SDK's. Returns at once when spans do not go through a host SDK or the export thread has
   * ended.
   */
  public static void handOverToHost() {
    instance.handOver(AgentConfig.exitTimeoutMillis());
  }

  private void handOver(long maxMillis) {
    Thread w = worker;
    if (host == null || w == null || !w.isAlive()) {
      return;
    }
    long target = handOversAsked.incrementAndGet();
    queue.offer(HAND_OVER);
    queued.incrementAndGet();
    queuedOthers.incrementAndGet();
    LockSupport.unpark(w);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxMillis));
    while (handOversPassed.get() < target && w.isAlive() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(this, 1_000_000L);
    }
  }

  /** Spans handed to the SDK so far. */
  public long exportedCount() {
    return exportedSpans.get();
  }

  /** Never blocks, never throws. */
  public void submit(SpanPlan plan) {
    long stamp = sealing.tryReadLock();
    if (stamp == 0L) { // the exit is sealing the queue off at this moment
      refusedAfterLastExport.incrementAndGet();
      return;
    }
    try {
      submitUnsealed(plan);
    } finally {
      sealing.unlockRead(stamp);
    }
  }

  private void submitUnsealed(SpanPlan plan) {
    if (refusing) {
      if (sealed) {
        refusedAfterLastExport.incrementAndGet();
      }
      return;
    }
    Thread w = ensureWorker();
    boolean login = isLogin(plan);
    AtomicInteger bucket = login ? queuedLogins : queuedOthers;
    if (bucket.incrementAndGet() > (login ? LOGIN_CAPACITY : QUEUE_CAPACITY)) {
      bucket.decrementAndGet();
      (login ? droppedLogins : dropped).incrementAndGet();
      if (!dropSaid) {
        dropSaid = true;
        LOG.warning(
            "tds-agent: export queue full (the exporter cannot keep up): "
                + (login ? "logins" : "request traces")
                + " are being dropped; exact totals at exit");
      }
      LockSupport.unpark(w);
      return;
    }
    queue.offer(plan);
    int q = queued.incrementAndGet();
    // Wake it when it sleeps long, or once as the backlog crosses the threshold (not on every
    // submit after).
    if (idle || plan == WARM_UP || q == WAKE_THRESHOLD) {
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

  /** Plans dropped because the queue was full, logins included. */
  public long droppedCount() {
    return dropped.get() + droppedLogins.get();
  }

  private static boolean isLogin(SpanPlan plan) {
    return LoginTraceBuilder.LOGIN_SPAN.equals(plan.name());
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
        (isLogin(plan) ? queuedLogins : queuedOthers).decrementAndGet();
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
      if (plan == HAND_OVER) {
        handOversPassed.incrementAndGet();
        continue;
      }
      emitSafely(plan);
      awaitExporter();
    }
  }

  /**
   * Back-pressure from the exporter: while it owes as many spans as half its processor's queue
   * holds, the export thread waits for it, so the SDK's queue never overflows and drops; the
   * agent's own queue takes the wait (and sheds requests, never logins, if it must). An exporter
   * that makes no progress for 10 s is not waited for.
   */
  private void awaitExporter() {
    ExportSetup e = export;
    if (e == null) {
      return;
    }
    long limit = e.inFlightLimit();
    long done = e.spansFinished();
    long lastProgress = System.nanoTime();
    while (spansStarted - done >= limit) {
      if (closed && exitWaitedNanos >= exitWaitBudgetNanos) {
        return; // at exit the exporter is waited for only so long, in all
      }
      long parked = System.nanoTime();
      LockSupport.parkNanos(this, 1_000_000L);
      if (closed) {
        exitWaitedNanos += System.nanoTime() - parked;
      }
      long now = e.spansFinished();
      if (now != done) {
        done = now;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL_NANOS) {
        LOG.fine("tds-agent: the exporter made no progress for 10 s; not waiting for it");
        spansStarted = done;
        return;
      }
    }
  }

  /**
   * What the export thread does with one plan, done on the caller's thread instead: the SDK set up
   * at the first call, the plan made into spans and metrics, then the wait for the exporter. For
   * the JMH benchmark of a login's export side, which measures exactly this path.
   */
  void exportNow(SpanPlan plan) {
    emitSafely(plan);
    awaitExporter();
  }

  /** The plan's spans made with this tracer, as the export thread makes them (tests). */
  SpanContext emitWith(Tracer t, SpanPlan plan) {
    return emit(t, plan.resolve(), null, null);
  }

  /** The exporters' set-up once the SDK is configured, else null. */
  ExportSetup exportSetup() {
    return export;
  }

  private void emitSafely(SpanPlan plan) {
    try {
      Tracer t = tracer();
      HostTracing h = host;
      if (h != null) {
        Object sc = emitToHost(h, plan.resolve());
        if (plan.linkKey() != null) {
          hostExported.put(plan.linkKey(), sc);
        }
      } else if (t != null) {
        SpanContext sc = emit(t, plan.resolve(), null, null);
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
      if (tracer == null && host == null && !sdkFailed) {
        try {
          String v = SpanPipeline.class.getPackage().getImplementationVersion();
          HostTracing h = HostTracing.find(SCOPE, v == null ? "dev" : v);
          if (h != null) {
            LOG.fine(
                "tds-agent: spans go through the OpenTelemetry Java agent's SDK; requests are INTERNAL children of"
                    + " its JDBC spans");
            host = h;
            metrics = new DbMetrics(h.instruments(), this::droppedCount, () -> 0L);
            return null;
          }
          ExportSetup e = ExportSetup.build();
          export = e;
          String version = SpanPipeline.class.getPackage().getImplementationVersion();
          tracer = e.sdk.getTracer(SCOPE, version == null ? "dev" : version);
          requestsInternal = HostAgent.present() && !HostTracing.inactive;
          if (requestsInternal) {
            LOG.fine(
                "tds-agent: the OpenTelemetry Java agent is present: request spans are INTERNAL children of its"
                    + " JDBC spans (tds-agent.jar as its extension keeps one pipeline: otel.javaagent.extensions)");
          }
          metrics =
              new DbMetrics(
                  DbMetrics.of(e.sdk.getMeter(SCOPE), KEYS), this::droppedCount, e::spansFailed);
        } catch (Throwable e) {
          // Said once; closing the pipeline stops every later attempt.
          LOG.log(
              Level.WARNING,
              "tds-agent: OpenTelemetry SDK configuration failed; no traces will be exported",
              e);
          sdkFailed = true;
          refusing = true;
          closed = true;
          queue.clear();
          queued.set(0);
        }
      }
      return tracer;
    }
  }

  /**
   * Through the OpenTelemetry Java agent: its JDBC instrumentation already made the statement's
   * CLIENT span, current while the driver talked, so a request becomes an INTERNAL child of it; a
   * login stays CLIENT. Its sampler decides.
   */
  private Object emitToHost(HostTracing h, SpanPlan plan) throws ReflectiveOperationException {
    Object parent = plan.parent() == null ? null : h.remoteParent(plan.parent());
    Object link = plan.link() == null ? null : hostExported.get(plan.link());
    DbMetrics m = metrics;
    return h.emit(
        plan,
        parent,
        plan.kind() == SpanPlan.Kind.CLIENT && isLogin(plan),
        link,
        m == null ? null : m::record);
  }

  private SpanContext emit(Tracer t, SpanPlan plan, Context parentContext, SpanPlan parentPlan) {
    boolean client =
        plan.kind() == SpanPlan.Kind.CLIENT
            && !(requestsInternal && parentContext == null && !isLogin(plan));
    SpanBuilder b =
        t.spanBuilder(plan.name())
            .setSpanKind(client ? SpanKind.CLIENT : SpanKind.INTERNAL)
            .setStartTimestamp(Clock.toEpochNanos(plan.startNanos()), TimeUnit.NANOSECONDS);
    String keep = parentContext == null ? KeepNotableLogins.reason(plan) : null;
    KEYS.putAll(b, plan.attributes());
    if (parentContext != null) {
      b.setParent(parentContext);
    } else if (plan.parent() != null) {
      SpanPlan.RemoteParent p = plan.parent();
      SpanContext remote =
          SpanContext.createFromRemoteParent(
              p.traceId(),
              p.spanId(),
              p.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
              TraceState.getDefault());
      Context parent = Context.root().with(Span.wrap(remote));
      KeepNotableLogins sampler = export.sampler;
      if (keep != null
          && sampler != null
          && !sampler.wouldSample(parent, p.traceId(), plan.name(), SpanKind.CLIENT)) {
        // Its parent's trace is not recorded: a trace of its own, linked to where it came from.
        b.setNoParent().addLink(remote).setAttribute(KeepNotableLogins.KEPT, keep);
      } else {
        b.setParent(parent);
      }
    } else {
      b.setNoParent();
    }
    if (plan.link() != null) {
      SpanContext target = exported.get(plan.link());
      if (target != null) {
        b.addLink(target);
      }
    }
    Span span;
    if (keep != null) {
      KeepNotableLogins.keepNext(keep);
      try {
        span = b.startSpan();
      } finally {
        KeepNotableLogins.done();
      }
    } else {
      span = b.startSpan();
    }
    exportedSpans.incrementAndGet();
    // A span the sampler left out records nothing more: its events' attributes are not built.
    if (span.isRecording()) {
      for (SpanPlan.Event e : plan.events()) {
        Attributes a = e.attributes().isEmpty() ? Attributes.empty() : toAttributes(e.attributes());
        span.addEvent(e.name(), a, Clock.toEpochNanos(e.timeNanos()), TimeUnit.NANOSECONDS);
      }
      if (plan.status() == SpanPlan.Status.ERROR) {
        span.setStatus(
            StatusCode.ERROR, plan.statusDescription() == null ? "" : plan.statusDescription());
      } else if (plan.status() == SpanPlan.Status.OK) {
        span.setStatus(StatusCode.OK);
      }
    }
    if (span.getSpanContext().isSampled()) {
      spansStarted++;
    }
    Context mine = Context.root().with(span);
    DbMetrics m = metrics;
    if (m != null) {
      m.record(plan, parentPlan, mine);
    }
    for (SpanPlan child : plan.children()) {
      emit(t, child, mine, plan);
    }
    span.end(Clock.toEpochNanos(plan.endNanos()), TimeUnit.NANOSECONDS);
    return span.getSpanContext();
  }

  static Attributes toAttributes(Map<String, Object> map) {
    AttributesBuilder ab = Attributes.builder();
    KEYS.putAll(ab, map);
    return ab.build();
  }

  /**
   * Exports what is queued (the agent's queue, then the SDK's), then closes the SDK: short-lived
   * processes still deliver their traces. Waiting for the exporter takes at most {@code
   * tds.export.exit_timeout_ms} (default 2 s) in all, so an endpoint that refuses, drops or never
   * answers cannot hold the JVM's exit; what could not be sent by then is said once. The agent's
   * own work (its queue, the SDK's set-up) is capped separately.
   */
  private void shutdown() {
    long bound = AgentConfig.exitTimeoutMillis();
    exitWaitBudgetNanos = TimeUnit.MILLISECONDS.toNanos(bound);
    closed = true;
    ExitLogging.takeOver();
    boolean inTime = true;
    try {
      queue.offer(SHUTDOWN);
      queued.incrementAndGet();
      queuedOthers.incrementAndGet();
      Thread w = worker;
      if (w != null) {
        // The agent's own work (configuring the SDK, making the last spans) is not the endpoint's
        // delay: it gets
        // longer on a busy machine, so it is not charged to the bound, only capped. Its waits for
        // the exporter are.
        LockSupport.unpark(w);
        w.join(bound + AGENT_WORK_CAP_MILLIS);
        inTime = !w.isAlive();
      }
      // Waits for the submits under way (their plans are then queued, for the drain below).
      long stamp = sealing.writeLock();
      try {
        sealed = true;
        refusing = true;
      } finally {
        sealing.unlockWrite(stamp);
      }
      if (inTime) {
        drainLeftovers();
      }
      long deadline = System.nanoTime() + Math.max(0, exitWaitBudgetNanos - exitWaitedNanos);
      ExportSetup e = export;
      if (e != null) {
        if (inTime) {
          inTime = waitFor(e.tracerProvider().forceFlush(), deadline);
        }
        // Closing the meter provider collects and exports the metrics once more, as a flush would:
        // not both.
        CompletableResultCode closing =
            CompletableResultCode.ofAll(
                java.util.List.of(
                    e.tracerProvider().shutdown(), e.sdk.getSdkMeterProvider().shutdown()));
        if (inTime) {
          waitFor(closing, deadline);
        }
      }
      report(e, inTime, bound);
    } catch (Throwable t) {
      LOG.log(Level.FINE, "tds-agent: shutdown", t);
    }
  }

  /**
   * Plans queued behind the export thread's last one (submitted as the exit began, on another
   * thread): exported here, the export thread being gone.
   */
  private void drainLeftovers() {
    SpanPlan plan;
    while ((plan = queue.poll()) != null) {
      if (plan == HAND_OVER) {
        handOversPassed.incrementAndGet();
      } else if (plan != SHUTDOWN && plan != WARM_UP) {
        emitSafely(plan);
      }
    }
  }

  private static long remainingMillis(long deadline) {
    return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
  }

  private static boolean waitFor(CompletableResultCode r, long deadline) {
    long left = remainingMillis(deadline);
    if (left > 0) {
      r.join(left, TimeUnit.MILLISECONDS);
    }
    return r.isDone();
  }

  /** At exit: what was lost, with exact counts, in as few lines as it takes. */
  private void report(ExportSetup e, boolean inTime, long bound) {
    String where = "";
    if (e != null) {
      StringBuilder d = new StringBuilder();
      for (ReportingSpanExporter r : e.exporters) {
        d.append(d.length() == 0 ? "" : ", ").append(r.destination());
        r.failures().report();
      }
      for (ReportingMetricExporter r : e.metricExporters) {
        r.failures().report();
      }
      where = d.toString();
    }
    if (!inTime) {
      LOG.warning(
          "tds-agent: gave up exporting at exit after "
              + bound
              + " ms ("
              + AgentConfig.EXIT_TIMEOUT_MS
              + "): spans still queued for "
              + (where.isEmpty() ? "the exporter" : where)
              + " are lost");
    }
    long late = refusedAfterLastExport.get();
    if (late > 0) {
      LOG.warning(
          "tds-agent: "
              + late
              + " trace(s) finished after the last export at exit began were not exported");
    }
    long d = dropped.get();
    long dl = droppedLogins.get();
    if (d > 0 || dl > 0) {
      LOG.warning(
          "tds-agent: dropped in all because the export queue was full: "
              + dl
              + " login(s), "
              + d
              + " other trace(s) (requests)");
    }
    if (e != null && inTime && !e.exporters.isEmpty()) {
      long lost = spansStarted - e.spansFinished();
      if (lost > 0) {
        LOG.warning(
            "tds-agent: "
                + lost
                + " span(s) never reached the exporter (the SDK's span processor dropped them)");
      }
    }
  }
}
