package io.tdsagent.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Typed OpenTelemetry attribute keys for the plans' plain {@code name -> value} maps, made once per
 * name and type rather than once per span (the export thread sets a dozen attributes per request).
 * The cache is bounded: names come from the agent's fixed vocabulary, but nothing relies on that.
 */
final class AttributeKeys {
  private static final int MAX = 1024;

  private final ConcurrentHashMap<String, AttributeKey<String>> strings = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AttributeKey<Long>> longs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AttributeKey<Boolean>> booleans =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AttributeKey<Double>> doubles = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AttributeKey<List<String>>> stringArrays =
      new ConcurrentHashMap<>();

  /** Where typed attributes go: a span builder, an attributes builder. */
  interface Target {
    <T> void put(AttributeKey<T> key, T value);
  }

  static Target of(SpanBuilder b) {
    return new Target() {
      @Override
      public <T> void put(AttributeKey<T> key, T value) {
        b.setAttribute(key, value);
      }
    };
  }

  static Target of(AttributesBuilder b) {
    return new Target() {
      @Override
      public <T> void put(AttributeKey<T> key, T value) {
        b.put(key, value);
      }
    };
  }

  /** One plain value as the OpenTelemetry type it maps to; null is left out. */
  void put(Target t, String name, Object v) {
    if (v instanceof String) {
      t.put(key(strings, name, AttributeKey::stringKey), (String) v);
    } else if (v instanceof Boolean) {
      t.put(key(booleans, name, AttributeKey::booleanKey), (Boolean) v);
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      t.put(key(longs, name, AttributeKey::longKey), ((Number) v).longValue());
    } else if (v instanceof Number) {
      t.put(key(doubles, name, AttributeKey::doubleKey), ((Number) v).doubleValue());
    } else if (v instanceof List) {
      t.put(key(stringArrays, name, AttributeKey::stringArrayKey), strings((List<?>) v));
    } else if (v != null) {
      t.put(key(strings, name, AttributeKey::stringKey), String.valueOf(v));
    }
  }

  private static List<String> strings(List<?> list) {
    String[] arr = new String[list.size()];
    for (int i = 0; i < arr.length; i++) {
      arr[i] = String.valueOf(list.get(i));
    }
    return List.of(arr);
  }

  private static <T> AttributeKey<T> key(
      ConcurrentHashMap<String, AttributeKey<T>> cache,
      String name,
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
