package io.tdsagent.smp;

import static io.tdsagent.testutil.SmpBytes.ack;
import static io.tdsagent.testutil.SmpBytes.data;
import static io.tdsagent.testutil.SmpBytes.fin;
import static io.tdsagent.testutil.SmpBytes.syn;
import static io.tdsagent.testutil.TdsBytes.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.SmpSessionEvent;
import io.tdsagent.tds.event.SmpWindowStallEvent;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.TdsBytes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmpDemultiplexerTest {

  /** Collects each session's bytes per direction; "mid message" is set by the test. */
  static final class Streams implements SmpDemultiplexer.SessionSink {
    final Map<String, ByteArrayOutputStream> bytes = new HashMap<>();
    final List<String> log = new ArrayList<>();
    boolean midMessage;

    @Override
    public void onSessionOpened(int sid, long t) {
      log.add("open " + sid);
    }

    @Override
    public void onSessionData(int sid, Direction d, byte[] buf, int off, int len, long t) {
      bytes
          .computeIfAbsent(
              sid + (d == Direction.CLIENT_TO_SERVER ? "c" : "s"), k -> new ByteArrayOutputStream())
          .write(buf, off, len);
    }

    @Override
    public void onSessionClosed(int sid, long t) {
      log.add("close " + sid);
    }

    @Override
    public boolean midMessage(int sid, Direction d) {
      return midMessage;
    }

    String text(String key) {
      ByteArrayOutputStream b = bytes.get(key);
      return b == null
          ? ""
          : new String(b.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  @Test
  void headersOfTheSpecExamples() {
    // MC-SMP 4.1 to 4.4
    SmpHeader synH = SmpHeader.read(new ByteReader(syn(0, 4)));
    assertTrue(synH.isSyn());
    assertEquals(0, synH.sid());
    assertEquals(16, synH.length());
    assertEquals(4, synH.wndw());
    SmpHeader ackH =
        SmpHeader.read(
            new ByteReader(TdsBytes.hex("53 02 05 00 10 00 00 00 10 00 00 00 12 00 00 00")));
    assertTrue(ackH.isAck());
    assertEquals(5, ackH.sid());
    assertEquals(0x10, ackH.seqNum());
    assertEquals(0x12, ackH.wndw());
    SmpHeader finH = SmpHeader.read(new ByteReader(fin(5, 0x23, 0x13)));
    assertTrue(finH.isFin());
    assertEquals(0x23, finH.seqNum());
    assertNull(SmpHeader.problem(ackH.isAck() ? syn(0, 4) : null, 0, 16, SmpFramer.MAX_PACKET));
    assertTrue(
        SmpHeader.problem(TdsBytes.hex("53 06 00 00"), 0, 4, SmpFramer.MAX_PACKET)
            .contains("FLAGS"));
    assertTrue(
        SmpHeader.problem(TdsBytes.hex("53 02 00 00 11 00 00 00"), 0, 8, SmpFramer.MAX_PACKET)
            .contains("LENGTH"));
    assertTrue(
        SmpHeader.problem(TdsBytes.hex("12 01"), 0, 2, SmpFramer.MAX_PACKET).contains("SMID"));
  }

  /**
   * Two sessions interleaved, a window update, and both closed: the reference byte stream of each
   * direction.
   */
  static byte[][] twoSessions() {
    byte[] c =
        concat(
            syn(0, 4),
            syn(1, 4),
            data(0, 1, 4, ascii("q0-part1|")),
            data(1, 1, 4, ascii("q1|")),
            data(0, 2, 4, ascii("q0-part2|")),
            ack(1, 1, 5),
            fin(0, 2, 5),
            fin(1, 1, 5));
    byte[] s =
        concat(
            data(0, 1, 6, ascii("r0|")),
            data(1, 1, 5, ascii("r1-a|")),
            data(1, 2, 5, ascii("r1-b|")),
            fin(0, 1, 6),
            fin(1, 2, 5));
    return new byte[][] {c, s};
  }

  private static String run(byte[] c, byte[] s, int split, Recorder r, Streams st) {
    SmpDemultiplexer d = new SmpDemultiplexer(r, st, 64, false);
    // the client's bytes up to its FINs, then the server's, then the FINs: an order a real exchange
    // allows
    int finAt = c.length - 32;
    feedSplit(d, true, c, 0, finAt, split, 10);
    feedSplit(d, false, s, 0, s.length, split, 20);
    feedSplit(d, true, c, finAt, c.length, split, 30);
    d.onClose(40);
    return st.text("0c") + "/" + st.text("1c") + "/" + st.text("0s") + "/" + st.text("1s");
  }

  private static void feedSplit(
      SmpDemultiplexer d, boolean client, byte[] b, int from, int to, int split, long t) {
    int mid = (int) Math.min(to, (long) from + split);
    for (int[] range : new int[][] {{from, mid}, {mid, to}}) {
      if (range[1] > range[0]) {
        if (client) {
          d.onClientBytes(b, range[0], range[1] - range[0], t);
        } else {
          d.onServerBytes(b, range[0], range[1] - range[0], t);
        }
      }
    }
  }

  @Test
  void framingAtEverySplitPointGivesTheSameStreamsAndEvents() {
    byte[][] two = twoSessions();
    Recorder ref = new Recorder();
    String expected = run(two[0], two[1], Integer.MAX_VALUE, ref, new Streams());
    assertEquals("q0-part1|q0-part2|/q1|/r0|/r1-a|r1-b|", expected);
    assertTrue(ref.of(DecodeErrorEvent.class).isEmpty(), ref.dump());
    for (int split = 0; split <= Math.max(two[0].length, two[1].length); split++) {
      Recorder r = new Recorder();
      assertEquals(expected, run(two[0], two[1], split, r, new Streams()), "split " + split);
      assertEquals(ref.events.toString(), r.events.toString(), "split " + split);
    }
    // and one byte at a time
    Recorder r = new Recorder();
    Streams st = new Streams();
    SmpDemultiplexer d = new SmpDemultiplexer(r, st, 64, false);
    for (int i = 0; i < two[0].length - 32; i++) {
      d.onClientBytes(two[0], i, 1, 10);
    }
    for (int i = 0; i < two[1].length; i++) {
      d.onServerBytes(two[1], i, 1, 20);
    }
    for (int i = two[0].length - 32; i < two[0].length; i++) {
      d.onClientBytes(two[0], i, 1, 30);
    }
    assertEquals(
        "q0-part1|q0-part2|/q1|/r0|/r1-a|r1-b|",
        st.text("0c") + "/" + st.text("1c") + "/" + st.text("0s") + "/" + st.text("1s"));
  }

  @Test
  void sessionStatesFromSynToFinBothWays() {
    byte[][] two = twoSessions();
    Recorder r = new Recorder();
    Streams st = new Streams();
    run(two[0], two[1], Integer.MAX_VALUE, r, st);
    assertEquals(List.of("open 0", "open 1", "close 0", "close 1"), st.log);
    List<SmpSessionEvent> ev = r.of(SmpSessionEvent.class);
    assertEquals(4, ev.size(), r.dump());
    assertEquals(SmpSessionEvent.Kind.OPENED, ev.get(0).kind());
    assertEquals(10, ev.get(0).openNanos());
    SmpSessionEvent closed0 = ev.get(2);
    assertEquals(SmpSessionEvent.Kind.CLOSED, closed0.kind());
    assertEquals(0, closed0.sid());
    assertEquals(
        Direction.SERVER_TO_CLIENT,
        closed0.firstFin()); // the server's FIN came before the client's
    assertTrue(closed0.finBothWays());
    assertEquals(2, closed0.clientDataPackets());
    assertEquals(1, closed0.serverDataPackets());
    assertEquals(30, closed0.timeNanos());
    assertFalse(closed0.joined());
  }

  @Test
  void connectionEndClosesOpenSessionsWithoutFin() {
    Recorder r = new Recorder();
    SmpDemultiplexer d = new SmpDemultiplexer(r, new Streams(), 64, false);
    byte[] c = concat(syn(3, 4), data(3, 1, 4, ascii("x")));
    d.onClientBytes(c, 0, c.length, 5);
    d.onClose(9);
    SmpSessionEvent closed = r.of(SmpSessionEvent.class).get(1);
    assertEquals(9, closed.timeNanos());
    assertNull(closed.firstFin());
    assertFalse(closed.finBothWays());
  }

  @Test
  void protocolViolationsAreReportedAndDecodingGoesOn() {
    Recorder r = new Recorder();
    Streams st = new Streams();
    SmpDemultiplexer d = new SmpDemultiplexer(r, st, 64, false);
    byte[] c =
        concat(
            data(7, 1, 4, ascii("a")), // no SYN
            syn(1, 4),
            data(1, 2, 4, ascii("b")), // SEQNUM skips 1
            data(1, 3, 4, ascii("c")),
            data(1, 4, 4, ascii("d")),
            data(1, 5, 4, ascii("e")), // beyond WNDW 4
            fin(1, 5, 4),
            data(1, 6, 4, ascii("f"))); // DATA after FIN
    d.onClientBytes(c, 0, c.length, 1);
    byte[] s = syn(2, 4);
    d.onServerBytes(s, 0, s.length, 2); // SYN from the server
    List<String> reasons = new ArrayList<>();
    r.of(DecodeErrorEvent.class).forEach(e -> reasons.add(e.layer() + ": " + e.reason()));
    assertEquals(
        List.of(
            "smp: DATA for SID 7 without a SYN",
            "smp: SID 1 DATA SEQNUM 2 after 0",
            "smp: SID 1 DATA SEQNUM 5 beyond the window 4",
            "smp: DATA after FIN on SID 1",
            "smp: SID 1 DATA SEQNUM 6 beyond the window 4",
            "smp: SYN from the server for SID 2"),
        reasons);
    assertEquals("bcdef", st.text("1c")); // data still delivered
  }

  @Test
  void garbageStopsTheDirectionOnce() {
    Recorder r = new Recorder();
    SmpDemultiplexer d = new SmpDemultiplexer(r, new Streams(), 64, false);
    byte[] c = concat(syn(1, 4), TdsBytes.hex("53 09 01 00 10 00 00 00"), syn(2, 4));
    d.onClientBytes(c, 0, c.length, 1);
    assertEquals(1, r.of(DecodeErrorEvent.class).size(), r.dump());
    assertTrue(r.one(DecodeErrorEvent.class).reason().startsWith("FLAGS 0x9 after 1 SMP packets"));
    assertEquals(1, d.openSessions());
  }

  @Test
  void sessionCapRefusesFurtherSids() {
    Recorder r = new Recorder();
    Streams st = new Streams();
    SmpDemultiplexer d = new SmpDemultiplexer(r, st, 2, false);
    byte[] c =
        concat(syn(0, 4), syn(1, 4), syn(2, 4), data(2, 1, 4, ascii("dropped")), fin(0, 0, 4));
    d.onClientBytes(c, 0, c.length, 1);
    byte[] s = fin(0, 0, 4);
    d.onServerBytes(s, 0, s.length, 2);
    byte[] again = concat(syn(2, 4), data(2, 1, 4, ascii("kept")));
    d.onClientBytes(again, 0, again.length, 3);
    assertEquals(1, r.of(DecodeErrorEvent.class).size(), r.dump());
    assertTrue(r.one(DecodeErrorEvent.class).reason().contains("more than 2 SMP sessions"));
    assertEquals("kept", st.text("2c"));
  }

  @Test
  void windowStallIsTheWaitForAnAckInsideAMessage() {
    Recorder r = new Recorder();
    Streams st = new Streams();
    st.midMessage = true;
    SmpDemultiplexer d = new SmpDemultiplexer(r, st, 64, false);
    byte[] c =
        concat(
            syn(0, 4),
            data(0, 1, 4, ascii("1")),
            data(0, 2, 4, ascii("2")),
            data(0, 3, 4, ascii("3")));
    d.onClientBytes(c, 0, c.length, 100);
    assertTrue(r.of(SmpWindowStallEvent.class).isEmpty());
    byte[] fourth = data(0, 4, 4, ascii("4"));
    d.onClientBytes(
        fourth, 0, fourth.length, 200); // SEQNUM 4 = the server's WNDW 4: window used up
    byte[] a = ack(0, 0, 6);
    d.onServerBytes(a, 0, a.length, 750); // the server's window update
    byte[] fifth = data(0, 5, 4, ascii("5"));
    d.onClientBytes(fifth, 0, fifth.length, 760);
    SmpWindowStallEvent stall = r.one(SmpWindowStallEvent.class);
    assertEquals(0, stall.sid());
    assertEquals(Direction.CLIENT_TO_SERVER, stall.sender());
    assertEquals(4, stall.seqNum());
    assertEquals(200, stall.startNanos());
    assertEquals(750, stall.endNanos());
    assertEquals(550, stall.durationNanos());
    assertEquals(6, stall.newWindow());
    assertTrue(stall.resolved());
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
  }

  @Test
  void usingTheWholeWindowAtAMessageEndIsNoStall() {
    Recorder r = new Recorder();
    SmpDemultiplexer d = new SmpDemultiplexer(r, new Streams(), 64, false); // midMessage false
    byte[] c =
        concat(
            syn(0, 4),
            data(0, 1, 4, ascii("1")),
            data(0, 2, 4, ascii("2")),
            data(0, 3, 4, ascii("3")),
            data(0, 4, 4, ascii("4")));
    d.onClientBytes(c, 0, c.length, 100);
    byte[] a = ack(0, 0, 8);
    d.onServerBytes(a, 0, a.length, 900);
    assertTrue(r.of(SmpWindowStallEvent.class).isEmpty());
  }

  @Test
  void unresolvedStallIsReportedAtClose() {
    Recorder r = new Recorder();
    Streams st = new Streams();
    st.midMessage = true;
    SmpDemultiplexer d = new SmpDemultiplexer(r, st, 64, false);
    byte[] c = concat(syn(0, 2), data(0, 1, 2, ascii("1")));
    d.onClientBytes(c, 0, c.length, 100);
    byte[] s =
        concat(
            data(0, 1, 4, ascii("r")),
            data(0, 2, 4, ascii("r"))); // the client's SYN granted up to 2
    d.onServerBytes(s, 0, s.length, 200);
    d.onClose(300);
    SmpWindowStallEvent stall = r.one(SmpWindowStallEvent.class);
    assertEquals(Direction.SERVER_TO_CLIENT, stall.sender());
    assertFalse(stall.resolved());
    assertEquals(-1, stall.newWindow());
    assertEquals(200, stall.startNanos());
    assertEquals(300, stall.endNanos());
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
  }

  @Test
  void joinedSessionsLearnTheirCounters() {
    Recorder r = new Recorder();
    Streams st = new Streams();
    SmpDemultiplexer d = new SmpDemultiplexer(r, st, 64, true);
    byte[] c = concat(data(5, 0x41, 0x44, ascii("x")), data(5, 0x42, 0x44, ascii("y")));
    d.onClientBytes(c, 0, c.length, 1);
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
    assertTrue(r.of(SmpSessionEvent.class).get(0).joined());
    assertEquals("xy", st.text("5c"));
  }
}
