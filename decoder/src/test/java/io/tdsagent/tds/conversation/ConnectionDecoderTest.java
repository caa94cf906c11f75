package io.tdsagent.tds.conversation;

import static io.tdsagent.testutil.SmpBytes.ack;
import static io.tdsagent.testutil.SmpBytes.data;
import static io.tdsagent.testutil.SmpBytes.fin;
import static io.tdsagent.testutil.SmpBytes.syn;
import static io.tdsagent.testutil.TdsBytes.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.RequestEvent;
import io.tdsagent.tds.event.ResponseEndEvent;
import io.tdsagent.tds.event.SmpSessionEvent;
import io.tdsagent.tds.event.SmpTdsEvent;
import io.tdsagent.tds.event.SmpWindowStallEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.request.SqlBatch;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.TdsBytes;
import io.tdsagent.testutil.TdsBytes.Out;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MARS: the login in plain TDS, then SMP sessions each carrying a TDS conversation of its own. */
class ConnectionDecoderTest {

  static byte[] preloginWithMars(int encryption, boolean mars) {
    byte[][] data = {
      new Out().u8(16).u8(0).u16be(4135).u16be(0).toByteArray(),
      {(byte) encryption},
      {(byte) (mars ? 1 : 0)}
    };
    return TdsBytes.preloginOptions(new int[] {0, 1, 4}, data);
  }

  /** SQLBatch with ALL_HEADERS, one TDS packet per SMP DATA packet. */
  static byte[] batch(String sql) {
    return TdsBytes.concat(ExchangeTest.allHeaders(0, null), TdsBytes.utf16(sql));
  }

  /** COLMETADATA (one int column), n rows, DONE(count). */
  static byte[] rows(int n) {
    Out o = new Out().u8(0x81).u16le(1).u32le(0).u16le(0).u8(0x38).bVarchar("v");
    for (int i = 0; i < n; i++) {
      o.u8(0xD1).u32le(i);
    }
    return o.bytes(TdsBytes.done(0xFD, 0x10, 0xC1, n)).toByteArray();
  }

  static void login(ConnectionDecoder c, boolean serverMars) {
    byte[] pre = TdsBytes.packet(0x12, 1, preloginWithMars(2, true));
    c.onClientBytes(pre, 0, pre.length, 1_000);
    byte[] preResp = TdsBytes.packet(0x04, 1, preloginWithMars(2, serverMars));
    c.onServerBytes(preResp, 0, preResp.length, 2_000);
    byte[] l7 = TdsConversationTest.login7();
    c.onClientBytes(l7, 0, l7.length, 3_000);
    byte[] ok = TdsConversationTest.successResponse();
    c.onServerBytes(ok, 0, ok.length, 4_000);
  }

  static List<String> sessionRequests(Recorder r) {
    List<String> out = new ArrayList<>();
    for (TdsEvent e : r.events) {
      if (e instanceof SmpTdsEvent && ((SmpTdsEvent) e).event() instanceof RequestEvent) {
        SmpTdsEvent s = (SmpTdsEvent) e;
        out.add(s.sid() + ":" + ((SqlBatch) ((RequestEvent) s.event()).request()).text());
      } else if (e instanceof SmpTdsEvent
          && ((SmpTdsEvent) e).event() instanceof ResponseEndEvent) {
        SmpTdsEvent s = (SmpTdsEvent) e;
        out.add(s.sid() + ":rows=" + ((ResponseEndEvent) s.event()).rowCount());
      }
    }
    return out;
  }

  @Test
  void twoInterleavedSessionsAreDemultiplexedWithTheirRequests() {
    // session 0's request spans two TDS packets (two SMP DATA), interleaved with session 1's
    byte[] q0 = TdsBytes.message(0x01, batch("SELECT * FROM users"), 40);
    int cut = ((q0[2] & 0xFF) << 8) | (q0[3] & 0xFF);
    byte[] q1 = TdsBytes.packet(0x01, 1, batch("SELECT * FROM orders"));
    byte[] client =
        concat(
            syn(0, 4),
            syn(1, 4),
            data(0, 1, 4, java.util.Arrays.copyOf(q0, cut)),
            data(1, 1, 4, q1),
            data(0, 2, 4, java.util.Arrays.copyOfRange(q0, cut, q0.length)));
    byte[] r1 = TdsBytes.message(0x04, rows(3), 30);
    byte[] r0 = TdsBytes.packet(0x04, 1, rows(2));
    int r1cut = ((r1[2] & 0xFF) << 8) | (r1[3] & 0xFF);
    byte[] server =
        concat(
            data(1, 1, 5, java.util.Arrays.copyOf(r1, r1cut)),
            data(0, 1, 6, r0),
            data(1, 2, 5, java.util.Arrays.copyOfRange(r1, r1cut, r1.length)));
    byte[] close = concat(fin(0, 2, 6), fin(1, 1, 5));
    byte[] closeResp = concat(fin(0, 1, 6), fin(1, 2, 5));
    for (int chunk : new int[] {1, 7, 16, 100_000}) {
      Recorder r = new Recorder();
      ConnectionDecoder c = new ConnectionDecoder(r);
      login(c, true);
      assertEquals(LoginOutcomeEvent.Outcome.SUCCESS, r.one(LoginOutcomeEvent.class).outcome());
      assertFalse(c.isMars());
      feed(c, true, client, chunk, 10_000);
      assertTrue(c.isMars());
      feed(c, false, server, chunk, 20_000);
      feed(c, true, close, chunk, 30_000);
      feed(c, false, closeResp, chunk, 40_000);
      c.onClose(50_000);
      assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
      // session 1's request and session 0's response are complete first
      assertEquals(
          List.of("1:SELECT * FROM orders", "0:SELECT * FROM users", "0:rows=2", "1:rows=3"),
          sessionRequests(r),
          "chunk " + chunk);
      List<SmpSessionEvent> sessions = r.of(SmpSessionEvent.class);
      assertEquals(4, sessions.size());
      assertTrue(sessions.get(2).finBothWays());
      assertEquals(0, c.openSessions());
    }
  }

