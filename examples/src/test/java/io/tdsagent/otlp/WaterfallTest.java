package io.tdsagent.otlp;

import static io.tdsagent.otlp.TracesTest.T1;
import static io.tdsagent.otlp.TracesTest.T2;
import static io.tdsagent.otlp.TracesTest.span;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WaterfallTest {

  /**
   * A login, given out of order: root 0-20 ms, zero-length spans, a nested level, an ERROR child.
   */
  static List<ReceivedSpan> login() {
    return List.of(
        span(T1, 8, 1, "loginack", 20, 20),
        span(T1, 6, 4, "server hello", 3, 4),
        span(T1, 4, 1, "tls handshake", 2, 12, "UNSET", "", Map.of("tls.protocol.version", "1.2")),
        span(T1, 7, 1, "login7", 12, 13, "ERROR", "Login failed", Map.of("error.type", "18456")),
        span(T1, 2, 1, "tcp connect", 0, 1),
        span(T1, 5, 4, "client hello", 2, 2),
        span(T1, 3, 1, "prelogin", 1, 2),
        span(
            T1,
            1,
            0,
            "SQL Server login",
            0,
            20,
            "ERROR",
            "Login failed for user 'sa'.",
            Map.of("server.port", 14333L)));
  }

  @Test
  void rendersATreeExactly() {
    Waterfall waterfall =
        Waterfall.builder()
            .width(64)
            .attributeKeys("server.port", "tls.protocol.version", "error.type")
            .build();

    // 16 label columns, a 37-column bar for 20 ms (1.85 columns/ms, ends rounded), 7 for durations.
    assertEquals(
        """
        SQL Server login  ERROR  Login failed for user 'sa'.     20.0 ms
            server.port=14333
          tcp connect    |██                                   |  1.0 ms
          prelogin       |  ██                                 |  1.0 ms
          tls handshake  |    ██████████████████               | 10.0 ms
              tls.protocol.version=1.2
            client hello |    █                                |  0.0 ms
            server hello |      █                              |  1.0 ms
          login7         |                      ██             |  1.0 ms
              ERROR Login failed  error.type=18456
          loginack       |                                    █|  0.0 ms
        """,
        waterfall.render(login()));
  }

  @Test
  void asciiTruncatesLongSummariesAndNames() {
    List<ReceivedSpan> spans =
        List.of(
            span(
                T1,
                1,
                0,
                "login",
                0,
                8,
                "ERROR",
                "Login failed for user 'sa'. Reason: password did not match",
                Map.of()),
            span(T1, 2, 1, "a very long span name that will not fit", 0, 4),
            span(T1, 3, 1, "x", 4, 8));

    // Labels are capped at 2/5 of the width: 20 columns, leaving a 20-column bar.
    assertEquals(
        """
        login  ERROR  Login failed for user 'sa...  8.0 ms
          a very long spa... |##########          | 4.0 ms
          x                  |          ##########| 4.0 ms
        """,
        Waterfall.builder().width(50).ascii(true).build().render(spans));
  }

  @Test
  void defaultsAreOneHundredColumnsAndTreesAreSeparatedByABlankLine() {
    List<ReceivedSpan> spans =
        List.of(
            span(T2, 2, 0, "r2", 2, 3, "OK", "", Map.of()),
            span(T2, 3, 2, "c", 2, 3),
            span(T1, 1, 0, "r1", 0, 1));

    String expected =
        "r1  UNSET"
            + " ".repeat(100 - 9 - 6)
            + "1.0 ms\n"
            + "\n"
            + "r2  OK"
            + " ".repeat(100 - 6 - 6)
            + "1.0 ms\n"
            + "  c |"
            + "\u2588".repeat(100 - 3 - 6 - 4)
            + "| 1.0 ms\n";
    assertEquals(expected, Waterfall.defaults().render(spans));
    assertEquals(expected, Waterfall.defaults().render(Traces.of(spans)));
  }

  @Test
  void zeroLengthTreesStillShowMarks() {
    List<ReceivedSpan> spans = List.of(span(T1, 1, 0, "root", 5, 5), span(T1, 2, 1, "child", 5, 5));
    assertEquals(
        """
        root  UNSET                       0.0 ms
          child |#                      | 0.0 ms
        """,
        Waterfall.builder().width(40).ascii(true).build().render(spans));
  }

  @Test
  void theWindowWidensToChildrenOutsideTheRoot() {
    // Clock skew: the child starts 1 ms before its parent. Window 0-3 ms over 23 columns.
    List<ReceivedSpan> spans = List.of(span(T1, 1, 0, "root", 1, 3), span(T1, 2, 1, "early", 0, 2));
    assertEquals(
        """
        root  UNSET                       2.0 ms
          early |###############        | 2.0 ms
        """,
        Waterfall.builder().width(40).ascii(true).build().render(spans));
  }

  @Test
  void summariesArePluggable() {
    Traces traces = Traces.of(login());
    ReceivedSpan root = traces.roots().get(0);
    Waterfall custom =
        Waterfall.builder()
            .width(40)
            .ascii(true)
            .summary(s -> "login :" + s.longAttr("server.port"))
            .build();
    assertEquals(
        "login :14333                     20.0 ms",
        custom.render(traces, root).lines().findFirst().orElseThrow());
    assertEquals(
        "SQL Server login  server.port=14333  ERROR  Login failed for user 'sa'.",
        Waterfall.summaryWith("server.port", "db.namespace").apply(root));
    assertEquals(
        "tcp connect  UNSET",
        Waterfall.summaryWith("server.port").apply(traces.findFirst("tcp connect").orElseThrow()));
    assertEquals(
        "SQL Server login  ERROR  Login failed for user 'sa'.",
        Waterfall.defaultSummary().apply(root));
    // A subtree renders from the given span, which becomes the header line. 15 bar columns for
    // 10 ms: server hello's start (1 ms in) lands on column 1.5, rounded up to 2.
    ReceivedSpan tls = traces.findFirst("tls handshake").orElseThrow();
    assertEquals(
        """
        tls handshake  UNSET             10.0 ms
          client hello |#              |  0.0 ms
          server hello |  #            |  1.0 ms
        """,
        Waterfall.builder().width(40).ascii(true).build().render(traces, tls));
  }

  @Test
  void columnsRoundToNearestWithoutOverflow() {
    assertEquals(0, Waterfall.column(-5, 100, 10));
    assertEquals(0, Waterfall.column(4, 100, 10));
    assertEquals(1, Waterfall.column(5, 100, 10), "half rounds up");
    assertEquals(10, Waterfall.column(100, 100, 10));
    assertEquals(10, Waterfall.column(150, 100, 10));
    assertEquals(50, Waterfall.column(Long.MAX_VALUE / 2, Long.MAX_VALUE, 100));
    assertThrows(IllegalArgumentException.class, () -> Waterfall.builder().width(10));
  }
}
