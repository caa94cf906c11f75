package io.tdsagent.tds.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.capture.CaptureReader;
import io.tdsagent.capture.CapturedFrame;
import io.tdsagent.capture.FrameDissector;
import io.tdsagent.capture.TcpConnection;
import io.tdsagent.capture.TcpReassembler;
import io.tdsagent.capture.TcpSegment;
import io.tdsagent.capture.TcpStreamListener;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.Phase;
import io.tdsagent.testutil.Captures;
import io.tdsagent.testutil.TdsBytes;
import io.tdsagent.testutil.TdsBytes.Out;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole connection decoder's cost, as the agent runs it: a real conversation (from a capture)
 * and hostile ones (a server that sends a huge COLMETADATA, a client that sends a huge batch,
 * garbage after the login), each fed in 1-byte, 16-byte and whole chunks. What is measured is the
 * bytes this thread allocates (the JVM's own counter: the decoder's work shows there, and
 * re-parsing held bytes at every chunk shows there first), never wall-clock time: eight times the
 * input must cost at most about eight times the allocation, and the heap a decoder keeps once fed
 * must not grow with what it was fed. Ratios are generous; work that grows with the square of the
 * input breaks them by a factor of eight or more.
 */
class ConnectionDecoderCostTest {
  static final int[] CHUNKS = {1, 16, Integer.MAX_VALUE};
  static final int SCALE = 8;

  /** Linear: 8x the input costs 8x; allowed 2.5 times that. Quadratic would cost 64x. */
  static final double MAX_RATIO = SCALE * 2.5;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static final class Seg {
    final boolean fromServer;
    final byte[] bytes;

    Seg(boolean fromServer, byte[] bytes) {
      this.fromServer = fromServer;
      this.bytes = bytes;
    }
  }

  /**
   * The largest TCP connection of a capture, its two directions in the order they were captured.
   */
  static List<Seg> conversation(String capture) throws Exception {
    Map<Integer, List<Seg>> byConn = new LinkedHashMap<>();
    TcpReassembler tcp =
        new TcpReassembler(
            new TcpStreamListener() {
              @Override
              public void onData(
                  TcpConnection c, Direction d, byte[] buf, int off, int len, long ts) {
                byte[] b = new byte[len];
                System.arraycopy(buf, off, b, 0, len);
                byConn
                    .computeIfAbsent(c.id(), k -> new ArrayList<>())
                    .add(new Seg(d == Direction.SERVER_TO_CLIENT, b));
              }
            });
    try (CaptureReader r = CaptureReader.open(Captures.path(capture))) {
      for (CapturedFrame f; (f = r.next()) != null; ) {
        TcpSegment s = FrameDissector.tcp(f);
        if (s != null) {
          tcp.accept(s);
        }
      }
    }
    tcp.finish();
    List<Seg> best = List.of();
    for (List<Seg> c : byConn.values()) {
      if (bytes(c) > bytes(best)) {
        best = c;
      }
    }
    return best;
  }

  static long bytes(List<Seg> segs) {
    long n = 0;
    for (Seg s : segs) {
      n += s.bytes.length;
    }
    return n;
  }

  /** How many leading segments make the login: after them the decoder is LOGGED_IN. */
  static int loginLength(List<Seg> conv) {
    ConnectionDecoder d = new ConnectionDecoder(e -> {});
    for (int i = 0; i < conv.size(); i++) {
      feed(d, conv.get(i), Integer.MAX_VALUE);
      if (d.phase() == Phase.LOGGED_IN) {
        return i + 1;
      }
    }
    throw new AssertionError("the conversation never logs in: " + d.phase());
  }

  /** The login, then {@code times} copies of what follows. */
  static List<Seg> repeated(List<Seg> login, List<Seg> after, int times) {
    List<Seg> out = new ArrayList<>(login);
    for (int i = 0; i < times; i++) {
      out.addAll(after);
    }
    return out;
  }

  static void feed(ConnectionDecoder d, Seg s, int chunk) {
    for (int off = 0; off < s.bytes.length; off += chunk) {
      int n = Math.min(chunk, s.bytes.length - off);
      if (s.fromServer) {
        d.onServerBytes(s.bytes, off, n, off);
      } else {
        d.onClientBytes(s.bytes, off, n, off);
      }
    }
  }

