package io.tdsagent.tds.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** MS-TDS 2.2.6.4 TDSVersion values, as the spans and the replay tool name them. */
class TdsVersionTest {
  @Test
  void knownVersionsAndTheRest() {
    assertEquals("7.0", TdsVersion.name(0x70000000));
    assertEquals("7.1", TdsVersion.name(0x71000000));
    assertEquals("7.1 rev 1", TdsVersion.name(0x71000001));
    assertEquals("7.2", TdsVersion.name(0x72090002));
    assertEquals("7.3A", TdsVersion.name(0x730A0003));
    assertEquals("7.3B", TdsVersion.name(0x730B0003));
    assertEquals("7.4", TdsVersion.name(0x74000004));
    assertEquals("8.0", TdsVersion.name(0x08000000));
    assertEquals("0x12345678", TdsVersion.name(0x12345678));
  }

  @Test
  void tds8IsNewerThan72AlthoughNumericallySmaller() {
    for (int v : new int[] {0x70000000, 0x71000000, 0x71000001, 0x07000000, 0x07010000}) {
      assertFalse(TdsVersion.atLeast72(v), TdsVersion.name(v));
    }
    for (int v : new int[] {0x72090002, 0x730A0003, 0x730B0003, 0x74000004, 0x08000000}) {
      assertTrue(TdsVersion.atLeast72(v), TdsVersion.name(v));
    }
  }
}
