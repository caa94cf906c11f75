package io.tdsagent.replay;

import io.tdsagent.trace.LoginTraceBuilder;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The human view: one block per connection, written when its {@code SQL Server connection} span
 * (its last) arrives, each span a line with its summary, a bar placed on the connection's time
 * line, and its duration. A connection keeps at most {@link #MAX_SPANS} spans for display; the rest
 * are counted.
 */
public final class WaterfallSink implements SpanSink {
  static final int MAX_SPANS = 2000;
  private static final int BAR = 32;
  private static final int LABEL = 36;

  private final Writer out;

  /** Spans of the connections not closed yet, by connection. */
  private final Map<String, List<Span>> open = new HashMap<>();

  private final Map<String, Integer> dropped = new HashMap<>();

  public WaterfallSink(Writer out) {
    this.out = out;
  }

  @Override
  public void span(Span s) throws IOException {
    if (!(s.parentSpanId() == null && ReplayedConnection.CONNECTION_SPAN.equals(s.name()))) {
      List<Span> l = open.computeIfAbsent(s.connection(), k -> new ArrayList<>());
      if (l.size() < MAX_SPANS) {
        l.add(s);
      } else {
        dropped.merge(s.connection(), 1, Integer::sum);
      }
      return;
    }
    List<Span> spans = open.remove(s.connection());
    Integer more = dropped.remove(s.connection());
    write(s, spans != null ? spans : new ArrayList<>(), more != null ? more : 0);
  }

  @Override
  public void finish() throws IOException {
    out.flush();
  }

  /**
   * The connection's line, then each trace it made (login, requests, MARS sessions) with its spans
   * below.
   */
  private void write(Span connection, List<Span> spans, int more) throws IOException {
    Map<String, List<Span>> byParent = new LinkedHashMap<>();
    for (Span s : spans) {
      byParent.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
    }
    for (List<Span> l : byParent.values()) {
      l.sort(Comparator.comparingLong(Span::startNanos));
    }
    StringBuilder sb = new StringBuilder();
    sb.append(connection.name())
        .append("  ")
        .append(summary(connection))
        .append("  ")
        .append(duration(connection))
        .append('\n');
    long t0 = connection.startNanos();
    long total = Math.max(1, connection.endNanos() - t0);
    for (Span root : byParent.getOrDefault(null, List.of())) {
      tree(sb, root, byParent, 1, t0, total);
    }
    if (more > 0) {
      sb.append("  ... ").append(more).append(" more spans not shown\n");
    }
    sb.append('\n');
    out.write(sb.toString());
    out.flush();
  }

  private void tree(
      StringBuilder sb, Span s, Map<String, List<Span>> byParent, int depth, long t0, long total) {
    StringBuilder label = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      label.append("  ");
    }
    label.append(s.name());
    String l = label.length() > LABEL ? label.substring(0, LABEL - 3) + "..." : label.toString();
    sb.append(l);
    for (int i = l.length(); i < LABEL; i++) {
      sb.append(' ');
    }
    int from = (int) Math.min(BAR - 1, (s.startNanos() - t0) * BAR / total);
    int to = (int) Math.max(from + 1, Math.min(BAR, (s.endNanos() - t0) * BAR / total));
    sb.append(" |");
    for (int i = 0; i < BAR; i++) {
      sb.append(i >= from && i < to ? '#' : ' ');
    }
    sb.append("| ").append(String.format(Locale.ROOT, "%10s", duration(s)));
    String extra = summary(s);
    if (extra.isEmpty()) {
      extra = details(s);
    }
    if (!extra.isEmpty()) {
      sb.append("  ").append(extra);
    }
    sb.append('\n');
    for (Span c : byParent.getOrDefault(s.spanId(), List.of())) {
      tree(sb, c, byParent, depth + 1, t0, total);
    }
  }

  private static long eventTime(Span s, String name) {
    for (Span.Event e : s.events()) {
      if (e.name.equals(name)) {
        return e.timeNanos;
      }
    }
    return -1;
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1000.0) / 1000.0;
  }

  static String duration(Span s) {
    return String.format(Locale.ROOT, "%.1f ms", (s.endNanos() - s.startNanos()) / 1e6);
  }

  /** What the span's first line says besides its name. */
  static String summary(Span s) {
    Map<String, Object> a = s.attributes();
    switch (s.name()) {
      case ReplayedConnection.CONNECTION_SPAN:
        {
          StringBuilder b = new StringBuilder();
          b.append(a.get("client.address"))
              .append(':')
              .append(a.get("client.port"))
              .append(" -> ")
              .append(a.get("server.address"))
              .append(':')
              .append(a.get("server.port"));
          b.append("  closed by ").append(a.get("tds.tcp.close"));
          if (Boolean.TRUE.equals(a.get("tds.tcp.close_abnormal"))) {
            b.append(" (ABNORMAL");
            if (a.get("tds.tcp.close_reason") != null) {
              b.append(": ").append(a.get("tds.tcp.close_reason"));
            }
            b.append(')');
          }
          b.append("  requests=").append(a.get("tds.requests"));
          if (a.get("tds.smp.sessions") != null) {
            b.append("  mars sessions=").append(a.get("tds.smp.sessions"));
          }
          b.append("  captured on the ").append(a.get("tds.capture.side")).append(" side");
          if (a.get("tds.tcp.gaps") != null) {
            b.append("  gaps=")
                .append(a.get("tds.tcp.gaps"))
                .append(" (")
                .append(a.get("tds.tcp.gap_bytes"))
                .append(" bytes missing)");
          }
          if (a.get("tds.tcp.retransmissions") != null) {
            b.append("  retransmissions=").append(a.get("tds.tcp.retransmissions"));
          }
          if (Boolean.TRUE.equals(a.get("tds.joined_mid_session"))) {
            b.append("  (joined mid-session)");
          }
          if (a.get("tds.decode_error") != null) {
            b.append("\n  ! ").append(a.get("tds.decode_error"));
          }
          return b.toString();
        }
      case LoginTraceBuilder.LOGIN_SPAN:
        {
          StringBuilder b = new StringBuilder();
          if (a.get("db.user") != null) {
            b.append(a.get("db.user")).append('@');
          }
          b.append(a.get("server.address")).append(':').append(a.get("server.port"));
          if (a.get("db.namespace") != null) {
            b.append('/').append(a.get("db.namespace"));
          }
          String outcome = String.valueOf(a.get("tds.login.outcome"));
          b.append("  ")
              .append(outcome.equals("success") ? "OK" : outcome.toUpperCase(Locale.ROOT));
          if (s.isError()) {
            b.append(' ').append(a.getOrDefault("db.response.status_code", a.get("error.type")));
            if (a.get("tds.error.state") != null) {
              b.append(" state ").append(a.get("tds.error.state"));
            }
            if (s.statusMessage() != null) {
              b.append(" \"").append(s.statusMessage()).append('"');
            }
          }
          if (a.get("tds.server.product_version") != null) {
            b.append("  ")
                .append(a.get("tds.server.product"))
                .append(' ')
                .append(a.get("tds.server.product_version"));
          }
          if (a.get("tds.version") != null) {
            b.append("  TDS ").append(a.get("tds.version"));
          }
          if (a.get("tds.encryption.negotiated") != null) {
            b.append("  encryption ").append(a.get("tds.encryption.negotiated"));
          }
          return b.toString();
        }
      case "mars session":
        {
          long stalls =
              s.events().stream().filter(e -> e.name.equals("tds.smp.window_stall")).count();
          return "sid="
              + a.get("tds.smp.sid")
              + " requests="
              + a.get("tds.smp.requests")
              + (stalls > 0 ? " window stalls=" + stalls : "");
        }
      default:
        return "";
    }
  }

  /** Per-request details after the bar. */
  static String details(Span s) {
    Map<String, Object> a = s.attributes();
    StringBuilder b = new StringBuilder();
    if (a.get("db.response.returned_rows") != null) {
      b.append("rows=").append(a.get("db.response.returned_rows"));
    }
    // a request written in one go has no "sent" event: it was sent when the span started
    long sent =
        eventTime(s, "tds.request.sent") >= 0 ? eventTime(s, "tds.request.sent") : s.startNanos();
    long firstByte = eventTime(s, "tds.response.first_byte");
    long end = eventTime(s, "tds.response.end");
    if (sent >= 0 && firstByte >= 0) {
      b.append(b.length() > 0 ? "  " : "")
          .append("server ")
          .append(ms(firstByte - sent))
          .append(" ms");
    }
    if (firstByte >= 0 && end >= 0) {
      b.append(b.length() > 0 ? "  " : "")
          .append("transfer ")
          .append(ms(end - firstByte))
          .append(" ms");
    }
    if (s.isError() && !s.name().equals(LoginTraceBuilder.LOGIN_SPAN)) {
      b.append(b.length() > 0 ? "  " : "").append("ERROR ");
      if (a.get("db.response.status_code") != null) {
        b.append(a.get("db.response.status_code")).append(' ');
      }
      b.append(s.statusMessage() != null ? s.statusMessage() : "");
    }
    Object q = a.get("db.query.text");
    if (q != null) {
      String text = String.valueOf(q).replaceAll("\\s+", " ");
      b.append(b.length() > 0 ? "  " : "")
          .append(text.length() > 60 ? text.substring(0, 57) + "..." : text);
    }
    return b.toString();
  }
}
