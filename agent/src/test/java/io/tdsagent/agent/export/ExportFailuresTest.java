package io.tdsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class ReportingSpanExporterTest {
  /** What the JDK's HTTP client throws when nothing listens: no message anywhere in the chain. */
  @Test
  void aRefusedConnectionFromTheJdkClientIsNamed() {
    ConnectException outer = new ConnectException();
    ConnectException inner = new ConnectException();
    inner.initCause(new ClosedChannelException());
    outer.initCause(inner);
    assertEquals(
        "Connection refused or host unreachable (ConnectException)",
        ReportingSpanExporter.cause(new IOException("export failed", outer)));
  }

  @Test
  void theDeepestMessageWins() {
    assertEquals(
        "Connection refused",
        ReportingSpanExporter.cause(
            new IOException("x", new ConnectException("Connection refused"))));
    assertEquals("IOException", ReportingSpanExporter.cause(new IOException()));
  }
}
