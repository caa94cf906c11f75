package io.tdsagent.otelext;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Puts tds-agent's last spans into the OpenTelemetry Java agent's last export. At exit that agent
 * shuts its SDK down while tds-agent's own exit hook runs (the JVM runs exit hooks side by side),
 * so a request that ended just before the exit could reach the SDK after its batch processor had
 * sent its last batch. Each span processor the agent configures is wrapped: before it flushes or
 * shuts down, tds-agent's export thread hands over what it still holds (bounded by {@code
 * tds.export.exit_timeout_ms}, default 2 s). Everything else is the processor's own.
 */
public final class TdsAgentExitHandOver implements AutoConfigurationCustomizerProvider {
  private static final String PIPELINE = "io.tdsagent.agent.export.SpanPipeline";

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    customizer.addSpanProcessorCustomizer((processor, config) -> new HandOverFirst(processor));
  }

  static final class HandOverFirst implements SpanProcessor {
    private final SpanProcessor delegate;

    HandOverFirst(SpanProcessor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
      delegate.onStart(parentContext, span);
    }

    @Override
    public boolean isStartRequired() {
      return delegate.isStartRequired();
    }

    @Override
    public void onEnd(ReadableSpan span) {
      delegate.onEnd(span);
    }

    @Override
    public boolean isEndRequired() {
      return delegate.isEndRequired();
    }

    @Override
    public CompletableResultCode forceFlush() {
      handOver();
      return delegate.forceFlush();
    }

    @Override
    public CompletableResultCode shutdown() {
      handOver();
      return delegate.shutdown();
    }

    @Override
    public String toString() {
      return delegate.toString();
    }

    /** tds-agent lives in the system class loader (the extension put its jar there). */
    private static void handOver() {
      try {
        Class.forName(PIPELINE, false, ClassLoader.getSystemClassLoader())
            .getMethod("handOverToHost")
            .invoke(null);
      } catch (ClassNotFoundException notStarted) {
        // tds-agent did not start: nothing to hand over
      } catch (Throwable e) {
        Logger.getLogger("io.tdsagent").log(Level.FINE, "tds-agent: hand-over at exit", e);
      }
    }
  }
}
