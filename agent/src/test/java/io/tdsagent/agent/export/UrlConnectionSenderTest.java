package io.tdsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.ProxyOptions;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's OTLP/HTTP sender against a real HTTP server (the JDK's): what arrives, retries,
 * failures.
 */
class UrlConnectionSenderTest {
  private static final byte[] BODY = "an OTLP message".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;
  private final List<String> seen = new ArrayList<>();
  private final List<byte[]> bodies = new ArrayList<>();

  /** Status codes the server answers with, in turn; the last one repeats. */
  private volatile int[] statuses = {200};

  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/traces",
        x -> {
          int n = requests.getAndIncrement();
          byte[] in = x.getRequestBody().readAllBytes();
          if ("gzip".equals(x.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(new java.io.ByteArrayInputStream(in)).readAllBytes();
          }
          synchronized (seen) {
            seen.add(
                x.getRequestMethod()
                    + " "
                    + x.getRequestHeaders().getFirst("Content-Type")
                    + " "
                    + x.getRequestHeaders().getFirst("X-Team"));
            bodies.add(in);
          }
          int status = statuses[Math.min(n, statuses.length - 1)];
          if (status == 401) {
            x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"collector\"");
          }
          byte[] answer = ("status " + status).getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(status, answer.length);
          x.getResponseBody().write(answer);
          x.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces");
  }

  private static final class Result {
    final AtomicReference<HttpResponse> response = new AtomicReference<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
  }

  private static Result send(HttpSender sender) {
    Result r = new Result();
    sender.send(
        new MessageWriter() {
          @Override
          public void writeMessage(OutputStream out) throws IOException {
            out.write(BODY);
          }

          @Override
          public int getContentLength() {
            return BODY.length;
          }
        },
        r.response::set,
        r.error::set);
    return r;
  }

  @Test
  void postsTheMessageWithItsHeaders() {
    Result r = send(new UrlConnectionSender(config(endpoint(), null, null)));
    assertNull(r.error.get());
    assertEquals(200, r.response.get().getStatusCode());
    assertEquals(
        "status 200", new String(r.response.get().getResponseBody(), StandardCharsets.UTF_8));
    assertEquals(List.of("POST application/x-protobuf blue"), seen);
    assertArrayEquals(BODY, bodies.get(0));
  }

  @Test
  void compressesWithTheConfiguredCompressor() {
    Compressor gzip =
        new Compressor() {
          @Override
          public String getEncoding() {
            return "gzip";
          }

          @Override
          public OutputStream compress(OutputStream out) throws IOException {
            return new GZIPOutputStream(out);
          }
        };
    Result r = send(new UrlConnectionSender(config(endpoint(), gzip, null)));
    assertEquals(200, r.response.get().getStatusCode());
    assertArrayEquals(BODY, bodies.get(0));
  }

  @Test
  void retriesRetryableStatusesThenReportsTheAnswer() {
    statuses = new int[] {503, 429, 200};
    Result r = send(new UrlConnectionSender(config(endpoint(), null, fastRetry())));
    assertEquals(200, r.response.get().getStatusCode());
    assertEquals(3, requests.get());
  }

  @Test
  void aNonRetryableStatusIsReportedAtOnce() {
    statuses = new int[] {400, 200};
    Result r = send(new UrlConnectionSender(config(endpoint(), null, fastRetry())));
    assertEquals(400, r.response.get().getStatusCode());
    assertEquals(
        "status 400", new String(r.response.get().getResponseBody(), StandardCharsets.UTF_8));
    assertEquals(1, requests.get());
  }

  @Test
  void neverOffersTheApplicationsCredentials() {
    statuses = new int[] {401};
    AtomicInteger asked = new AtomicInteger();
    Authenticator.setDefault(
        new Authenticator() {
          @Override
          protected PasswordAuthentication getPasswordAuthentication() {
            asked.incrementAndGet();
            return new PasswordAuthentication("app-user", "app-secret".toCharArray());
          }
        });
    try {
      Result r = send(new UrlConnectionSender(config(endpoint(), null, null)));
      assertEquals(401, r.response.get().getStatusCode());
      assertEquals(0, asked.get());
      assertEquals(1, requests.get());
    } finally {
      Authenticator.setDefault(null);
    }
  }

  @Test
  void aRefusedConnectionIsRetriedThenReported() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result r =
        send(
            new UrlConnectionSender(
                config(URI.create("http://127.0.0.1:" + port + "/v1/traces"), null, fastRetry())));
    assertNull(r.response.get());
    assertTrue(r.error.get() instanceof ConnectException, String.valueOf(r.error.get()));
  }

  @Test
  void tlsAndProxiesGoToTheOpenTelemetrySender() {
    UrlConnectionSenderProvider p = new UrlConnectionSenderProvider();
    assertTrue(p.createSender(config(endpoint(), null, null)) instanceof UrlConnectionSender);
    HttpSender https =
        p.createSender(config(URI.create("https://127.0.0.1:4318/v1/traces"), null, null));
    assertEquals("JdkHttpSender", https.getClass().getSimpleName());
    https.shutdown();
  }

  private static RetryPolicy fastRetry() {
    return RetryPolicy.builder()
        .setMaxAttempts(3)
        .setInitialBackoff(Duration.ofMillis(5))
        .setMaxBackoff(Duration.ofMillis(20))
        .build();
  }

  private static HttpSenderConfig config(URI endpoint, Compressor compressor, RetryPolicy retry) {
    return new HttpSenderConfig() {
      @Override
      public URI getEndpoint() {
        return endpoint;
      }

      @Override
      public String getContentType() {
        return "application/x-protobuf";
      }

      @Override
      public Compressor getCompressor() {
        return compressor;
      }

      @Override
      public Duration getTimeout() {
        return Duration.ofSeconds(10);
      }

      @Override
      public Duration getConnectTimeout() {
        return Duration.ofSeconds(10);
      }

      @Override
      public Supplier<Map<String, List<String>>> getHeadersSupplier() {
        return () -> Map.of("X-Team", List.of("blue"));
      }

      @Override
      public ProxyOptions getProxyOptions() {
        return null;
      }

      @Override
      public RetryPolicy getRetryPolicy() {
        return retry;
      }

      @Override
      public SSLContext getSslContext() {
        return null;
      }

      @Override
      public X509TrustManager getTrustManager() {
        return null;
      }

      @Override
      public ExecutorService getExecutorService() {
        return null;
      }
    };
  }
}
