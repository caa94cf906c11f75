package io.tdsagent.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.GrpcResponse;
import io.opentelemetry.sdk.common.export.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * One exporter's failures: said once, in the agent's words (what, where to, with which protocol,
 * why), then counted for the report at exit. Shared by the span and the metric exporter wrappers.
 */
final class ExportFailures {
  private static final Logger LOG = Logger.getLogger("io.tdsagent");

  private final String what;
  private final String unit;
  private final String destination;
  private final AtomicLong failedExports = new AtomicLong();
  private final AtomicLong failedItems = new AtomicLong();
  private final AtomicLong exportedItems = new AtomicLong();
  private final AtomicReference<String> firstCause = new AtomicReference<>();

  /**
   * {@code what}: the items exported, in a log line ("spans"); {@code unit}: one of them counted
   * ("span(s)").
   */
  ExportFailures(String what, String unit, String destination) {
    this.what = what;
    this.unit = unit;
    this.destination = destination;
  }

  String destination() {
    return destination;
  }

  long failedExports() {
    return failedExports.get();
  }

  long failedItems() {
    return failedItems.get();
  }

  long exportedItems() {
    return exportedItems.get();
  }

  String firstCause() {
    return firstCause.get();
  }

  /**
   * Follows one export of {@code items} items: counted when it ends, said when it is the first to
   * fail.
   */
  CompletableResultCode follow(int items, ExportCall call) {
    CompletableResultCode result;
    try {
      result = call.export();
    } catch (RuntimeException e) {
      failed(items, e);
      return CompletableResultCode.ofExceptionalFailure(e);
    }
    result.whenComplete(
        () -> {
          if (result.isSuccess()) {
            exportedItems.addAndGet(items);
          } else {
            failed(items, result.getFailureThrowable());
          }
        });
    return result;
  }

  /** The delegate's export. */
  interface ExportCall {
    CompletableResultCode export();
  }

  private void failed(int items, Throwable t) {
    failedItems.addAndGet(items);
    failedExports.incrementAndGet();
    String cause = cause(t);
    if (firstCause.compareAndSet(null, cause)) {
      LOG.warning(
          "tds-agent: could not export "
              + what
              + " to "
              + destination
              + ": "
              + cause
              + " (said once; later failures are counted and reported at exit)");
    }
  }

  /** At exit, when any export failed: one line with the counts. */
  void report() {
    if (failedExports() > 0) {
      LOG.warning(
          "tds-agent: "
              + failedExports()
              + " export(s) of "
              + failedItems()
              + " "
              + unit
              + " to "
              + destination
              + " failed in all (first: "
              + firstCause()
              + "); "
              + exportedItems()
              + " "
              + unit
              + " exported");
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
}
