package io.tdsagent.tds.sspi.der;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tdsagent.tds.wire.DecodeException;
import io.tdsagent.testutil.Der;
import io.tdsagent.testutil.TdsBytes;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DerReaderTest {
  private static DerReader of(byte[] b) {
    return new DerReader(b, 0, b.length);
  }

  @Test
  void universalTypes() {
    assertEquals(1_234_567L, of(Der.integer(1_234_567)).integer());
    assertEquals(-2, of(Der.integer(-2)).integer());
    assertEquals(255, of(TdsBytes.hex("020200ff")).integer());
    assertEquals("1.2.840.113554.1.2.2", of(TdsBytes.hex("06092a864886f712010202")).oid());
    assertEquals("1.3.6.1.4.1.311.2.2.10", of(Der.oid("1.3.6.1.4.1.311.2.2.10")).oid());
    assertEquals(
        "2.999.3",
        of(TdsBytes.hex("0603883703")).oid()); // first arc pair in a multi-byte subidentifier
    assertEquals("REALM", of(Der.generalString("REALM")).string());
    assertEquals(
        0x20000000,
        of(TdsBytes.hex("03050020000000")).expect(DerReader.BIT_STRING).bitStringContent());
    assertEquals(
        0x60000000,
        of(TdsBytes.hex("0302056000")).expect(DerReader.BIT_STRING).bitStringContent()
            & 0xFF000000);
    assertEquals(
        Instant.parse("2024-02-29T23:59:58Z"),
        of(Der.generalizedTime("20240229235958Z"))
            .expect(DerReader.GENERALIZED_TIME)
            .kerberosTimeContent());
  }

  @Test
  void lengthsAndTags() {
    byte[] big = Der.octets(new byte[300]);
    assertEquals(0x82, big[1] & 0xFF);
    assertEquals(300, of(big).octetString().remaining());
    DerReader seq =
        of(Der.seq(Der.ctx(0, Der.integer(5)), Der.ctx(2, Der.integer(7))))
            .expect(DerReader.SEQUENCE);
    assertNull(seq.optional(DerReader.context(1)));
    assertEquals(5, seq.explicit(0).integer());
    assertEquals(7, seq.find(DerReader.context(2)).integer());
    assertEquals(-1, seq.peekTag());
  }

  @Test
  void badInputThrowsDecodeException() {
    assertThrows(DecodeException.class, () -> of(TdsBytes.hex("0205")).integer()); // truncated
    assertThrows(
        DecodeException.class,
        () -> of(TdsBytes.hex("0285000000000102")).integer()); // 5-byte length
    assertThrows(
        DecodeException.class, () -> of(TdsBytes.hex("0280")).integer()); // indefinite length
    assertThrows(DecodeException.class, () -> of(TdsBytes.hex("1f0100")).next()); // multi-byte tag
    assertThrows(
        DecodeException.class,
        () -> of(TdsBytes.hex("0209010203040506070809")).integer()); // 9-byte INTEGER
    assertThrows(DecodeException.class, () -> of(TdsBytes.hex("0400")).integer()); // wrong tag
    assertThrows(DecodeException.class, () -> of(TdsBytes.hex("0600")).oid()); // empty OID
    assertThrows(
        DecodeException.class,
        () -> of(TdsBytes.hex("060a2affffffffffffffff7f")).oid()); // arc too long
    assertThrows(
        DecodeException.class,
        () ->
            of(Der.generalizedTime("2024-02-29T23:59"))
                .expect(DerReader.GENERALIZED_TIME)
                .kerberosTimeContent());
    assertThrows(
        DecodeException.class,
        () ->
            of(Der.generalizedTime("20241399235958Z"))
                .expect(DerReader.GENERALIZED_TIME)
                .kerberosTimeContent());
  }
}
