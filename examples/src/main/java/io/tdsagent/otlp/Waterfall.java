package io.tdsagent.otlp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders trace trees as text waterfalls for a terminal:
 *
 * <pre>
 * SQL Server login  OK                                                                 18.4 ms
 *   tcp connect      |█                                                          |    0.6 ms
 *   prelogin         | ██                                                        |    0.9 ms
 *   tls handshake    |    ████████████████████████████████                       |    9.8 ms
 *       tls.protocol.version=TLSv1.2
 * </pre>
 *
 * <p>The first line of a tree is its root: a summary (see {@link Builder#summary}) and the root's
 * duration, right-aligned to the width. Every descendant gets a row: its name, indented two spaces
 * per level; a bar placed by its start offset and scaled by its duration within the tree's time
 * window (the root's, unless a descendant falls outside it); and its duration in milliseconds with
 * one decimal. Bar ends are rounded to the nearest column; a span shorter than a column, even of
 * zero length, still gets one mark. Under a span, an optional detail line shows the selected
 * attributes it has (see {@link Builder#attributeKeys}) and, for a descendant with status ERROR,
 * its status message.
 *
 * <p>Output is deterministic: "\n" line ends, {@link Locale#ROOT} number formatting, no trailing
 * spaces, every header and bar row exactly {@code width} columns unless names are too long to fit.
 * Instances are immutable and thread-safe.
 */
public final class Waterfall {

  /** Smallest bar, whatever the width. */
  static final int MIN_BAR = 10;

  private final int width;
  private final boolean ascii;
  private final List<String> attributeKeys;
  private final Function<ReceivedSpan, String> summary;

  private Waterfall(Builder b) {
    this.width = b.width;
    this.ascii = b.ascii;
    this.attributeKeys = List.copyOf(b.attributeKeys);
    this.summary = b.summary;
  }

  /** Default options: 100 columns, Unicode bars, no attribute lines, {@link #defaultSummary()}. */
  public static Waterfall defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Options, with defaults: {@code width(100)}, {@code ascii(false)}, no attribute keys. */
  public static final class Builder {
    private int width = 100;
    private boolean ascii;
    private List<String> attributeKeys = List.of();
    private Function<ReceivedSpan, String> summary = defaultSummary();

    private Builder() {}

    /** Total columns of the header and bar rows (default 100). */
    public Builder width(int columns) {
      if (columns < 20) {
        throw new IllegalArgumentException("width must be at least 20, got " + columns);
      }
      this.width = columns;
      return this;
    }

    /** Pure ASCII: {@code #} bars and {@code ...} instead of {@code █} and {@code …}. */
    public Builder ascii(boolean ascii) {
      this.ascii = ascii;
      return this;
    }

    /** Attributes to show, in this order, on a line under each span that has any of them. */
    public Builder attributeKeys(List<String> keys) {
      this.attributeKeys = List.copyOf(keys);
      return this;
    }

    /** Attributes to show, in this order, on a line under each span that has any of them. */
    public Builder attributeKeys(String... keys) {
      return attributeKeys(List.of(keys));
    }

    /** The root line's text (its duration is appended by the renderer). */
    public Builder summary(Function<ReceivedSpan, String> summary) {
      this.summary = Objects.requireNonNull(summary, "summary");
      return this;
    }

    public Waterfall build() {
      return new Waterfall(this);
    }
  }

  /**
   * The default root summary: name and status code, and for ERROR the status message: {@code "SQL
   * Server login OK"}, {@code "SQL Server login ERROR Login failed for user 'sa'."}.
   */
  public static Function<ReceivedSpan, String> defaultSummary() {
    return Waterfall::statusSummary;
  }

  /**
   * A root summary of the name, then {@code key=value} for each of these attributes the root has,
   * then the status as in {@link #defaultSummary()}: {@code "SQL Server login server.address=db1
   * db.namespace=demo OK"}.
   */
  public static Function<ReceivedSpan, String> summaryWith(String... keys) {
    List<String> list = List.of(keys);
    return span -> {
      String attrs =
          list.stream()
              .filter(span::hasAttr)
              .map(k -> k + "=" + formatValue(span.attr(k)))
              .collect(Collectors.joining(" "));
      String status = statusText(span);
      return attrs.isEmpty()
          ? span.name() + "  " + status
          : span.name() + "  " + attrs + "  " + status;
    };
  }

  private static String statusSummary(ReceivedSpan span) {
    return span.name() + "  " + statusText(span);
  }

  private static String statusText(ReceivedSpan span) {
    if (span.isError() && !span.statusMessage().isEmpty()) {
      return span.statusCode() + "  " + span.statusMessage();
    }
    return span.statusCode();
  }

  // --- rendering -------------------------------------------------------------------------------

  /** Renders every tree of these spans, ordered by start, separated by blank lines. */
  public String render(List<ReceivedSpan> spans) {
    return render(Traces.of(spans));
  }

  /** Renders every tree, ordered by start, separated by blank lines. */
  public String render(Traces traces) {
    StringBuilder sb = new StringBuilder();
    for (ReceivedSpan root : traces.roots()) {
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(render(traces, root));
    }
    return sb.toString();
  }

  /** Renders the tree under {@code root} (which need not be a root of {@code traces}). */
  public String render(Traces traces, ReceivedSpan root) {
    List<Row> rows = new ArrayList<>();
    walk(traces, root, 0, rows, Collections.newSetFromMap(new IdentityHashMap<>()));

    String ellipsis = ascii ? "..." : "\u2026";
    char mark = ascii ? '#' : '\u2588';

    // Time window: the root's, widened to whatever descendants fall outside it.
    long t0 = Long.MAX_VALUE;
    long t1 = Long.MIN_VALUE;
    int durWidth = 0;
    int labelWidth = 0;
    for (Row r : rows) {
      t0 = Math.min(t0, r.span.startEpochNanos());
      t1 = Math.max(t1, Math.max(r.span.startEpochNanos(), r.span.endEpochNanos()));
      durWidth = Math.max(durWidth, durationText(r.span).length());
      if (r.depth > 0) {
        labelWidth = Math.max(labelWidth, 2 * r.depth + r.span.name().length());
      }
    }
    long window = Math.max(1, t1 - t0);
    int maxLabel = Math.max(12, width * 2 / 5);
    labelWidth = Math.min(labelWidth, maxLabel);
    int bar = Math.max(MIN_BAR, width - labelWidth - durWidth - 4);

    StringBuilder sb = new StringBuilder();
    for (Row r : rows) {
      ReceivedSpan s = r.span;
      String dur = durationText(s);
      if (r.depth == 0) {
        String text = Objects.requireNonNullElse(summary.apply(s), s.name()).replace('\n', ' ');
        int room = Math.max(1, width - durWidth - 2);
        text = truncate(text, room, ellipsis);
        sb.append(text);
        sb.append(" ".repeat(Math.max(2, width - text.length() - dur.length())));
        sb.append(dur).append('\n');
      } else {
        String label = truncate("  ".repeat(r.depth) + s.name(), labelWidth, ellipsis);
        sb.append(pad(label, labelWidth)).append(" |");
        long start = s.startEpochNanos() - t0;
        long end = Math.max(s.startEpochNanos(), s.endEpochNanos()) - t0;
        int from = Math.min(column(start, window, bar), bar - 1);
        int to = Math.min(bar, Math.max(from + 1, column(end, window, bar)));
        for (int i = 0; i < bar; i++) {
          sb.append(i >= from && i < to ? mark : ' ');
        }
        sb.append("| ");
        sb.append(" ".repeat(durWidth - dur.length())).append(dur).append('\n');
      }
      String detail = detail(s, r.depth > 0);
      if (!detail.isEmpty()) {
        String indent = "  ".repeat(r.depth) + "    ";
        sb.append(truncate(indent + detail, Math.max(width, indent.length() + 8), ellipsis));
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  private record Row(ReceivedSpan span, int depth) {}

  private static void walk(
      Traces traces, ReceivedSpan span, int depth, List<Row> rows, Set<ReceivedSpan> seen) {
    if (!seen.add(span)) {
      return; // a parent cycle from a broken sender
    }
    rows.add(new Row(span, depth));
    for (ReceivedSpan child : traces.childrenOf(span)) {
      walk(traces, child, depth + 1, rows, seen);
    }
  }

  private String detail(ReceivedSpan span, boolean showError) {
    List<String> parts = new ArrayList<>();
    if (showError && span.isError()) {
      parts.add(span.statusMessage().isEmpty() ? "ERROR" : "ERROR " + span.statusMessage());
    }
    for (String key : attributeKeys) {
      if (span.hasAttr(key)) {
        parts.add(key + "=" + formatValue(span.attr(key)));
      }
    }
    return String.join("  ", parts).replace('\n', ' ');
  }

  /** Nearest column of an offset, {@code round(offset * bar / window)}, without overflow. */
  static int column(long offset, long window, int bar) {
    if (offset <= 0) {
      return 0;
    }
    if (offset >= window) {
      return bar;
    }
    try {
      long scaled = Math.addExact(Math.multiplyExact(offset, 2L * bar), window);
      return (int) (scaled / Math.multiplyExact(2L, window));
    } catch (ArithmeticException e) {
      return (int) Math.round((double) offset / window * bar);
    }
  }

  /** {@code "18.4 ms"}. */
  static String durationText(ReceivedSpan span) {
    return String.format(Locale.ROOT, "%.1f ms", span.durationNanos() / 1e6);
  }

  static String formatValue(Object v) {
    if (v instanceof List<?> list) {
      return list.stream().map(Waterfall::formatValue).collect(Collectors.joining(", ", "[", "]"));
    }
    if (v instanceof Map<?, ?> map) {
      return map.entrySet().stream()
          .map(e -> e.getKey() + "=" + formatValue(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(v);
  }

  private static String truncate(String s, int max, String ellipsis) {
    if (s.length() <= max) {
      return s;
    }
    if (max <= ellipsis.length()) {
      return s.substring(0, max);
    }
    return s.substring(0, max - ellipsis.length()) + ellipsis;
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }
}
