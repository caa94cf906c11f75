package io.tdsagent.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed OpenTelemetry attribute keys for the plans' plain {@code name -> value} maps, made once per name and type
 * rather than once per span (the export thread sets a dozen attributes per request). The cache is bounded: names
 * come from the agent's fixed vocabulary, but nothing relies on that.
 */
final class AttributeKeys {
  private static final int MAX = 1024;

  private final ConcurrentHashMap<String, AttributeKey<String>> strings = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AttributeKey<Long>> longs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AttributeKey<Boolean>> booleans = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AttributeKey<Double>> doubles = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AttributeKey<List<String>>> stringArrays = new ConcurrentHashMap<>();

  void set(SpanBuilder b, String name, Object v) {
    if (v instanceof String) {
      b.setAttribute(key(strings, name, AttributeKey::stringKey), (String) v);
    } else if (v instanceof Boolean) {
      b.setAttribute(key(booleans, name, AttributeKey::booleanKey), (Boolean) v);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      b.setAttribute(key(longs, name, AttributeKey::longKey), ((Number) v).longValue());
    } else if (v instanceof Number) {
      b.setAttribute(key(doubles, name, AttributeKey::doubleKey), ((Number) v).doubleValue());
    } else if (v instanceof List) {
      b.setAttribute(key(stringArrays, name, AttributeKey::stringArrayKey), strings((List<?>) v));
    } else if (v != null) {
      b.setAttribute(key(strings, name, AttributeKey::stringKey), String.valueOf(v));
    }
  }

  void put(AttributesBuilder b, String name, Object v) {
    if (v instanceof String) {
      b.put(key(strings, name, AttributeKey::stringKey), (String) v);
    } else if (v instanceof Boolean) {
      b.put(key(booleans, name, AttributeKey::booleanKey), (Boolean) v);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      b.put(key(longs, name, AttributeKey::longKey), ((Number) v).longValue());
    } else if (v instanceof Number) {
      b.put(key(doubles, name, AttributeKey::doubleKey), ((Number) v).doubleValue());
    } else if (v instanceof List) {
      b.put(key(stringArrays, name, AttributeKey::stringArrayKey), strings((List<?>) v));
    } else if (v != null) {
      b.put(key(strings, name, AttributeKey::stringKey), String.valueOf(v));
    }
  }

  private static List<String> strings(List<?> list) {
    String[] arr = new String[list.size()];
    for (int i = 0; i < arr.length; i++) {
      arr[i] = String.valueOf(list.get(i));
    }
    return List.of(arr);
  }

  private static <T> AttributeKey<T> key(ConcurrentHashMap<String, AttributeKey<T>> cache, String name,
      java.util.function.Function<String, AttributeKey<T>> make) {
    AttributeKey<T> k = cache.get(name);
    if (k == null) {
      k = make.apply(name);
      if (cache.size() < MAX) {
        cache.putIfAbsent(name, k);
      }
    }
    return k;
  }
}
