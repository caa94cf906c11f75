package io.tdsagent.agent.instrumentation.r2dbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoder's messages framed as TDS packets for the decoder. */
class R2dbcTapsTest {
  private static final int SQL_BATCH = 0x01;

  @Test
  void aLongLastPartIsSplitAtThePacketSizeWithEomOnlyAtTheEnd() {
    byte[] body = new byte[20000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    List<byte[]> packets = R2dbcTaps.frame(SQL_BATCH, 0x00, true, body, 8000);
    assertEquals(3, packets.size());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < packets.size(); i++) {
      byte[] p = packets.get(i);
      assertEquals(SQL_BATCH, p[0]);
      assertEquals(i == 2 ? 0x01 : 0x00, p[1], "EOM only on the last packet");
      assertEquals(p.length, ((p[2] & 0xFF) << 8) | (p[3] & 0xFF), "length field");
      assertEquals(i == 2 ? 20000 - 2 * 7992 + 8 : 8000, p.length);
      joined.write(p, 8, p.length - 8);
    }
    assertArrayEquals(body, joined.toByteArray());
  }

  @Test
  void aFirstOrMiddlePartNeverCarriesEom() {
    List<byte[]> packets = R2dbcTaps.frame(0x03, 0x01, false, new byte[100], 8000);
    assertEquals(1, packets.size());
    assertEquals(0x00, packets.get(0)[1]);
  }

  @Test
  void anEmptyLastPartIsAnEomHeader() {
    List<byte[]> packets = R2dbcTaps.frame(0x03, 0x00, true, new byte[0], 8000);
    assertEquals(1, packets.size());
    assertArrayEquals(new byte[] {0x03, 0x01, 0x00, 0x08, 0x00, 0x00, 0x01, 0x00}, packets.get(0));
  }
}
