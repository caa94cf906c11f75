package io.tdsagent.tds.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tdsagent.testutil.TdsBytes;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ByteReaderTest {
  @Test
  void readsBothByteOrders() {
    ByteReader r =
        new ByteReader(TdsBytes.hex("0102 0102 01020304 01020304 010203 0102030405060708"));
    assertEquals(0x0201, r.u16le());
    assertEquals(0x0102, r.u16be());
    assertEquals(0x04030201, r.i32le());
    assertEquals(0x01020304L, r.u32be());
    assertEquals(0x010203, r.u24be());
    assertEquals(0x0807060504030201L, r.i64le());
    assertEquals(0, r.remaining());
  }

  @Test
  void underflowThrowsDecodeException() {
    ByteReader r = new ByteReader(new byte[3]);
    assertThrows(DecodeException.class, r::i32le);
    assertEquals(0, r.position(), "a failed read does not move");
    assertThrows(DecodeException.class, () -> r.skip(4));
    assertThrows(DecodeException.class, () -> r.sliceAt(2, 2));
    assertThrows(DecodeException.class, () -> r.seek(4));
    assertThrows(DecodeException.class, () -> new ByteReader(new byte[2], 1, 2));
  }

  @Test
  void stringsAndVarbytes() {
    byte[] b =
        new TdsBytes.Out()
            .bVarchar("hé")
            .usVarchar("abc")
            .u8(2)
            .u8(9)
            .u8(8)
            .u16le(1)
            .u8(7)
            .toByteArray();
    ByteReader r = new ByteReader(b);
    assertEquals("hé", r.bVarchar());
    assertEquals("abc", r.usVarchar());
    assertEquals("0908", Hex.of(r.bVarbyte()));
    assertEquals("07", Hex.of(r.usVarbyte()));
    ByteReader bad = new ByteReader(new TdsBytes.Out().u8(5).u16le('a').toByteArray());
    assertThrows(DecodeException.class, bad::bVarchar);
  }

  @Test
  void windowsGuidLayout() {
    // {00112233-4455-6677-8899-aabbccddeeff} is stored 33221100 5544 7766 8899aabbccddeeff
    ByteReader r = new ByteReader(TdsBytes.hex("33221100 5544 7766 8899aabbccddeeff"));
    assertEquals(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"), r.guid());
  }

  @Test
  void slicesAreBoundedViews() {
    ByteReader r = new ByteReader(TdsBytes.hex("0a0b0c0d"));
    r.u8();
    ByteReader s = r.slice(2);
    assertEquals(0x0b, s.u8());
    assertEquals(0x0c, s.u8());
    assertThrows(DecodeException.class, s::u8);
    assertEquals(0x0d, r.u8());
  }

  @Test
  void boundedBufferCapsAndWipes() {
    BoundedBuffer b = new BoundedBuffer(2, 4);
    assertEquals(true, b.append(new byte[] {1, 2, 3}, 0, 3));
    assertEquals(false, b.append(new byte[] {4, 5}, 0, 2));
    b.clear();
    for (byte x : b.array()) {
      assertEquals(0, x);
    }
  }
}
