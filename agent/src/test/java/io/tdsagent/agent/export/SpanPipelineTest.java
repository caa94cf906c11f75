package io.tdsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanPipelineTest {
  @Test
  void attributeValuesKeepTheirTypes() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("s", "text");
    m.put("i", 7);
    m.put("l", 8L);
    m.put("b", true);
    m.put("d", 1.5);
    m.put("list", List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"));
    Attributes a = SpanPipeline.toAttributes(m);
    assertEquals("text", a.get(AttributeKey.stringKey("s")));
    assertEquals(7L, a.get(AttributeKey.longKey("i")));
    assertEquals(8L, a.get(AttributeKey.longKey("l")));
    assertEquals(true, a.get(AttributeKey.booleanKey("b")));
    assertEquals(1.5, a.get(AttributeKey.doubleKey("d")));
    assertEquals(
        List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"),
        a.get(AttributeKey.stringArrayKey("list")));
    assertEquals(6, a.size());
  }
}
