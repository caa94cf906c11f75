package io.tdsagent.tds.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tdsagent.tds.wire.ByteReader;
import org.junit.jupiter.api.Test;

/**
 * The Certificate message keeps its leaf as DER and parses it when asked; a bad leaf is reported
 * there, not thrown.
 */
class ServerCertificateTest {
  /**
   * certificate_list with the given DER entries (RFC 5246 7.4.2: u24 list length, u24 length per
   * entry).
   */
  private static ByteReader certificateMessage(byte[]... ders) {
    int total = 0;
    for (byte[] d : ders) {
      total += 3 + d.length;
    }
    byte[] b = new byte[3 + total];
    put24(b, 0, total);
    int p = 3;
    for (byte[] d : ders) {
      put24(b, p, d.length);
      System.arraycopy(d, 0, b, p + 3, d.length);
      p += 3 + d.length;
    }
    return new ByteReader(b, 0, b.length);
  }

  private static void put24(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 16);
    b[p + 1] = (byte) (v >>> 8);
    b[p + 2] = (byte) v;
  }

  @Test
  void aLeafThatIsNotX509GivesAParseErrorAndNoNames() {
    byte[] garbage = {0x30, 0x03, 0x02, 0x01, 0x07};
    ServerCertificate c =
        (ServerCertificate)
            TlsHandshakeParser.parse(
                TlsHandshakeParser.CERTIFICATE,
                certificateMessage(garbage, new byte[] {1, 2, 3}),
                false);
    assertEquals(2, c.certificateCount());
    assertNull(c.subject());
    assertNull(c.notAfter());
    assertEquals("certificate does not parse as X.509", c.parseError());
  }

  @Test
  void anEmptyListHasNoNamesAndNoError() {
    ServerCertificate c =
        (ServerCertificate)
            TlsHandshakeParser.parse(TlsHandshakeParser.CERTIFICATE, certificateMessage(), false);
    assertEquals(0, c.certificateCount());
    assertNull(c.subject());
    assertNull(c.parseError());
    assertNotNull(c.toString());
  }
}
