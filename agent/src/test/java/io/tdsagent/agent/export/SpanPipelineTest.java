package io.tdsagent.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tdsagent.trace.SpanPlan;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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

  @Test
  void listsOfOtherValuesBecomeTheirTexts() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mixed", List.of("a", 7, true));
    assertEquals(
        List.of("a", "7", "true"),
        SpanPipeline.toAttributes(m).get(AttributeKey.stringArrayKey("mixed")));
  }

  /**
   * The sampler leaves a span out: its events' attributes are not even built (a value's text is
   * made only for a span that is recorded), and nothing reaches the exporter.
   */
  @Test
  void aSpanLeftOutBySamplingBuildsNoEventAttributes() {
    AtomicInteger texts = new AtomicInteger();
    Object value =
        new Object() {
          @Override
          public String toString() {
            texts.incrementAndGet();
            return "Changed database context to 'bench'.";
          }
        };
    SpanPlan plan =
        SpanPlan.builder("loginack", 1_000)
            .end(2_000)
            .attr("tds.version", "7.4")
            .event("tds.info", 1_500, Map.of("tds.message.text", value))
            .build();

    List<SpanData> off = emit(Sampler.alwaysOff(), plan);
    assertTrue(off.isEmpty());
    assertEquals(0, texts.get(), "event attributes were built for a span left out");

    List<SpanData> on = emit(Sampler.alwaysOn(), plan);
    assertEquals(1, on.size());
    assertEquals(1, texts.get());
    EventData event = on.get(0).getEvents().get(0);
    assertEquals("tds.info", event.getName());
    assertEquals(
        "Changed database context to 'bench'.",
        event.getAttributes().get(AttributeKey.stringKey("tds.message.text")));
    assertEquals("7.4", on.get(0).getAttributes().get(AttributeKey.stringKey("tds.version")));
  }

  private static List<SpanData> emit(Sampler sampler, SpanPlan plan) {
    List<SpanData> out = new CopyOnWriteArrayList<>();
    SpanExporter collect =
        new SpanExporter() {
          @Override
          public CompletableResultCode export(Collection<SpanData> spans) {
            out.addAll(spans);
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
          }

          @Override
          public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
          }
        };
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setSampler(sampler)
            .addSpanProcessor(SimpleSpanProcessor.create(collect))
            .build()) {
      SpanPipeline.get().emitWith(provider.get("test"), plan);
    }
    return out;
  }
}
