package io.tdsagent.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plan's attribute map behaves as the LinkedHashMap it replaces, for what plans do with it. */
class SmallMapTest {
  @Test
  void sameAsALinkedHashMap() {
    SmallMap m = new SmallMap();
    Map<String, Object> expected = new LinkedHashMap<>();
    for (int i = 0; i < 30; i++) { // past the first capacity, twice
      m.put("k" + i, (long) i);
      expected.put("k" + i, (long) i);
    }
    // replacing keeps the first position, also for a name equal but not the same string
    String k3 = new String("k3");
    assertEquals(3L, m.put(k3, "three"));
    expected.put(k3, "three");
    assertEquals(expected, m);
    assertEquals(m, expected);
    assertEquals(expected.hashCode(), m.hashCode());
    assertEquals(expected.toString(), m.toString());
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(m.keySet()));
    assertEquals("three", m.get(new String("k3")));
    assertTrue(m.containsKey("k29"));
    assertNull(m.get("k30"));
    assertFalse(m.containsKey(null));

    List<String> walked = new ArrayList<>();
    m.forEach((k, v) -> walked.add(k + "=" + v));
    List<String> expectedWalk = new ArrayList<>();
    expected.forEach((k, v) -> expectedWalk.add(k + "=" + v));
    assertEquals(expectedWalk, walked);
  }

  @Test
  void aCopyIsIndependent() {
    SmallMap a = new SmallMap();
    a.put("x", 1L);
    SmallMap b = new SmallMap(a);
    b.put("y", 2L);
    b.put("x", 3L);
    assertEquals(Map.of("x", 1L), a);
    assertEquals(Map.of("x", 3L, "y", 2L), b);
  }

  @Test
  void noNulls() {
    SmallMap m = new SmallMap();
    assertThrows(NullPointerException.class, () -> m.put(null, 1L));
    assertThrows(NullPointerException.class, () -> m.put("k", null));
  }
}
