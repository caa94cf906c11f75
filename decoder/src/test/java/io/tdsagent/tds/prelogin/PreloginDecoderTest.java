package io.tdsagent.tds.prelogin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.wire.DecodeException;
import io.tdsagent.testutil.TdsBytes;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PreloginDecoderTest {
  @Test
  void everyOption() {
    byte[] traceId =
        TdsBytes.concat(
            TdsBytes.hex("33221100 5544 7766 8899aabbccddeeff"),
            TdsBytes.hex("04030201 0605 0807 0102030405060708"),
            TdsBytes.hex("2a000000"));
    byte[] p =
        TdsBytes.preloginOptions(
            new int[] {0, 1, 2, 3, 4, 5, 6, 7, 0x42},
            new byte[][] {
              TdsBytes.hex("0f00 07d0 0001"),
              {(byte) 0x81},
              TdsBytes.hex("4d5353514c53657276657200"),
              TdsBytes.hex("00000e28"),
              {1},
              traceId,
              {1},
              new byte[32],
              {9, 8}
            });
    Prelogin pl = PreloginDecoder.decode(p, 0, p.length);
    assertEquals(new PreloginVersion(15, 0, 2000, 1), pl.version());
    assertEquals("15.0.2000.1", pl.version().toString());
    assertEquals(EncryptionMode.ON, pl.encryption());
    assertTrue(pl.isClientCert());
    assertEquals(0x81, pl.encryptionRaw());
    assertEquals("MSSQLServer", pl.instance());
    assertEquals(0xe28L, pl.threadId());
    assertEquals(Boolean.TRUE, pl.mars());
    assertEquals(
        UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), pl.traceId().connectionId());
    assertEquals(
        UUID.fromString("01020304-0506-0708-0102-030405060708"), pl.traceId().activityId());
    assertEquals(42, pl.traceId().sequence());
    assertEquals(1, pl.fedAuthRequired());
    assertTrue(pl.hasNonce());
    assertEquals(1, pl.unknownOptions().size());
    assertEquals(0x42, pl.unknownOptions().get(0).token());
    assertArrayEquals(new byte[] {9, 8}, pl.unknownOptions().get(0).data());
    assertEquals(9, pl.optionOrder().size());
    assertFalse(
        pl.toString().contains("0000000000000000000000000000000000000000"), "nonce is not kept");
  }

  @Test
  void encryptionValues() {
    for (int v = 0; v < 4; v++) {
      byte[] p = TdsBytes.prelogin(8, 0, 341, v);
      Prelogin pl = PreloginDecoder.decode(p, 0, p.length);
      assertEquals(v, pl.encryption().value());
      assertFalse(pl.isClientCert());
    }
    assertEquals(
        List.of(EncryptionMode.OFF, EncryptionMode.ON, EncryptionMode.NOT_SUP, EncryptionMode.REQ),
        List.of(
            EncryptionMode.fromByte(0),
            EncryptionMode.fromByte(1),
            EncryptionMode.fromByte(2),
            EncryptionMode.fromByte(3)));
    assertEquals(EncryptionMode.UNKNOWN, EncryptionMode.fromByte(7));
  }

  @Test
  void emptyOptionIsPresentWithoutValue() {
    byte[] p =
        TdsBytes.preloginOptions(
            new int[] {0, 5}, new byte[][] {TdsBytes.hex("0c0007d00000"), new byte[0]});
    Prelogin pl = PreloginDecoder.decode(p, 0, p.length);
    assertEquals("12.0.2000", pl.version().toString());
    assertNull(pl.traceId());
    assertEquals(
        List.of(PreloginOptionToken.VERSION, PreloginOptionToken.TRACEID), pl.optionOrder());
  }

  @Test
  void malformed() {
    byte[] p = TdsBytes.prelogin(8, 0, 341, 0);
    assertThrows(DecodeException.class, () -> PreloginDecoder.decode(p, 0, 6), "truncated table");
    byte[] badOffset = p.clone();
    badOffset[2] = 0x7f; // VERSION offset far beyond the payload
    assertThrows(
        DecodeException.class, () -> PreloginDecoder.decode(badOffset, 0, badOffset.length));
    assertThrows(DecodeException.class, () -> PreloginDecoder.decode(new byte[0], 0, 0));
  }
}
