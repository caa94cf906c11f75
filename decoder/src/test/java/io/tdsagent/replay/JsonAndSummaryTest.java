package io.tdsagent.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tdsagent.testutil.MiniJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonAndSummaryTest {
    @Test
    void stringsRoundTripWithEscapes() {
        String nasty = "quote\" back\\slash /\n\r\t\b\f \u0000\u001f \u007f \u2028\u2029 \uD83D\uDE00 lone\uD800x \uDC00 é";
        StringBuilder sb = Json.string(new StringBuilder(), nasty);
        for (char c : sb.toString().toCharArray()) {
            assertEquals(false, c < 0x20, "raw control character in " + sb);
        }
        assertEquals(nasty, MiniJson.parse(sb.toString()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("k\"", List.of(1L, 2.5, true, "x"));
        m.put("n", null);
        m.put("nan", Double.NaN);
        assertEquals("{\"k\\\"\":[1,2.5,true,\"x\"],\"n\":null,\"nan\":null}", Json.value(new StringBuilder(), m).toString());
    }

    @Test
    void jsonLinesCarryTheSpan() {
        Span s = Span.builder("a".repeat(32), "b".repeat(16), "c".repeat(16), "SELECT t").time(5, 7).attr("x", 1)
                .attr("skip", null).error("boom").build();
        Map<String, Object> o = MiniJson.object(JsonLinesSink.line(s));
        assertEquals("SELECT t", o.get("name"));
        assertEquals(5L, o.get("startTimeUnixNano"));
        assertEquals(7L, o.get("endTimeUnixNano"));
        assertEquals("ERROR", o.get("status"));
        assertEquals("boom", o.get("statusMessage"));
        assertEquals(Map.of("x", 1L), o.get("attributes"));
        assertEquals("c".repeat(16), o.get("parentSpanId"));
    }

    @Test
    void summaries() {
        assertEquals("SELECT users", SqlSummary.summary("SELECT * FROM users WHERE id = 1"));
        assertEquals("SELECT dbo.users", SqlSummary.summary("  -- hi\n/* c */ select a, (select 1 from x) from [dbo].[users] u"));
        assertEquals("SELECT", SqlSummary.summary("SELECT @@VERSION"));
        assertEquals("SELECT", SqlSummary.summary("select 'from x' as f"));
        assertEquals("INSERT orders", SqlSummary.summary("insert into orders values (1)"));
        assertEquals("UPDATE orders", SqlSummary.summary("UPDATE orders SET a = 1"));
        assertEquals("DELETE orders", SqlSummary.summary("DELETE FROM orders"));
        assertEquals("EXEC sp_who", SqlSummary.summary("EXECUTE sp_who"));
        assertEquals("CREATE TABLE t1", SqlSummary.summary("create table t1 (a int)"));
        assertEquals("SET", SqlSummary.summary("set nocount on"));
        assertEquals("EXEC", SqlSummary.summary("exec @rc = x"));
        assertNull(SqlSummary.summary("   "));
        assertNull(SqlSummary.summary(null));
        assertEquals("WITH", SqlSummary.operation("WITH c AS (SELECT 1) SELECT * FROM c"));
    }
}
