package io.tdsagent.otlp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Received spans grouped into trees: by trace id, then by parent.
 *
 * <p>A root is a span without a parent span id, or whose parent was not received (the tree is then
 * shown from the deepest span that did arrive). Children are ordered by start time, ties keeping
 * the order the spans were given in; trace ids and roots are likewise ordered by their earliest
 * start. Immutable: build a new one from a newer snapshot.
 */
public final class Traces {

  private final List<ReceivedSpan> spans;
  private final Map<String, List<ReceivedSpan>> byTrace;
  private final Map<String, List<ReceivedSpan>> children;
  private final Map<String, ReceivedSpan> byKey;
  private final List<ReceivedSpan> roots;

  private Traces(List<ReceivedSpan> input) {
    this.spans = List.copyOf(input);
    // Stable sort: equal start times keep the given (arrival) order.
    List<ReceivedSpan> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingLong(ReceivedSpan::startEpochNanos));

    Map<String, ReceivedSpan> keys = new HashMap<>();
    for (ReceivedSpan s : sorted) {
      keys.putIfAbsent(key(s.traceId(), s.spanId()), s);
    }
    Map<String, List<ReceivedSpan>> traceMap = new LinkedHashMap<>();
    Map<String, List<ReceivedSpan>> childMap = new HashMap<>();
    List<ReceivedSpan> rootList = new ArrayList<>();
    for (ReceivedSpan s : sorted) {
      traceMap.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
      String parentKey = key(s.traceId(), s.parentSpanId());
      if (s.parentSpanId().isEmpty() || !keys.containsKey(parentKey)) {
        rootList.add(s);
      } else {
        childMap.computeIfAbsent(parentKey, k -> new ArrayList<>()).add(s);
      }
    }
    traceMap.replaceAll((k, v) -> List.copyOf(v));
    childMap.replaceAll((k, v) -> List.copyOf(v));
    this.byTrace = Collections.unmodifiableMap(traceMap);
    this.children = childMap;
    this.byKey = keys;
    // Parent cycles (a broken sender) would leave spans unreachable from any root: promote the
    // earliest span of each such cycle to a root so that nothing received goes unseen.
    Set<String> reached = new HashSet<>();
    for (ReceivedSpan r : rootList) {
      reach(r, reached);
    }
    for (ReceivedSpan s : sorted) {
      if (!reached.contains(key(s.traceId(), s.spanId()))) {
        rootList.add(s);
        reach(s, reached);
      }
    }
    rootList.sort(Comparator.comparingLong(ReceivedSpan::startEpochNanos));
    this.roots = List.copyOf(rootList);
  }

  private void reach(ReceivedSpan span, Set<String> reached) {
    if (reached.add(key(span.traceId(), span.spanId()))) {
      for (ReceivedSpan c : childrenOf(span)) {
        reach(c, reached);
      }
    }
  }

  /** Groups these spans (e.g. {@link OtlpReceiver#spans()}). */
  public static Traces of(List<ReceivedSpan> spans) {
    return new Traces(spans);
  }

  /** All spans, in the order given. */
  public List<ReceivedSpan> spans() {
    return spans;
  }

  /** Trace ids, ordered by their earliest span start. */
  public List<String> traceIds() {
    return List.copyOf(byTrace.keySet());
  }

  /** The spans of one trace, ordered by start time (empty if unknown). */
  public List<ReceivedSpan> trace(String traceId) {
    return byTrace.getOrDefault(traceId, List.of());
  }

  /** The roots of all traces, ordered by start time. */
  public List<ReceivedSpan> roots() {
    return roots;
  }

  /** The roots of one trace, ordered by start time. */
  public List<ReceivedSpan> roots(String traceId) {
    return roots.stream().filter(r -> r.traceId().equals(traceId)).toList();
  }

  /** The direct children of {@code span}, ordered by start time. */
  public List<ReceivedSpan> childrenOf(ReceivedSpan span) {
    return children.getOrDefault(key(span.traceId(), span.spanId()), List.of());
  }

  /** The parent of {@code span}, if it was received. */
  public Optional<ReceivedSpan> parentOf(ReceivedSpan span) {
    if (span.parentSpanId().isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(byKey.get(key(span.traceId(), span.parentSpanId())));
  }

  /** The span with these ids, if received. */
  public Optional<ReceivedSpan> find(String traceId, String spanId) {
    return Optional.ofNullable(byKey.get(key(traceId, spanId)));
  }

  /** Every span with this name, ordered by start time. */
  public List<ReceivedSpan> findAll(String name) {
    List<ReceivedSpan> out = new ArrayList<>();
    for (List<ReceivedSpan> t : byTrace.values()) {
      for (ReceivedSpan s : t) {
        if (s.name().equals(name)) {
          out.add(s);
        }
      }
    }
    out.sort(Comparator.comparingLong(ReceivedSpan::startEpochNanos));
    return out;
  }

  /** The first span (by start time) with this name. */
  public Optional<ReceivedSpan> findFirst(String name) {
    List<ReceivedSpan> all = findAll(name);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  /** All descendants of {@code span}, depth first, each level ordered by start time. */
  public List<ReceivedSpan> descendantsOf(ReceivedSpan span) {
    List<ReceivedSpan> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    seen.add(key(span.traceId(), span.spanId()));
    collect(span, out, seen);
    return out;
  }

  /** Names of the direct children of {@code span}, in order: handy for assertions. */
  public List<String> childNames(ReceivedSpan span) {
    return childrenOf(span).stream().map(ReceivedSpan::name).toList();
  }

  private void collect(ReceivedSpan span, List<ReceivedSpan> out, Set<String> seen) {
    for (ReceivedSpan c : childrenOf(span)) {
      if (seen.add(key(c.traceId(), c.spanId()))) {
        out.add(c);
        collect(c, out, seen);
      }
    }
  }

  static String key(String traceId, String spanId) {
    return traceId + '/' + spanId;
  }
}
