package io.tdsagent.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * Wraps the configured span exporter to say, once and in the agent's words, that export fails
 * (where to, with which protocol, why), and to count every later failure for the report at exit.
 */
final class ReportingSpanExporter implements SpanExporter {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");

  private final SpanExporter delegate;
  private final String destination;
  private final AtomicLong failedExports = new AtomicLong();
  private final AtomicLong failedSpans = new AtomicLong();
  private final AtomicLong exportedSpans = new AtomicLong();
  private final AtomicReference<String> firstCause = new AtomicReference<>();

  ReportingSpanExporter(SpanExporter delegate, String destination) {
    this.delegate = delegate;
    this.destination = destination;
  }

  String destination() {
    return destination;
  }

  long failedExports() {
    return failedExports.get();
  }

  long failedSpans() {
    return failedSpans.get();
  }

  long exportedSpans() {
    return exportedSpans.get();
  }

  String firstCause() {
    return firstCause.get();
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    int n = spans.size();
    CompletableResultCode result;
    try {
      result = delegate.export(spans);
    } catch (RuntimeException e) {
      failed(n, e);
      return CompletableResultCode.ofExceptionalFailure(e);
    }
    result.whenComplete(
        () -> {
          if (result.isSuccess()) {
            exportedSpans.addAndGet(n);
          } else {
            failed(n, result.getFailureThrowable());
          }
        });
    return result;
  }

  private void failed(int spans, Throwable t) {
    failedSpans.addAndGet(spans);
    failedExports.incrementAndGet();
    String cause = cause(t);
    if (firstCause.compareAndSet(null, cause)) {
      LOG.warning(
          "tds-agent: could not export spans to "
              + destination
              + ": "
              + cause
              + " (said once; later failures are counted and reported at exit)");
    }
  }

  /** The deepest reason there is: the socket's words, or the server's status. */
  static String cause(Throwable t) {
    Object response = response(t);
    if (response instanceof HttpResponse) {
      HttpResponse r = (HttpResponse) response;
      return "HTTP "
          + r.getStatusCode()
          + (r.getStatusMessage() == null ? "" : " " + r.getStatusMessage());
    }
    if (response instanceof GrpcResponse) {
      GrpcResponse r = (GrpcResponse) response;
      return "gRPC status "
          + r.getStatusCode()
          + (r.getStatusDescription() == null ? "" : " " + r.getStatusDescription());
    }
    if (t == null) {
      return "export failed";
    }
    Throwable root = t;
    java.net.ConnectException connect = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (connect == null && c instanceof java.net.ConnectException) {
        connect = (java.net.ConnectException) c;
      }
      root = c;
    }
    String m = root.getMessage();
    if ((m == null || m.isBlank()) && connect != null) {
      // The JDK's HTTP client says nothing more than ConnectException / ClosedChannelException when
      // nobody listens.
      return "Connection refused or host unreachable (" + connect.getClass().getSimpleName() + ")";
    }
    return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
  }

  /**
   * The server's answer a failed OTLP export carries ({@code FailedExportException.getResponse()},
   * an internal class of the exporter, hence looked up by name), or null.
   */
  private static Object response(Throwable t) {
    if (t == null) {
      return null;
    }
    try {
      return t.getClass().getMethod("getResponse").invoke(t);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
