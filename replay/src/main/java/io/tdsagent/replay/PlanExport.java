package io.tdsagent.replay;

import io.tdsagent.trace.SpanPlan;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Gives the shared model's span plans ids, as the agent's exporter does with the OpenTelemetry SDK:
 * a plan without a parent starts a trace, its children are its child spans, and a plan's link (a
 * request to its login) points at the span exported under that key. One per connection: links never
 * cross connections. Ids come from a seeded generator, so a replay of the same file gives the same
 * ids.
 */
final class PlanExport {
  private final SplittableRandom ids;
  private final String connection;
  private final Map<SpanPlan.LinkKey, String[]> exported = new IdentityHashMap<>();

  PlanExport(long seed, String connection) {
    this.ids = new SplittableRandom(seed);
    this.connection = connection;
  }

  /** The plan's spans, parents before their children. */
  List<Span> spans(SpanPlan plan) {
    List<Span> out = new ArrayList<>();
    String traceId = hex(nonZero()) + hex(ids.nextLong());
    String spanId = hex(nonZero());
    add(out, plan.resolve(), traceId, spanId, null);
    if (plan.linkKey() != null) {
      exported.put(plan.linkKey(), new String[] {traceId, spanId});
    }
    return out;
  }

  private void add(List<Span> out, SpanPlan p, String traceId, String spanId, String parentId) {
    List<String[]> links = new ArrayList<>(1);
    if (p.link() != null && exported.get(p.link()) != null) {
      links.add(exported.get(p.link()));
    }
    out.add(new Span(traceId, spanId, parentId, p, links, connection));
    for (SpanPlan child : p.children()) {
      add(out, child.resolve(), traceId, hex(nonZero()), spanId);
    }
  }

  private long nonZero() {
    long v;
    do {
      v = ids.nextLong();
    } while (v == 0);
    return v;
  }

  private static String hex(long v) {
    String h = Long.toHexString(v);
    return "0000000000000000".substring(h.length()) + h;
  }
}