  @Test
  void marsNotAgreedMeansNoSmp() {
    Recorder r = new Recorder();
    ConnectionDecoder c = new ConnectionDecoder(r);
    login(c, false);
    byte[] s = syn(0, 4);
    c.onClientBytes(s, 0, s.length, 10_000);
    assertFalse(c.isMars());
    assertEquals("packet", r.one(DecodeErrorEvent.class).layer()); // 0x53 is no TDS packet type
  }

  @Test
  void specExampleFirstCommandOfAJoinedSession() {
    // MC-SMP 4.3: a DATA packet carrying a SQLBatch "SET QUOTED_IDENTIFIER OFF" on SID 5
    byte[] b =
        TdsBytes.hex(
            "53 08 05 00 60 00 00 00 01 00 00 00 04 00 00 00"
                + "01 01 00 50 00 00 01 00 16 00 00 00 12 00 00 00 02 00 00 00 00 00 00 00 00 00 01 00 00 00"
                + "53 00 45 00 54 00 20 00 51 00 55 00 4F 00 54 00 45 00 44 00 5F 00 49 00 44 00 45 00 4E 00"
                + "54 00 49 00 46 00 49 00 45 00 52 00 20 00 4F 00 46 00 46 00");
    Recorder r = new Recorder();
    ConnectionDecoder c = new ConnectionDecoder(r);
    c.onClientBytes(b, 0, b.length, 1);
    assertTrue(c.isMars());
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
    assertEquals(List.of("5:SET QUOTED_IDENTIFIER OFF"), sessionRequests(r));
    assertTrue(r.of(SmpSessionEvent.class).get(0).joined());
  }

  @Test
  void stallWhileSendingALargeRequest() {
    Recorder r = new Recorder();
    ConnectionDecoder c = new ConnectionDecoder(r);
    login(c, true);
    byte[] q =
        TdsBytes.message(0x01, batch("SELECT '" + "x".repeat(200) + "'"), 100); // 5+ TDS packets
    List<byte[]> packets = new ArrayList<>();
    for (int off = 0; off < q.length; ) {
      int len = ((q[off + 2] & 0xFF) << 8) | (q[off + 3] & 0xFF);
      packets.add(java.util.Arrays.copyOfRange(q, off, off + len));
      off += len;
    }
    assertTrue(packets.size() > 4);
    byte[] s = syn(0, 4);
    c.onClientBytes(s, 0, s.length, 10);
    for (int i = 0; i < 4; i++) {
      byte[] d = data(0, i + 1, 4, packets.get(i));
      c.onClientBytes(d, 0, d.length, 20 + i);
    }
    byte[] a = ack(0, 0, 8);
    c.onServerBytes(a, 0, a.length, 500);
    for (int i = 4; i < packets.size(); i++) {
      byte[] d = data(0, i + 1, 4, packets.get(i));
      c.onClientBytes(d, 0, d.length, 600 + i);
    }
    SmpWindowStallEvent stall = r.one(SmpWindowStallEvent.class);
    assertEquals(23, stall.startNanos());
    assertEquals(500, stall.endNanos());
    assertEquals(1, sessionRequests(r).size());
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
  }

  static void feed(ConnectionDecoder c, boolean client, byte[] b, int chunk, long t) {
    for (int off = 0; off < b.length; off += chunk) {
      int n = Math.min(chunk, b.length - off);
      if (client) {
        c.onClientBytes(b, off, n, t++);
      } else {
        c.onServerBytes(b, off, n, t++);
      }
    }
  }
}
