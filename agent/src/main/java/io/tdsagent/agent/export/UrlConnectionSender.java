package io.tdsagent.agent.export;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * OTLP over plain HTTP with the JDK's {@link HttpURLConnection}, on the exporting thread (the batch
 * processor's or the metric reader's, which wait for the result anyway). The JDK's {@code
 * java.net.http.HttpClient} costs a process about half a second of CPU and 30 MiB the first time it
 * sends; this costs a few tens of milliseconds. Same contract as the OpenTelemetry JDK sender:
 * timeouts, headers, compression, the retry policy (retryable statuses 429, 502, 503, 504 and the
 * policy's exceptions, exponential backoff with jitter), no proxy, the response body up to the
 * configured limit. Never the application's {@link Authenticator} (a collector that asks for
 * credentials gets none).
 */
final class UrlConnectionSender implements HttpSender {
  private static final Authenticator NONE = new Authenticator() {};

  private final URL url;
  private final HttpSenderConfig config;

  UrlConnectionSender(HttpSenderConfig config) {
    try {
      this.url = config.getEndpoint().toURL();
    } catch (java.net.MalformedURLException e) {
      throw new IllegalArgumentException("OTLP endpoint " + config.getEndpoint(), e);
    }
    this.config = config;
  }

  @Override
  public void send(
      MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
    RetryPolicy retry = config.getRetryPolicy();
    int attempts = retry == null ? 1 : Math.max(1, retry.getMaxAttempts());
    long backoffNanos = retry == null ? 0 : retry.getInitialBackoff().toNanos();
    for (int attempt = 1; ; attempt++) {
      boolean last = attempt >= attempts;
      try {
        HttpResponse r = post(writer);
        if (last || !retryable(r.getStatusCode())) {
          onResponse.accept(r);
          return;
        }
      } catch (IOException e) {
        if (last || !retryable(e, retry)) {
          onError.accept(e);
          return;
        }
      } catch (RuntimeException | Error e) {
        onError.accept(e);
        return;
      }
      try {
        TimeUnit.NANOSECONDS.sleep(ThreadLocalRandom.current().nextLong(Math.max(1, backoffNanos)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        onError.accept(e);
        return;
      }
      backoffNanos =
          Math.min(
              (long) (backoffNanos * retry.getBackoffMultiplier()),
              retry.getMaxBackoff().toNanos());
    }
  }

  private HttpResponse post(MessageWriter writer) throws IOException {
    HttpURLConnection c = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
    try {
      c.setAuthenticator(NONE);
      c.setUseCaches(false);
      c.setInstanceFollowRedirects(false);
      c.setDoOutput(true);
      c.setRequestMethod("POST");
      c.setConnectTimeout(millis(config.getConnectTimeout().toMillis()));
      c.setReadTimeout(millis(config.getTimeout().toMillis()));
      c.setRequestProperty("Content-Type", config.getContentType());
      Map<String, List<String>> headers =
          config.getHeadersSupplier() == null ? null : config.getHeadersSupplier().get();
      if (headers != null) {
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
          for (String v : h.getValue()) {
            c.addRequestProperty(h.getKey(), v);
          }
        }
      }
      Compressor compressor = config.getCompressor();
      if (compressor != null) {
        c.setRequestProperty("Content-Encoding", compressor.getEncoding());
        c.setChunkedStreamingMode(0);
        try (OutputStream out = compressor.compress(c.getOutputStream())) {
          writer.writeMessage(out);
        }
      } else {
        c.setFixedLengthStreamingMode(writer.getContentLength());
        try (OutputStream out = c.getOutputStream()) {
          writer.writeMessage(out);
        }
      }
      int status = c.getResponseCode();
      String message = c.getResponseMessage();
      byte[] body =
          body(
              status >= 400 ? c.getErrorStream() : c.getInputStream(),
              config.getMaxResponseBodySize());
      return new Response(status, message == null ? "" : message, body);
    } catch (IOException | RuntimeException e) {
      c.disconnect();
      throw e;
    }
    // the connection, its body read, stays in the JDK's keep-alive cache for the next export
  }

  private static int millis(long ms) {
    return ms <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, ms);
  }

  private static byte[] body(InputStream in, long limit) throws IOException {
    if (in == null) {
      return new byte[0];
    }
    try (InputStream s = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      long total = 0;
      for (int n; (n = s.read(buf)) > 0; ) {
        if (limit <= 0 || total < limit) {
          int keep = limit <= 0 ? n : (int) Math.min(n, limit - total);
          out.write(buf, 0, keep);
        }
        total += n;
      }
      return out.toByteArray();
    }
  }

  private static boolean retryable(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  private static boolean retryable(IOException e, RetryPolicy retry) {
    Predicate<IOException> p = retry == null ? null : retry.getRetryExceptionPredicate();
    if (p != null) {
      return p.test(e);
    }
    return e instanceof ConnectException || e instanceof SocketTimeoutException;
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }

  private static final class Response implements HttpResponse {
    private final int status;
    private final String message;
    private final byte[] body;

    Response(int status, String message, byte[] body) {
      this.status = status;
      this.message = message;
      this.body = body;
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    public String getStatusMessage() {
      return message;
    }

    @Override
    public byte[] getResponseBody() {
      return body;
    }
  }
}
