package io.tdsagent.agent.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.List;
import java.util.Map;
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

  /** Every attribute of a plan's map onto a span builder, each with its OpenTelemetry type. */
  void putAll(SpanBuilder b, Map<String, Object> attributes) {
    // forEach: a plan's map walks its arrays without an entry object per attribute
    attributes.forEach(
        (name, v) -> {
          AttributeKey<Object> k = key(name, v);
          if (k != null) {
            b.setAttribute(k, value(v));
          }
        });
  }

  /** The same onto an attributes builder (span events, metrics). */
  void putAll(AttributesBuilder b, Map<String, Object> attributes) {
    attributes.forEach(
        (name, v) -> {
          AttributeKey<Object> k = key(name, v);
          if (k != null) {
            b.put(k, value(v));
          }
        });
  }

  /**
   * The key a plain value maps to: String, boolean, long (any integral number), double (other
   * numbers), string array (a list), else its text; null (left out) for a null value. The value to
   * go with it is {@link #value}: the key's type and the value's match by construction, which the
   * compiler cannot see.
   */
  @SuppressWarnings("unchecked")
  private AttributeKey<Object> key(String name, Object v) {
    AttributeKey<?> k;
    if (v instanceof String) {
      k = key(strings, name, AttributeKey::stringKey);
    } else if (v instanceof Boolean) {
      k = key(booleans, name, AttributeKey::booleanKey);
    } else if (v instanceof Long
        || v instanceof Integer
        || v instanceof Short
        || v instanceof Byte) {
      k = key(longs, name, AttributeKey::longKey);
    } else if (v instanceof Number) {
      k = key(doubles, name, AttributeKey::doubleKey);
    } else if (v instanceof List) {
      k = key(stringArrays, name, AttributeKey::stringArrayKey);
    } else if (v != null) {
      k = key(strings, name, AttributeKey::stringKey);
    } else {
      k = null;
    }
    return (AttributeKey<Object>) k;
  }

  private static Object value(Object v) {
    if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Number) {
      return ((Number) v).doubleValue();
    }
    if (v instanceof List) {
      return strings((List<?>) v);
    }
    return String.valueOf(v);
  }

  /**
   * A list of strings as it is: plans never change once built, so nothing changes it under the SDK,
   * and the copy (a login's TLS span carries the client's 30-odd cipher suites) is saved. Other
   * elements become their text, in a new list.
   */
  @SuppressWarnings("unchecked")
  private static List<String> strings(List<?> list) {
    boolean allStrings = true;
    for (int i = 0, n = list.size(); i < n && allStrings; i++) {
      allStrings = list.get(i) instanceof String;
    }
    if (allStrings) {
      return (List<String>) list;
    }
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