  static final class Fed {
    final ConnectionDecoder decoder;
    final long allocated;
    final long events;

    Fed(ConnectionDecoder decoder, long allocated, long events) {
      this.decoder = decoder;
      this.allocated = allocated;
      this.events = events;
    }
  }

  /**
   * A new decoder fed the whole input; the bytes allocated on this thread meanwhile (input
   * excluded).
   */
  static Fed run(List<Seg> input, int chunk) {
    long[] events = {0};
    long tid = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(tid);
    ConnectionDecoder d = new ConnectionDecoder(e -> events[0]++);
    for (Seg s : input) {
      feed(d, s, chunk);
    }
    long allocated = THREADS.getThreadAllocatedBytes(tid) - before;
    return new Fed(d, allocated, events[0]);
  }

  /**
   * The least of a few runs (the first warms the code up; the JIT's own allocations are not the
   * decoder's).
   */
  static long allocated(List<Seg> input, int chunk) {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      least = Math.min(least, run(input, chunk).allocated);
    }
    return least;
  }

  /**
   * Heap a decoder still holds after it was fed: {@code n} of them kept, measured after full
   * collections.
   */
  static long retainedEach(List<Seg> input, int chunk, int n) {
    long before = usedAfterGc();
    List<ConnectionDecoder> kept = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      kept.add(run(input, chunk).decoder);
    }
    long after = usedAfterGc();
    assertEquals(n, kept.size());
    return Math.max(0, after - before) / n;
  }

  static String label(int chunk) {
    return chunk == Integer.MAX_VALUE ? "whole segments" : String.valueOf(chunk);
  }

  static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Allocation of {@code big} (SCALE times {@code small}'s variable part) against {@code small}, at
   * every chunking.
   */
  static void assertLinear(String what, List<Seg> small, List<Seg> big) {
    Fed probe1 = run(small, Integer.MAX_VALUE);
    Fed probe8 = run(big, Integer.MAX_VALUE);
    StringBuilder figures =
        new StringBuilder(what)
            .append(
                String.format(
                    " (events %d -> %d, phase %s -> %s)",
                    probe1.events, probe8.events, probe1.decoder.phase(), probe8.decoder.phase()));
    for (int chunk : CHUNKS) {
      long a1 = allocated(small, chunk);
      long a8 = allocated(big, chunk);
      figures.append(
          String.format(
              "%n  chunks of %s: %d bytes in -> %d allocated; %d bytes in -> %d allocated",
              label(chunk), bytes(small), a1, bytes(big), a8));
      assertTrue(
          a8 <= MAX_RATIO * Math.max(a1, 1), "allocation grows faster than the input:" + figures);
      // and the work per byte stays small whatever the chunking (a byte at a time included)
      assertTrue(a8 <= 512L * bytes(big), "allocation per input byte:" + figures);
    }
    System.out.println(figures);
  }

  @Test
  void aRealConversationCostsLinearAllocationAndKeepsBoundedState() throws Exception {
    List<Seg> conv = conversation("bbf-tedious-rpc.pcapng");
    int login = loginLength(conv);
    List<Seg> head = conv.subList(0, login);
    List<Seg> rest = conv.subList(login, conv.size());
    assertTrue(bytes(rest) > 1000, "requests and responses after the login: " + bytes(rest));
    List<Seg> once = repeated(head, rest, 1);
    List<Seg> many = repeated(head, rest, SCALE);
    Fed whole = run(many, Integer.MAX_VALUE);
    Fed bytewise = run(many, 1);
    assertEquals(whole.events, bytewise.events, "the same events whatever the chunking");
    assertTrue(
        whole.events > run(once, Integer.MAX_VALUE).events, "the copies are decoded, not ignored");
    assertLinear("real conversation (bbf-tedious-rpc.pcapng)", once, many);
    for (int chunk : new int[] {1, Integer.MAX_VALUE}) {
      long r1 = retainedEach(once, chunk, 64);
      long r8 = retainedEach(many, chunk, 64);
      System.out.printf(
          "real conversation, chunks of %s: %d bytes kept per decoder fed once, %d fed %d times%n",
          label(chunk), r1, r8, SCALE);
      assertTrue(
          r8 <= 2 * r1 + 16 * 1024,
          "state kept grows with what was fed: " + r1 + " -> " + r8 + " bytes");
    }
  }

  /**
   * MS-TDS 2.2.7.4: COLMETADATA of {@code columns} NVARCHAR(100) columns, then DONE, as one
   * response message in 64-byte packets (a server may send packets of any size up to the one
   * agreed): the token is held across hundreds of packet boundaries, whatever the chunks.
   */
  static Seg wideResponse(int columns) {
    Out s = new Out().u8(0x81).u16le(columns);
    for (int i = 0; i < columns; i++) {
      s.u32le(0)
          .u16le(1)
          .u8(0xE7)
          .u16le(200)
          .bytes(new byte[] {0x09, 0x04, (byte) 0xD0, 0x00, 0x34})
          .bVarchar(String.format("column_%04d_with_a_long_descriptive_name_as_reports_have", i));
    }
    s.bytes(TdsBytes.done(0xFD, 0x00, 0xC1, 0));
    return new Seg(true, TdsBytes.message(0x04, s.toByteArray(), 64));
  }

  /**
   * MS-TDS 2.2.6.7: a SQL batch with its ALL_HEADERS (transaction descriptor), in packets of this
   * size.
   */
  static Seg batch(String sql, int packetSize) {
    byte[] headers = new Out().u32le(22).u32le(18).u16le(2).u64le(0).u32le(1).toByteArray();
    return new Seg(
        false, TdsBytes.message(0x01, TdsBytes.concat(headers, TdsBytes.utf16(sql)), packetSize));
  }

  @Test
  void hostileConversationsCostLinearAllocationAndKeepBoundedState() throws Exception {
    List<Seg> conv = conversation("bbf-tedious-rpc.pcapng");
    List<Seg> login = conv.subList(0, loginLength(conv));

    // a server that answers with one huge token (the element held across every chunk boundary)
    List<Seg> wide1 = new ArrayList<>(login);
    wide1.add(batch("SELECT * FROM wide", 4096));
    List<Seg> wide8 = new ArrayList<>(wide1);
    wide1.add(wideResponse(200));
    wide8.add(wideResponse(200 * SCALE));
    assertLinear("a huge COLMETADATA", wide1, wide8);

    // a client that sends a huge batch
    List<Seg> text1 = new ArrayList<>(login);
    List<Seg> text8 = new ArrayList<>(login);
    text1.add(batch("SELECT 1 -- " + "x".repeat(20_000), 64));
    text8.add(batch("SELECT 1 -- " + "x".repeat(20_000 * SCALE), 64));
    assertLinear("a huge SQL batch", text1, text8);

    // garbage after the login, both ways
    java.util.Random random = new java.util.Random(14);
    List<Seg> junk1 = new ArrayList<>(login);
    List<Seg> junk8 = new ArrayList<>(login);
    for (int i = 0; i < SCALE; i++) {
      byte[] c = new byte[8192];
      byte[] s = new byte[8192];
      random.nextBytes(c);
      random.nextBytes(s);
      if (i == 0) {
        junk1.add(new Seg(false, c));
        junk1.add(new Seg(true, s));
      }
      junk8.add(new Seg(false, c));
      junk8.add(new Seg(true, s));
    }
    assertLinear("garbage", junk1, junk8);

    // whatever it was fed, a decoder keeps at most its limits' worth (and far less once a message
    // has ended)
    DecoderLimits limits = DecoderLimits.defaults();
    long bound =
        DecoderLimits.DEFAULT_MAX_MESSAGE_BYTES + DecoderLimits.DEFAULT_MAX_TLS_BYTES + 64 * 1024;
    for (List<Seg> input : List.of(wide8, text8, junk8)) {
      for (int chunk : new int[] {1, Integer.MAX_VALUE}) {
        long kept = retainedEach(input, chunk, 16);
        System.out.printf(
            "hostile input of %d bytes, chunks of %s: %d bytes kept per decoder%n",
            bytes(input), label(chunk), kept);
        assertTrue(kept <= bound, "a decoder keeps " + kept + " bytes (limits " + limits + ")");
      }
    }
  }
}
