package io.tdsagent.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.testutil.MiniJson;
import io.tdsagent.trace.SpanPlan;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLinesTest {
  @Test
  void stringsRoundTripWithEscapes() {
    String nasty =
        "quote\" back\\slash /\n\r\t\b\f \u0000\u001f \u007f \u2028\u2029 \uD83D\uDE00 lone\uD800x \uDC00 é";
    StringBuilder sb = Json.string(new StringBuilder(), nasty);
    for (char c : sb.toString().toCharArray()) {
      assertEquals(false, c < 0x20, "raw control character in " + sb);
    }
    assertEquals(nasty, MiniJson.parse(sb.toString()));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("k\"", List.of(1L, 2.5, true, "x"));
    m.put("n", null);
    m.put("nan", Double.NaN);
    assertEquals(
        "{\"k\\\"\":[1,2.5,true,\"x\"],\"n\":null,\"nan\":null}",
        Json.value(new StringBuilder(), m).toString());
  }

  @Test
  void jsonLinesCarryTheSpan() {
    Span s =
        new Span(
            "a".repeat(32),
            "b".repeat(16),
            "c".repeat(16),
            SpanPlan.builder("SELECT t", 5)
                .end(7)
                .attr("x", 1)
                .attr("skip", null)
                .error("boom")
                .event("tds.response.end", 6, Map.of("n", 2))
                .build(),
            List.<String[]>of(new String[] {"d".repeat(32), "e".repeat(16)}),
            null);
    Map<String, Object> o = MiniJson.object(JsonLinesSink.line(s));
    assertEquals("SELECT t", o.get("name"));
    assertEquals(5L, o.get("startTimeUnixNano"));
    assertEquals(7L, o.get("endTimeUnixNano"));
    assertEquals("ERROR", o.get("status"));
    assertEquals("boom", o.get("statusMessage"));
    assertEquals(Map.of("x", 1L), o.get("attributes"));
    assertEquals("c".repeat(16), o.get("parentSpanId"));
    assertEquals(
        List.of(
            Map.of("name", "tds.response.end", "timeUnixNano", 6L, "attributes", Map.of("n", 2L))),
        o.get("events"));
    assertEquals(
        List.of(Map.of("traceId", "d".repeat(32), "spanId", "e".repeat(16))), o.get("links"));
  }
}
