package io.tdsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.sdk.common.CompletableResultCode;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ExportFailuresTest {
  /** What the JDK's HTTP client throws when nothing listens: no message anywhere in the chain. */
  @Test
  void aRefusedConnectionFromTheJdkClientIsNamed() {
    ConnectException outer = new ConnectException();
    ConnectException inner = new ConnectException();
    inner.initCause(new ClosedChannelException());
    outer.initCause(inner);
    assertEquals(
        "Connection refused or host unreachable (ConnectException)",
        ExportFailures.cause(new IOException("export failed", outer)));
  }

  @Test
  void theDeepestMessageWins() {
    assertEquals(
        "Connection refused",
        ExportFailures.cause(new IOException("x", new ConnectException("Connection refused"))));
    assertEquals("IOException", ExportFailures.cause(new IOException()));
  }

  /** A collector away for a while: one line when it starts, the counts in one line at exit. */
  @Test
  void failuresAreSaidOnceAndCounted() {
    List<String> lines = new ArrayList<>();
    Handler h =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            lines.add(r.getMessage());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger log = Logger.getLogger("io.tdsagent");
    log.addHandler(h);
    try {
      ExportFailures f = new ExportFailures("metrics", "metric(s)", "http://c:4318/v1/metrics");
      for (int i = 0; i < 5; i++) {
        f.follow(3, () -> CompletableResultCode.ofExceptionalFailure(new ConnectException("no")));
      }
      f.follow(2, CompletableResultCode::ofSuccess);
      assertEquals(1, lines.size(), lines::toString);
      assertEquals(
          "tds-agent: could not export metrics to http://c:4318/v1/metrics: no (said once; later"
              + " failures are counted and reported at exit)",
          lines.get(0));
      f.report();
      assertEquals(2, lines.size(), lines::toString);
      assertEquals(
          "tds-agent: 5 export(s) of 15 metric(s) to http://c:4318/v1/metrics failed in all"
              + " (first: no); 2 metric(s) exported",
          lines.get(1));
      // an exporter that throws is a failure too, and the call still returns a result
      assertTrue(
          f.follow(
                  1,
                  () -> {
                    throw new IllegalStateException("boom");
                  })
              .isDone());
      assertEquals(6, f.failedExports());
    } finally {
      log.removeHandler(h);
    }
  }
}
