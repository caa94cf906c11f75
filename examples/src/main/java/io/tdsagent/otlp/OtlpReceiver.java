package io.tdsagent.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;

/**
 * An in-process OTLP/HTTP receiver for traces, for tests and demos.
 *
 * <p>Listens on 127.0.0.1 with the JDK's {@link HttpServer} (its {@link HttpsServer} from {@link
 * #startTls}). {@code POST /v1/traces} accepts {@code application/x-protobuf} (optionally {@code
 * Content-Encoding: gzip}) and, when {@code com.google.protobuf.util.JsonFormat}
 * (protobuf-java-util) is on the class path, OTLP/JSON ({@code application/json}); without it JSON
 * gets 415. Successful exports answer 200 with an empty {@code ExportTraceServiceResponse} in the
 * request's format. {@code POST /v1/metrics} in protobuf is decoded and kept ({@link #metrics()});
 * metrics in JSON and {@code /v1/logs} are accepted and ignored. Everything else: 404 (unknown
 * path), 405 (not POST), 415 (unsupported media type or content coding), 400 (undecodable body).
 *
 * <pre>{@code
 * try (OtlpReceiver receiver = OtlpReceiver.start(0)) {
 *   // ... run something with OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint()
 *   List<ReceivedSpan> spans = receiver.awaitSpans(s -> s.size() >= 5, Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>All methods are thread-safe.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** Path of the OTLP/HTTP trace export. */
  public static final String TRACES_PATH = "/v1/traces";

  private static final long MAX_BODY_BYTES = 64L << 20;
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final HttpServer server;
  private final boolean tls;
  private final ExecutorService executor;
  private final Object lock = new Object();
  private final Object listenerLock = new Object();
  private final List<Consumer<List<ReceivedSpan>>> listeners = new CopyOnWriteArrayList<>();

  // Guarded by lock.
  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final List<ExportTraceServiceRequest> requests = new ArrayList<>();
  private final List<ExportMetricsServiceRequest> metrics = new ArrayList<>();
  private final List<String> failures = new ArrayList<>();
  private int requestCount;
  private int traceExportCount;
  private long version;
  private boolean closed;

  private OtlpReceiver(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
    this.tls = server instanceof HttpsServer;
  }

  /**
   * Starts a receiver on 127.0.0.1.
   *
   * @param port the port, 0 for an ephemeral one
   */
  public static OtlpReceiver start(int port) {
    return start(port, null);
  }

  /**
   * Starts a receiver on 127.0.0.1 that takes OTLP over HTTPS with {@code tls}'s key (its endpoint
   * is then {@code https://127.0.0.1:PORT}).
   *
   * @param port the port, 0 for an ephemeral one
   */
  public static OtlpReceiver startTls(int port, SSLContext tls) {
    return start(port, tls);
  }

  private static OtlpReceiver start(int port, SSLContext tls) {
    int id = INSTANCES.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, "otlp-receiver-" + id + "-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    ExecutorService executor = Executors.newFixedThreadPool(4, tf);
    HttpServer server;
    try {
      InetAddress loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
      if (tls == null) {
        server = HttpServer.create(new InetSocketAddress(loopback, port), 64);
      } else {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(loopback, port), 64);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        server = https;
      }
    } catch (IOException e) {
      executor.shutdownNow();
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
    OtlpReceiver receiver = new OtlpReceiver(server, executor);
    server.createContext("/", receiver::handle);
    server.setExecutor(executor);
    server.start();
    return receiver;
  }

  /** The port actually listened on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * {@code http://127.0.0.1:PORT} ({@code https://} when started with TLS): the value for {@code
   * OTEL_EXPORTER_OTLP_ENDPOINT}.
   */
  public String endpoint() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + port();
  }

  /**
   * {@code http://127.0.0.1:PORT/v1/traces}: the value for {@code
   * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}.
   */
  public String tracesEndpoint() {
    return endpoint() + TRACES_PATH;
  }

  /** True when OTLP/JSON requests can be decoded (protobuf-java-util is on the class path). */
  public static boolean jsonSupported() {
    return Json.AVAILABLE;
  }

  // --- received data ---------------------------------------------------------------------------

  /** A snapshot of all spans received so far, in arrival order. */
  public List<ReceivedSpan> spans() {
    synchronized (lock) {
      return List.copyOf(spans);
    }
  }

  /** A snapshot of the decoded trace export requests, in arrival order. */
  public List<ExportTraceServiceRequest> requests() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  /** A snapshot of the decoded metric export requests (protobuf), in arrival order. */
  public List<ExportMetricsServiceRequest> metrics() {
    synchronized (lock) {
      return List.copyOf(metrics);
    }
  }

  /**
   * Waits until {@code until} holds for the metric export requests received so far and returns that
   * snapshot.
   *
   * @throws AssertionError on timeout, with a dump of everything received
   */
  public List<ExportMetricsServiceRequest> awaitMetrics(
      Predicate<List<ExportMetricsServiceRequest>> until, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (!until.test(List.copyOf(metrics))) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new AssertionError(
              metrics.size() + " metric export(s) in " + timeout + "; " + dump());
        }
        try {
          lock.wait(Math.max(1, remaining / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted while waiting for metrics", e);
        }
      }
      return List.copyOf(metrics);
    }
  }

  /** HTTP requests received on any path, whatever their outcome. */
  public int requestCount() {
    synchronized (lock) {
      return requestCount;
    }
  }

  /** Trace export requests accepted (decoded and answered 200). */
  public int traceExportCount() {
    synchronized (lock) {
      return traceExportCount;
    }
  }

  /** Descriptions of rejected requests (status code and reason), in arrival order. */
  public List<String> failures() {
    synchronized (lock) {
      return List.copyOf(failures);
    }
  }

  /** Forgets everything received so far and resets the counters. */
  public void clear() {
    synchronized (lock) {
      spans.clear();
      requests.clear();
      metrics.clear();
      failures.clear();
      requestCount = 0;
      traceExportCount = 0;
      version++;
      lock.notifyAll();
    }
  }

  /**
   * Calls {@code listener} with the spans of every accepted trace export, on a receiver thread,
   * after they are stored and before the export is answered. Calls are serialized (one batch at a
   * time, across all listeners); batches of one sender that waits for each answer arrive in order.
   * A listener's exception is printed and does not fail the export; a slow listener delays the
   * answer.
   */
  public OtlpReceiver onBatch(Consumer<List<ReceivedSpan>> listener) {
    listeners.add(listener);
    return this;
  }

  /** Removes a listener added with {@link #onBatch}. */
  public void removeListener(Consumer<List<ReceivedSpan>> listener) {
    listeners.remove(listener);
  }

  /**
   * Waits until {@code until} holds for the spans received so far and returns that snapshot.
   *
   * @throws AssertionError on timeout, with a dump of everything received
   */
  public List<ReceivedSpan> awaitSpans(Predicate<List<ReceivedSpan>> until, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long seen;
      List<ReceivedSpan> snapshot;
      synchronized (lock) {
        seen = version;
        snapshot = List.copyOf(spans);
      }
      if (until.test(snapshot)) {
        return snapshot;
      }
      synchronized (lock) {
        while (version == seen) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            throw new AssertionError(timeoutMessage(timeout));
          }
          try {
            // wait(ms, ns) rounds to ms; wait at least 1 ms to avoid a busy loop.
            lock.wait(Math.max(1, remaining / 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for spans", e);
          }
        }
      }
    }
  }

  /** Waits until at least {@code count} spans arrived. */
  public List<ReceivedSpan> awaitSpans(int count, Duration timeout) {
    return awaitSpans(s -> s.size() >= count, timeout);
  }

  /** Waits until a span with this name arrived, and returns the first one. */
  public ReceivedSpan awaitSpan(String name, Duration timeout) {
    List<ReceivedSpan> s =
        awaitSpans(l -> l.stream().anyMatch(x -> x.name().equals(name)), timeout);
    return s.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
  }

  /** A multi-line dump of what arrived: counts, failures and one line per span. */
  public String dump() {
    synchronized (lock) {
      StringBuilder sb = new StringBuilder();
      sb.append(spans.size())
          .append(" span(s) in ")
          .append(traceExportCount)
          .append(" trace export(s); ")
          .append(requestCount)
          .append(" HTTP request(s) on ")
          .append(closed ? "(closed) " : "")
          .append(endpointOrUnknown());
      if (!failures.isEmpty()) {
        sb.append("\nrejected requests:");
        for (String f : failures) {
          sb.append("\n  ").append(f);
        }
      }
      if (!spans.isEmpty()) {
        sb.append("\nspans:");
        for (ReceivedSpan s : spans) {
          sb.append("\n  ").append(s.describe());
        }
      }
      return sb.toString();
    }
  }

  private String timeoutMessage(Duration timeout) {
    return "no matching spans after " + timeout.toMillis() + " ms; received " + dump();
  }

  private String endpointOrUnknown() {
    try {
      return endpoint();
    } catch (RuntimeException e) {
      return "?";
    }
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    server.stop(0);
    executor.shutdownNow();
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private enum Format {
    PROTOBUF,
    JSON
  }

  /**
   * Calls the listeners one batch at a time, before the export is answered: a sender that waits for
   * each response (as the SDK's exporters do) sees its batches delivered in order.
   */
  private void notifyListeners(List<ReceivedSpan> batch) {
    synchronized (listenerLock) {
      for (Consumer<List<ReceivedSpan>> listener : listeners) {
        try {
          listener.accept(batch);
        } catch (RuntimeException | Error e) {
          System.err.println("OtlpReceiver listener failed: " + e);
          e.printStackTrace();
        }
      }
    }
  }

  /** Answers one request. */
  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      synchronized (lock) {
        requestCount++;
      }
      String path = exchange.getRequestURI().getPath();
      boolean traces = TRACES_PATH.equals(path);
      if (!traces && !"/v1/metrics".equals(path) && !"/v1/logs".equals(path)) {
        reject(
            exchange,
            404,
            "no such path: "
                + path
                + (path.startsWith("/opentelemetry.proto.collector.")
                    ? " (that is OTLP/gRPC: this receiver speaks OTLP/HTTP, set"
                        + " OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf)"
                    : ""));
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        reject(exchange, 405, exchange.getRequestMethod() + " " + path);
        return;
      }
      String contentType = mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
      Format format;
      if (contentType.equals("application/x-protobuf")
          || contentType.equals("application/protobuf")) {
        format = Format.PROTOBUF;
      } else if (contentType.equals("application/json") && Json.AVAILABLE) {
        format = Format.JSON;
      } else {
        reject(
            exchange,
            415,
            "unsupported Content-Type '"
                + contentType
                + "' on "
                + path
                + (contentType.equals("application/json")
                    ? " (OTLP/JSON needs com.google.protobuf:protobuf-java-util on the class path)"
                    : ""));
        return;
      }
      String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
      encoding = encoding == null ? "identity" : encoding.trim().toLowerCase(Locale.ROOT);
      if (!encoding.equals("identity") && !encoding.equals("gzip") && !encoding.isEmpty()) {
        reject(exchange, 415, "unsupported Content-Encoding '" + encoding + "' on " + path);
        return;
      }
      byte[] body;
      try {
        body = readBody(exchange.getRequestBody(), encoding.equals("gzip"));
      } catch (IOException e) {
        reject(exchange, 400, "unreadable " + encoding + " body on " + path + ": " + e);
        return;
      }
      if ("/v1/metrics".equals(path) && format == Format.PROTOBUF) {
        ExportMetricsServiceRequest m;
        try {
          m = ExportMetricsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException e) {
          reject(exchange, 400, "undecodable ExportMetricsServiceRequest: " + e.getMessage());
          return;
        }
        synchronized (lock) {
          metrics.add(m);
          version++;
          lock.notifyAll();
        }
        respondOk(exchange, format, ExportMetricsServiceResponse.getDefaultInstance());
        return;
      }
      if (!traces) {
        // Logs, and metrics in JSON: accepted and ignored.
        respondOk(exchange, format, null);
        return;
      }
      ExportTraceServiceRequest request;
      try {
        request =
            format == Format.PROTOBUF
                ? ExportTraceServiceRequest.parseFrom(body)
                : Json.parseTraceRequest(new String(body, StandardCharsets.UTF_8));
      } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
        reject(
            exchange,
            400,
            "undecodable " + format + " ExportTraceServiceRequest: " + e.getMessage());
        return;
      }
      List<ReceivedSpan> batch = flatten(request);
      synchronized (lock) {
        requests.add(request);
        spans.addAll(batch);
        traceExportCount++;
        version++;
        lock.notifyAll();
      }
      notifyListeners(batch);
      respondOk(exchange, format, ExportTraceServiceResponse.getDefaultInstance());
    } catch (IOException | RuntimeException e) {
      // The client went away, or a bug: remember it for the dump; the exchange is closed above.
      recordFailure("error handling " + exchange.getRequestURI() + ": " + e);
      throw e;
    }
  }

  /** Flattens an export request into spans, in wire order. */
  public static List<ReceivedSpan> flatten(ExportTraceServiceRequest request) {
    List<ReceivedSpan> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          out.add(ReceivedSpan.fromProto(rs.getResource(), ss.getScope(), span));
        }
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int semi = contentType.indexOf(';');
    String type = semi < 0 ? contentType : contentType.substring(0, semi);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  private static byte[] readBody(InputStream in, boolean gzip) throws IOException {
    InputStream source = gzip ? new GZIPInputStream(in) : in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    long total = 0;
    int n;
    while ((n = source.read(buf)) != -1) {
      total += n;
      if (total > MAX_BODY_BYTES) {
        throw new IOException("body larger than " + MAX_BODY_BYTES + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private void respondOk(HttpExchange exchange, Format format, Message response)
      throws IOException {
    byte[] body;
    if (format == Format.JSON) {
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      body = response == null ? "{}".getBytes(StandardCharsets.UTF_8) : Json.print(response);
    } else {
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      body = response == null ? new byte[0] : response.toByteArray();
    }
    send(exchange, 200, body);
  }

  private void reject(HttpExchange exchange, int code, String reason) throws IOException {
    recordFailure(code + " " + reason);
    drain(exchange.getRequestBody());
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(exchange, code, reason.getBytes(StandardCharsets.UTF_8));
  }

  private void recordFailure(String description) {
    synchronized (lock) {
      failures.add(description);
      version++;
      lock.notifyAll();
    }
  }

  private static void drain(InputStream in) {
    try {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException ignored) {
      // Nothing to do: the response still goes out, and the exchange gets closed.
    }
  }

  private static void send(HttpExchange exchange, int code, byte[] body) throws IOException {
    // -1: no body (Content-length: 0). 0 would mean chunked.
    exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(body);
      }
    }
  }

  // --- OTLP/JSON, through protobuf-java-util's JsonFormat if present ---------------------------

  /**
   * Reflective access to {@code com.google.protobuf.util.JsonFormat}: no compile-time dependency.
   */
  static final class Json {
    static final boolean AVAILABLE;
    private static final Method PARSER;
    private static final Method IGNORING_UNKNOWN;
    private static final Method MERGE;
    private static final Method PRINTER;
    private static final Method PRINT;

    static {
      Method parser = null;
      Method ignoring = null;
      Method merge = null;
      Method printer = null;
      Method print = null;
      boolean ok;
      try {
        Class<?> jsonFormat =
            Class.forName(
                "com.google.protobuf.util.JsonFormat", false, OtlpReceiver.class.getClassLoader());
        parser = jsonFormat.getMethod("parser");
        Class<?> parserClass = parser.getReturnType();
        ignoring = parserClass.getMethod("ignoringUnknownFields");
        merge = parserClass.getMethod("merge", String.class, Message.Builder.class);
        printer = jsonFormat.getMethod("printer");
        print = printer.getReturnType().getMethod("print", MessageOrBuilder.class);
        ok = true;
      } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
        ok = false;
      }
      AVAILABLE = ok;
      PARSER = parser;
      IGNORING_UNKNOWN = ignoring;
      MERGE = merge;
      PRINTER = printer;
      PRINT = print;
    }

    // OTLP/JSON differs from the plain protobuf JSON mapping in one way that matters here: trace
    // and span ids are hex, not base64. A 32-char (trace) or 16-char (span) hex string can never be
    // a valid base64 id of the right length, so converting those, and only those, is unambiguous.
    private static final Pattern ID_FIELD =
        Pattern.compile(
            "\"(traceId|spanId|parentSpanId|trace_id|span_id|parent_span_id)\"(\\s*:\\s*)\"([0-9a-fA-F]*)\"");

    static ExportTraceServiceRequest parseTraceRequest(String json)
        throws InvalidProtocolBufferException {
      ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
      try {
        Object parser = IGNORING_UNKNOWN.invoke(PARSER.invoke(null));
        MERGE.invoke(parser, hexIdsToBase64(json), builder);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof InvalidProtocolBufferException ipbe) {
          throw ipbe;
        }
        throw new IllegalArgumentException(String.valueOf(cause), cause);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
      return builder.build();
    }

    static byte[] print(Message message) {
      try {
        return ((String) PRINT.invoke(PRINTER.invoke(null), message))
            .getBytes(StandardCharsets.UTF_8);
      } catch (InvocationTargetException | IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    static String hexIdsToBase64(String json) {
      Matcher m = ID_FIELD.matcher(json);
      StringBuilder sb = new StringBuilder(json.length());
      while (m.find()) {
        String field = m.group(1);
        String hex = m.group(3);
        boolean isTrace = field.startsWith("trace");
        String replacement;
        if (hex.length() == (isTrace ? 32 : 16)) {
          byte[] bytes = java.util.HexFormat.of().parseHex(hex);
          replacement =
              "\""
                  + field
                  + "\""
                  + m.group(2)
                  + "\""
                  + Base64.getEncoder().encodeToString(bytes)
                  + "\"";
        } else {
          replacement = m.group();
        }
        m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(sb);
      return sb.toString();
    }
  }
}
