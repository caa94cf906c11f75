package io.tdsagent.replay;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per span and line: ids, parent, name, epoch-nanosecond times, status, attributes,
 * events, links.
 */
public final class JsonLinesSink implements SpanSink {
  private final Writer out;

  public JsonLinesSink(Writer out) {
    this.out = out;
  }

  static String line(Span s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("traceId", s.traceId());
    m.put("spanId", s.spanId());
    m.put("parentSpanId", s.parentSpanId());
    m.put("name", s.name());
    m.put("kind", s.kind().name());
    m.put("startTimeUnixNano", s.startNanos());
    m.put("endTimeUnixNano", s.endNanos());
    m.put("durationMs", (s.endNanos() - s.startNanos()) / 1e6);
    m.put("status", s.isError() ? "ERROR" : "UNSET");
    if (s.statusMessage() != null) {
      m.put("statusMessage", s.statusMessage());
    }
    m.put("attributes", s.attributes());
    if (!s.events().isEmpty()) {
      List<Map<String, Object>> events = new ArrayList<>();
      for (Span.Event e : s.events()) {
        Map<String, Object> em = new LinkedHashMap<>();
        em.put("name", e.name);
        em.put("timeUnixNano", e.timeNanos);
        if (!e.attributes.isEmpty()) {
          em.put("attributes", e.attributes);
        }
        events.add(em);
      }
      m.put("events", events);
    }
    if (!s.links().isEmpty()) {
      List<Map<String, Object>> links = new ArrayList<>();
      for (String[] l : s.links()) {
        Map<String, Object> lm = new LinkedHashMap<>();
        lm.put("traceId", l[0]);
        lm.put("spanId", l[1]);
        links.add(lm);
      }
      m.put("links", links);
    }
    return Json.value(new StringBuilder(256), m).toString();
  }

  @Override
  public void span(Span span) throws IOException {
    out.write(line(span));
    out.write('\n');
  }

  @Override
  public void finish() throws IOException {
    out.flush();
  }
}
