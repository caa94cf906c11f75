package io.tdsagent.agent.tap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeakIdentityTableTest {
  /**
   * Equal but distinct keys (as two driver channels could be, were equals overridden) have their
   * own values.
   */
  @Test
  void keysAreComparedByIdentity() {
    WeakIdentityTable<String> t = new WeakIdentityTable<>();
    String a = new String("channel");
    String b = new String("channel");
    t.put(a, "A");
    t.put(b, "B");
    assertEquals("A", t.get(a));
    assertEquals("B", t.get(b));
    assertEquals(2, t.size());
    t.put(a, null);
    assertNull(t.get(a));
    assertEquals("B", t.get(b));
    assertEquals(1, t.size());
  }

  @Test
  void growsAndRemovesWithoutLosingEntries() {
    WeakIdentityTable<Integer> t = new WeakIdentityTable<>();
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      Object k = new Object();
      keys.add(k);
      t.put(k, i);
    }
    for (int i = 0; i < 5000; i += 2) {
      t.put(keys.get(i), null);
    }
    assertEquals(2500, t.size());
    for (int i = 0; i < 5000; i++) {
      assertEquals(i % 2 == 0 ? null : Integer.valueOf(i), t.get(keys.get(i)));
    }
    t.put(keys.get(1), -1);
    assertEquals(-1, t.get(keys.get(1)));
    assertEquals(2500, t.size());
    assertEquals(2500, t.clear().size());
    assertTrue(t.isEmpty());
    assertNull(t.get(keys.get(1)));
  }

  /** A channel the application dropped without closing it does not stay in the table. */
  @Test
  void entriesOfCollectedKeysGoAway() throws Exception {
    WeakIdentityTable<byte[]> t = new WeakIdentityTable<>();
    for (int i = 0; i < 100; i++) {
      t.put(new Object(), new byte[16]);
    }
    Object kept = new Object();
    for (int round = 0; round < 200 && t.size() > 1; round++) {
      System.gc();
      Thread.sleep(20);
      t.put(kept, new byte[1]); // a write expunges what was collected
    }
    assertEquals(1, t.size());
    assertSame(t.get(kept), t.get(kept));
  }
}
