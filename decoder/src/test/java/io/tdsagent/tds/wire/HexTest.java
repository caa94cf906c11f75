package io.tdsagent.tds.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.tds.login.TdsVersion;
import io.tdsagent.tds.tls.TlsNames;
import org.junit.jupiter.api.Test;

class HexTest {
  @Test
  void zeroPaddedUpperCaseLowDigits() {
    assertEquals("0x00FF", Hex.code(0xFF, 4));
    assertEquals("0x0A", Hex.code(10, 2));
    assertEquals("0xBEEF", Hex.code(0xDEADBEEFL, 4));
    assertEquals("0xF0000001", Hex.code(0xF0000001L, 8));
  }

  @Test
  void namesWithoutATableEntryUseIt() {
    assertEquals("0xF0000001", TdsVersion.name(0xF0000001));
    assertEquals("0x7777", TlsNames.cipherSuite(0x7777));
    assertEquals("0x0305", TlsNames.version(0x0305));
  }
}
