package io.tdsagent.agent.tap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Values by the identity of a key that the table does not keep alive: the agent's per-channel
 * state, kept outside the driver's classes so that advice added to an already-loaded class (which
 * cannot gain fields) works like advice added when the class is defined.
 *
 * <p>Reads take no lock and allocate nothing (one volatile read when the table is empty, else a
 * hash, a bucket and its short chain); writes are rare (a channel's first and last packet) and take
 * the table's lock. Entries whose key was collected are dropped at the next write.
 */
public final class WeakIdentityTable<V> {
  private static final class Entry<V> extends WeakReference<Object> {
    final int hash;
    final V value;
    final Entry<V> next;

    Entry(Object key, int hash, V value, Entry<V> next, ReferenceQueue<Object> queue) {
      super(key, queue);
      this.hash = hash;
      this.value = value;
      this.next = next;
    }
  }

  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private volatile AtomicReferenceArray<Entry<V>> buckets = new AtomicReferenceArray<>(64);
  private volatile int size;

  boolean isEmpty() {
    return size == 0;
  }

  public int size() {
    return size;
  }

  public V get(Object key) {
    if (size == 0) {
      return null;
    }
    AtomicReferenceArray<Entry<V>> b = buckets;
    int h = System.identityHashCode(key);
    for (Entry<V> e = b.get(h & (b.length() - 1)); e != null; e = e.next) {
      if (e.hash == h && e.get() == key) {
        return e.value;
      }
    }
    return null;
  }

  /** The key's value, removed; null if there was none. */
  public synchronized V remove(Object key) {
    V v = get(key);
    if (v != null) {
      put(key, null);
    }
    return v;
  }

  /** Sets (or, with null, removes) the key's value. */
  public synchronized void put(Object key, V value) {
    expunge();
    int h = System.identityHashCode(key);
    unlink(key, h);
    if (value == null) {
      return;
    }
    AtomicReferenceArray<Entry<V>> b = buckets;
    if (size >= b.length() * 3 / 4) {
      b = grow(b);
    }
    int i = h & (b.length() - 1);
    b.set(i, new Entry<>(key, h, value, b.get(i), collected));
    size = size + 1;
  }

  /** Removes every entry and returns the values it held. */
  synchronized List<V> clear() {
    List<V> values = new ArrayList<>();
    AtomicReferenceArray<Entry<V>> b = buckets;
    for (int i = 0; i < b.length(); i++) {
      for (Entry<V> e = b.get(i); e != null; e = e.next) {
        if (e.get() != null) {
          values.add(e.value);
        }
      }
    }
    buckets = new AtomicReferenceArray<>(64);
    size = 0;
    while (collected.poll() != null) {
      // entries of the old table: nothing to unlink any more
    }
    return values;
  }

  /**
   * Removes the key's entry (or entries whose key was collected, with key null): copies the chain
   * before it.
   */
  private boolean unlink(Object key, int h) {
    AtomicReferenceArray<Entry<V>> b = buckets;
    int i = h & (b.length() - 1);
    Entry<V> head = b.get(i);
    for (Entry<V> e = head; e != null; e = e.next) {
      if (e.hash == h && e.get() == key) {
        b.set(i, without(head, e));
        return true;
      }
    }
    return false;
  }

  private void expunge() {
    Object ref;
    while ((ref = collected.poll()) != null) {
      @SuppressWarnings("unchecked")
      Entry<V> dead = (Entry<V>) ref;
      unlinkEntry(dead);
    }
  }

  private void unlinkEntry(Entry<V> dead) {
    AtomicReferenceArray<Entry<V>> b = buckets;
    int i = dead.hash & (b.length() - 1);
    Entry<V> head = b.get(i);
    for (Entry<V> e = head; e != null; e = e.next) {
      if (e == dead) {
        b.set(i, without(head, e));
        return;
      }
    }
  }

  /**
   * The chain from head without gone (and without entries whose key was collected): the entries
   * after it are shared, those before it copied, so a reader walking the old chain meanwhile still
   * sees a whole chain.
   */
  private Entry<V> without(Entry<V> head, Entry<V> gone) {
    Entry<V> rest = gone.next;
    size = size - 1;
    for (Entry<V> p = head; p != gone; p = p.next) {
      Object k = p.get();
      if (k == null) {
        size = size - 1;
      } else {
        rest = new Entry<>(k, p.hash, p.value, rest, collected);
      }
    }
    return rest;
  }

  private AtomicReferenceArray<Entry<V>> grow(AtomicReferenceArray<Entry<V>> old) {
    AtomicReferenceArray<Entry<V>> b = new AtomicReferenceArray<>(old.length() * 2);
    int live = 0;
    for (int i = 0; i < old.length(); i++) {
      for (Entry<V> e = old.get(i); e != null; e = e.next) {
        Object k = e.get();
        if (k != null) {
          int j = e.hash & (b.length() - 1);
          b.set(j, new Entry<>(k, e.hash, e.value, b.get(j), collected));
          live++;
        }
      }
    }
    buckets = b;
    size = live;
    return b;
  }
}
