package io.tdsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.trace.LoginTraceBuilder;
import io.tdsagent.trace.SpanPlan;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A login finished on another thread while the JVM exits (the agent's exit hook has begun, the
 * export thread has not yet reached its last plan): its span is still exported, not refused because
 * the exit began, nor left behind the export thread's last plan.
 */
class SpanPipelineExitTest {
  @BeforeEach
  void quietSdk() {
    System.setProperty("otel.traces.exporter", "none");
    System.setProperty("otel.metrics.exporter", "none");
    System.setProperty("otel.logs.exporter", "none");
  }

  @AfterEach
  void restore() {
    SpanPipeline.stop();
    System.clearProperty("otel.traces.exporter");
    System.clearProperty("otel.metrics.exporter");
    System.clearProperty("otel.logs.exporter");
  }

  @Test
  void aLoginFinishedAsTheExitBeginsIsStillExported() throws Exception {
    SpanPipeline.stop(); // a fresh pipeline, whatever ran before in this JVM
    SpanPipeline p = SpanPipeline.get();
    Object lifecycle = lifecycle(p);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread exitHook = exitHook(p, "test-exit-hook", failed);
    synchronized (lifecycle) {
      p.warmUp(); // the export thread takes it and blocks configuring the SDK, on this monitor
      awaitState("tds-agent-export", Thread.State.BLOCKED);
      exitHook.start(); // the exit begins: its marker is queued, it waits for the export thread
      awaitState("test-exit-hook", Thread.State.TIMED_WAITING);
      // a connection on another thread fails now: its login ends behind the exit's marker
      p.submit(SpanPlan.builder(LoginTraceBuilder.LOGIN_SPAN, 1).build());
    }
    exitHook.join(120_000); // a hang guard, not a timing bound
    assertTrue(failed.get() == null, String.valueOf(failed.get()));
    assertEquals(1, p.exportedCount(), "the login finished as the exit began");
  }

  /**
   * A login submitted on another thread just as the exit seals the queue off: the submit has passed
   * its check but not yet queued its plan (here it waits to start the export thread, whose monitor
   * the test holds) when the exit's last drain would run. The exit waits for it, so the plan is in
   * the last drain; without that wait it was queued after the drain, neither exported nor counted.
   */
  @Test
  void aLoginSubmittedAsTheExitSealsTheQueueIsExportedNotLostSilently() throws Exception {
    SpanPipeline.stop(); // a fresh pipeline, no export thread yet
    SpanPipeline p = SpanPipeline.get();
    Object lifecycle = lifecycle(p);
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread connection =
        new Thread(
            () -> p.submit(SpanPlan.builder(LoginTraceBuilder.LOGIN_SPAN, 1).build()),
            "test-connection");
    Thread exitHook = exitHook(p, "test-exit-hook-2", failed);
    synchronized (lifecycle) {
      connection.start(); // passes the check, then waits to start the export thread
      awaitState("test-connection", Thread.State.BLOCKED);
      exitHook.start();
      // the exit either waits for the submit under way, or (without the wait) runs to its end
      awaitStateOrEnd(exitHook, Thread.State.WAITING);
    }
    connection.join(120_000); // hang guards, not timing bounds
    exitHook.join(120_000);
    assertTrue(failed.get() == null, String.valueOf(failed.get()));
    assertEquals(1, p.exportedCount(), "the login submitted as the exit sealed the queue");
  }

  /** The monitor the pipeline starts its export thread and configures its SDK under. */
  private static Object lifecycle(SpanPipeline p) throws ReflectiveOperationException {
    Field f = SpanPipeline.class.getDeclaredField("lifecycle");
    f.setAccessible(true);
    return f.get(p);
  }

  /**
   * A thread that runs the pipeline's exit (its shutdown hook's work); a failure goes to {@code
   * failed}.
   */
  private static Thread exitHook(SpanPipeline p, String name, AtomicReference<Throwable> failed)
      throws ReflectiveOperationException {
    Method shutdown = SpanPipeline.class.getDeclaredMethod("shutdown");
    shutdown.setAccessible(true);
    return new Thread(
        () -> {
          try {
            shutdown.invoke(p);
          } catch (Throwable t) {
            failed.set(t);
          }
        },
        name);
  }

  private static void awaitStateOrEnd(Thread t, Thread.State state) throws InterruptedException {
    for (int n = 0; n < 6000; n++) {
      Thread.State s = t.getState();
      if (s == state || s == Thread.State.TERMINATED) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError(t.getName() + " neither reached " + state + " nor ended");
  }

  private static void awaitState(String name, Thread.State state) throws InterruptedException {
    for (int n = 0; n < 6000; n++) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals(name) && t.getState() == state) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError(name + " never reached " + state);
  }
}
