package io.tdsagent.agent.instrumentation.r2dbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /**
   * The read path (at every plaintext read of every connection): finding a decoder's channel and
   * the array a direct buffer is read into allocate nothing once warm, and take no lock; one array
   * per thread, large reads not kept.
   */
  @Test
  void theReadPathAllocatesNothingPerRead() throws Exception {
    Object channel = new Object();
    Object decoder = new Object();
    R2dbcTaps.clientConstructing(channel);
    R2dbcTaps.decoderCreated(decoder);
    R2dbcTaps.clientConstructed();
    assertSame(channel, R2dbcTaps.channelOf(decoder));
    byte[] first = R2dbcTaps.scratch(100);
    assertSame(first, R2dbcTaps.scratch(first.length), "reused");
    byte[] big = R2dbcTaps.scratch(R2dbcTaps.SCRATCH_KEPT + 1);
    assertNotSame(first, big);
    assertSame(first, R2dbcTaps.scratch(10), "a large read's array is not kept");
    byte[][] other = new byte[1][];
    Thread t = new Thread(() -> other[0] = R2dbcTaps.scratch(10));
    t.start();
    t.join();
    assertNotSame(first, other[0], "one array per thread");

    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    for (int round = 0; round < 3; round++) { // the first rounds warm the code up
      long before = threads.getThreadAllocatedBytes(tid);
      int seen = 0;
      for (int i = 0; i < 100_000; i++) {
        seen += R2dbcTaps.channelOf(decoder) == channel ? R2dbcTaps.scratch(4096).length & 1 : 0;
      }
      long allocated = threads.getThreadAllocatedBytes(tid) - before;
      assertEquals(0, seen);
      if (round == 2) {
        assertTrue(allocated < 64 * 1024, allocated + " bytes allocated by 100,000 reads");
      }
    }
  }
}
