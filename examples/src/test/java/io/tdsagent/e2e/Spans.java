package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.otlp.OtlpReceiver;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.otlp.Traces;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Finding spans among those the OTLP receiver got: login spans, the steps under them, the span a
 * server's close ended.
 */
final class Spans {
  static final String LOGIN = "SQL Server login";
  static final String CONNECTION = "SQL Server connection";

  private Spans() {}

  /**
   * Waits until at least {@code count} login spans are there, each with its tcp connect child;
   * returns all spans.
   */
  static List<ReceivedSpan> awaitWithTcpConnect(OtlpReceiver receiver, int count, Duration wait) {
    return receiver.awaitSpans(
        s -> {
          List<ReceivedSpan> ls = named(s, LOGIN);
          return ls.size() >= count
              && ls.stream()
                  .allMatch(
                      l ->
                          s.stream()
                              .anyMatch(
                                  c ->
                                      c.parentSpanId().equals(l.spanId())
                                          && c.name().equals("tcp connect")));
        },
        wait);
  }

  /** Waits until a login span is there; returns all spans. */
  static List<ReceivedSpan> awaitLogin(OtlpReceiver receiver, Duration wait) {
    return receiver.awaitSpans(s -> s.stream().anyMatch(x -> x.name().equals(LOGIN)), wait);
  }

  /** The first login span among {@code spans}. */
  static ReceivedSpan firstLogin(List<ReceivedSpan> spans) {
    return spans.stream().filter(x -> x.name().equals(LOGIN)).findFirst().orElseThrow();
  }

  /** The steps under {@code login} include {@code steps}. */
  static void assertHasSteps(List<ReceivedSpan> spans, ReceivedSpan login, String... steps) {
    List<String> children = Traces.of(spans).childNames(login);
    assertTrue(children.containsAll(List.of(steps)), children.toString());
  }

  /** Waits until a span matches {@code which}; returns the first that does. */
  static ReceivedSpan awaitFirst(
      OtlpReceiver receiver, Predicate<ReceivedSpan> which, Duration wait) {
    return receiver.awaitSpans(s -> s.stream().anyMatch(which), wait).stream()
        .filter(which)
        .findFirst()
        .orElseThrow();
  }

  /** The login spans among {@code spans}, in the order they started. */
  static List<ReceivedSpan> inStartOrder(List<ReceivedSpan> spans) {
    return spans.stream()
        .filter(x -> x.name().equals(LOGIN))
        .sorted(Comparator.comparingLong(ReceivedSpan::startEpochNanos))
        .collect(Collectors.toList());
  }

  /** The first child of {@code parent} named {@code name}. */
  static ReceivedSpan child(List<ReceivedSpan> spans, ReceivedSpan parent, String name) {
    return Traces.of(spans).childrenOf(parent).stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no child " + name + " under " + parent.describe()));
  }

  /** Waits until a span other than the connection span was ended by the server's close. */
  static List<ReceivedSpan> awaitEndedByServer(OtlpReceiver receiver, Duration wait) {
    return receiver.awaitSpans(all -> all.stream().anyMatch(Spans::isEndedByServer), wait);
  }

  /** The first span other than the connection span that the server's close ended. */
  static ReceivedSpan endedByServer(List<ReceivedSpan> spans) {
    return spans.stream().filter(Spans::isEndedByServer).findFirst().orElseThrow();
  }

  private static boolean isEndedByServer(ReceivedSpan x) {
    return !x.name().equals(CONNECTION)
        && "server".equals(x.stringAttr("tds.connection.closed_by"));
  }

  private static List<ReceivedSpan> named(List<ReceivedSpan> spans, String name) {
    return spans.stream().filter(x -> x.name().equals(name)).collect(Collectors.toList());
  }
}
