package io.tdsagent.trace;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A plan's attributes: a few dozen names at most, in the order they were first set, in two arrays.
 * A {@link java.util.LinkedHashMap} spends an entry object (40 bytes) and a hash table on each, for
 * a map that is read once, in order, by the export thread; here a name is found by a scan, mostly
 * by identity (names are the agent's constants). {@link #forEach} walks the arrays without
 * allocating. Null names and values are not kept (plans leave nulls out).
 */
final class SmallMap extends AbstractMap<String, Object> {
  private String[] keys;
  private Object[] values;
  private int size;

  SmallMap() {
    this(8);
  }

  private SmallMap(int capacity) {
    keys = new String[capacity];
    values = new Object[capacity];
  }

  /** A copy, with room for a few more. */
  SmallMap(SmallMap from) {
    this(from.size + 4);
    System.arraycopy(from.keys, 0, keys, 0, from.size);
    System.arraycopy(from.values, 0, values, 0, from.size);
    size = from.size;
  }

  private int indexOf(Object key) {
    if (!(key instanceof String)) {
      return -1;
    }
    // One pass: the same constant, or an equal name (String caches its hash: a miss is cheap).
    int h = key.hashCode();
    for (int i = 0; i < size; i++) {
      String k = keys[i];
      if (k == key || (k.hashCode() == h && k.equals(key))) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Object get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  public Object put(String key, Object value) {
    if (key == null || value == null) {
      throw new NullPointerException("plans keep no null names or values");
    }
    int i = indexOf(key);
    if (i >= 0) {
      Object old = values[i];
      values[i] = value;
      return old;
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    keys[size] = key;
    values[size] = value;
    size++;
    return null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Object> action) {
    for (int i = 0; i < size; i++) {
      action.accept(keys[i], values[i]);
    }
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Entry<String, Object> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new SimpleImmutableEntry<>(keys[i], values[i]);
          }
        };
      }
    };
  }
}
