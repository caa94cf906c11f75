package io.tdsagent.otlp;

import static io.tdsagent.otlp.Otlp.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracesTest {

  static final String T1 = Otlp.traceId(1);
  static final String T2 = Otlp.traceId(2);

  /** A span built directly (no wire): ids are short names turned into span ids. */
  static ReceivedSpan span(
      String trace, int id, int parent, String name, double startMs, double endMs) {
    return span(trace, id, parent, name, startMs, endMs, "UNSET", "", Map.of());
  }

  static ReceivedSpan span(
      String trace,
      int id,
      int parent,
      String name,
      double startMs,
      double endMs,
      String status,
      String message,
      Map<String, Object> attributes) {
    return new ReceivedSpan(
        trace,
        Otlp.spanId(id),
        parent == 0 ? "" : Otlp.spanId(parent),
        "",
        1,
        name,
        "INTERNAL",
        at(startMs),
        at(endMs),
        attributes,
        0,
        status,
        message,
        null,
        null,
        Map.of("service.name", "demo"),
        "io.tdsagent",
        "0.1.0");
  }

  static List<String> names(List<ReceivedSpan> spans) {
    return spans.stream().map(ReceivedSpan::name).toList();
  }

  @Test
  void groupsByTraceAndParentOrderingByStart() {
    Traces traces =
        Traces.of(
            List.of(
                span(T2, 20, 0, "second root", 50, 60),
                span(T1, 4, 1, "c", 3, 4),
                span(T1, 3, 1, "b-tie-1", 2, 3),
                span(T1, 5, 3, "b child", 2.5, 2.6),
                span(T1, 1, 0, "root", 0, 10),
                span(T1, 2, 1, "a", 1, 2),
                span(T1, 6, 1, "b-tie-2", 2, 2),
                span(T2, 21, 20, "x", 51, 52)));

    assertEquals(List.of(T1, T2), traces.traceIds());
    assertEquals(List.of("root", "second root"), names(traces.roots()));
    ReceivedSpan root = traces.roots().get(0);
    // Equal start times keep the given order.
    assertEquals(List.of("a", "b-tie-1", "b-tie-2", "c"), traces.childNames(root));
    ReceivedSpan b = traces.findFirst("b-tie-1").orElseThrow();
    assertEquals(List.of("b child"), traces.childNames(b));
    assertEquals(List.of(), traces.childrenOf(traces.findFirst("a").orElseThrow()));
    assertEquals(root, traces.parentOf(b).orElseThrow());
    assertTrue(traces.parentOf(root).isEmpty());
    assertEquals(
        List.of("a", "b-tie-1", "b child", "b-tie-2", "c"), names(traces.descendantsOf(root)));
    assertEquals(
        List.of("root", "a", "b-tie-1", "b-tie-2", "b child", "c"), names(traces.trace(T1)));
    assertEquals(List.of("second root"), names(traces.roots(T2)));
    assertEquals(b, traces.find(T1, Otlp.spanId(3)).orElseThrow());
    assertTrue(traces.find(T2, Otlp.spanId(3)).isEmpty(), "ids are per trace");
  }

  @Test
  void findAllAcrossTracesByStart() {
    Traces traces =
        Traces.of(
            List.of(
                span(T2, 1, 0, "login", 5, 6),
                span(T1, 1, 0, "login", 0, 1),
                span(T1, 2, 1, "tcp connect", 0, 1)));
    List<ReceivedSpan> logins = traces.findAll("login");
    assertEquals(List.of(T1, T2), logins.stream().map(ReceivedSpan::traceId).toList());
    assertEquals(List.of(), traces.findAll("nope"));
  }

  @Test
  void spansWhoseParentDidNotArriveAreRoots() {
    Traces traces =
        Traces.of(
            List.of(
                span(T1, 2, 1, "orphan", 1, 2),
                span(T1, 3, 2, "orphan child", 1.5, 1.6),
                span(T1, 4, 0, "real root", 0, 5)));
    assertEquals(List.of("real root", "orphan"), names(traces.roots()));
    assertEquals(
        List.of("orphan child"), traces.childNames(traces.findFirst("orphan").orElseThrow()));
  }

  @Test
  void parentCyclesStillShowEverySpan() {
    Traces traces =
        Traces.of(
            List.of(
                span(T1, 1, 2, "a", 0, 1),
                span(T1, 2, 1, "b", 1, 2),
                span(T1, 3, 3, "self", 3, 4)));
    assertEquals(List.of("a", "self"), names(traces.roots()));
    assertEquals(List.of("b"), names(traces.descendantsOf(traces.roots().get(0))));
    // The waterfall does not loop either.
    String text = Waterfall.builder().ascii(true).width(40).build().render(traces);
    assertTrue(text.contains("  b "), text);
  }
}
