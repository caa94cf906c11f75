package io.tdsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.trace.LoginTraceBuilder;
import io.tdsagent.trace.SpanPlan;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's export queue with its export thread held (blocked where it configures the SDK, as a
 * slow start or a stalled exporter would hold it): requests beyond the queue's room are shed and
 * counted one by one, logins keep a room of their own that requests cannot take, only logins beyond
 * that room are lost, and every drop is reported with its exact count: one warning as it starts,
 * the totals at the end. Then everything that was queued is exported.
 */
class SpanPipelineQueueTest {
  static final int REQUESTS_ROOM = 2048;
  static final int LOGINS_ROOM = 65_536;
  private final List<LogRecord> logged = new CopyOnWriteArrayList<>();

  /**
   * Held: a logger nobody references may be collected (and a new one, without the capture, made)
   * before the pipeline's class takes its own reference.
   */
  private final Logger agentLog = Logger.getLogger("io.tdsagent");

  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          logged.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void quietSdk() {
    System.setProperty("otel.traces.exporter", "none");
    System.setProperty("otel.metrics.exporter", "none");
    System.setProperty("otel.logs.exporter", "none");
    agentLog.addHandler(capture);
  }

  @AfterEach
  void restore() {
    agentLog.removeHandler(capture);
    System.clearProperty("otel.traces.exporter");
    System.clearProperty("otel.metrics.exporter");
    System.clearProperty("otel.logs.exporter");
  }

  @Test
  void requestsAreShedBeforeLoginsAndEveryDropIsCounted() throws Exception {
    SpanPipeline.stop(); // a fresh pipeline, whatever ran before in this JVM
    SpanPipeline p = SpanPipeline.get();
    int extraRequests = 13;
    int extraLogins = 7;
    Field f = SpanPipeline.class.getDeclaredField("lifecycle");
    f.setAccessible(true);
    Object lifecycle = f.get(p);
    synchronized (lifecycle) {
      p.warmUp(); // the export thread takes it and blocks configuring the SDK, on this monitor
      awaitBlocked();
      for (int i = 0; i < REQUESTS_ROOM + extraRequests; i++) {
        p.submit(SpanPlan.builder("SELECT", i).build());
      }
      assertEquals(extraRequests, p.droppedCount(), "requests beyond the queue's room");
      // the requests' queue is full: logins still have all of theirs
      for (int i = 0; i < LOGINS_ROOM + extraLogins; i++) {
        p.submit(SpanPlan.builder(LoginTraceBuilder.LOGIN_SPAN, i).build());
      }
      assertEquals(
          extraRequests + extraLogins, p.droppedCount(), "logins lost only beyond their own room");
      p.submit(SpanPlan.builder("SELECT", 0).build());
      assertEquals(extraRequests + extraLogins + 1, p.droppedCount());
      assertEquals(
          1, warnings("export queue full").size(), "said once as dropping starts: " + warnings(""));
    }
    // Released: everything queued is exported, nothing more is dropped.
    long queued = REQUESTS_ROOM + LOGINS_ROOM;
    for (int n = 0; n < 6000 && p.exportedCount() < queued; n++) {
      Thread.sleep(10); // a hang guard, not a timing bound
    }
    assertEquals(queued, p.exportedCount(), "exported after the export thread was released");
    SpanPipeline.stop(); // the totals are said as the pipeline ends (at exit, or at a detach)
    List<String> totals = warnings("dropped in all");
    assertEquals(
        List.of(
            "tds-agent: dropped in all because the export queue was full: "
                + extraLogins
                + " login(s), "
                + (extraRequests + 1)
                + " other trace(s) (requests)"),
        totals);
  }

  private List<String> warnings(String containing) {
    return logged.stream()
        .filter(r -> r.getLevel() == Level.WARNING)
        .map(LogRecord::getMessage)
        .filter(m -> m.contains(containing))
        .collect(Collectors.toList());
  }

  private static void awaitBlocked() throws InterruptedException {
    for (int n = 0; n < 6000; n++) {
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("tds-agent-export") && t.getState() == Thread.State.BLOCKED) {
          return;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the export thread never reached the SDK's set-up");
  }
}
