package io.tdsagent.replay;

import static io.tdsagent.replay.Run.attrs;
import static io.tdsagent.replay.Run.named;
import static io.tdsagent.replay.Run.one;
import static io.tdsagent.testutil.SmpBytes.ack;
import static io.tdsagent.testutil.SmpBytes.data;
import static io.tdsagent.testutil.SmpBytes.fin;
import static io.tdsagent.testutil.SmpBytes.syn;
import static io.tdsagent.testutil.TdsBytes.concat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.testutil.Login7Bytes;
import io.tdsagent.testutil.PcapWriter;
import io.tdsagent.testutil.TdsBytes;
import io.tdsagent.testutil.TdsBytes.Out;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-built captures: MARS, abnormal closes, capture side, link layers, reordering and gaps. */
class SyntheticReplayTest {
  static final long T0 = 1_700_000_000_000_000L; // microseconds

  @TempDir Path dir;

  static byte[] prelogin(boolean mars) {
    byte[][] data = {
      new Out().u8(16).u8(0).u16be(4135).u16be(0).toByteArray(), {2}, {(byte) (mars ? 1 : 0)}
    };
    return TdsBytes.packet(0x12, 1, TdsBytes.preloginOptions(new int[] {0, 1, 4}, data));
  }

  static byte[] preloginResponse(boolean mars) {
    byte[][] data = {
      new Out().u8(16).u8(0).u16be(4135).u16be(0).toByteArray(), {2}, {(byte) (mars ? 1 : 0)}
    };
    return TdsBytes.packet(0x04, 1, TdsBytes.preloginOptions(new int[] {0, 1, 4}, data));
  }

  static byte[] login7() {
    Login7Bytes b = new Login7Bytes();
    b.password = "Synthetic-Canary-1!";
    return TdsBytes.message(0x10, b.build(), 4096);
  }

  static byte[] loginAck() {
    return TdsBytes.packet(
        0x04,
        1,
        concat(
            TdsBytes.envChangeString(1, "demo", "master"),
            TdsBytes.loginAck(0x74000004, "Microsoft SQL Server", 16, 0, 0x10, 0xA7),
            TdsBytes.done(0xFD, 0, 0, 0)));
  }

  static byte[] batch(String sql) {
    byte[] headers = new Out().u32le(22).u32le(18).u16le(2).u64le(0).u32le(1).toByteArray();
    return concat(headers, TdsBytes.utf16(sql));
  }

  static byte[] rows(int n) {
    Out o = new Out().u8(0x81).u16le(1).u32le(0).u16le(0).u8(0x38).bVarchar("v");
    for (int i = 0; i < n; i++) {
      o.u8(0xD1).u32le(i);
    }
    return o.bytes(TdsBytes.done(0xFD, 0x10, 0xC1, n)).toByteArray();
  }

  static byte[] error(long number, String message) {
    return concat(
        TdsBytes.serverMessage(true, number, 1, 16, message, "SRV"),
        TdsBytes.done(0xFD, 0x02, 0xC1, 0));
  }

  private Path write(String name, ByteArrayOutputStream b) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, b.toByteArray());
    return p;
  }

  static void loginFor(PcapWriter w, long t) throws IOException {
    login(w, t, false);
  }

  private static void login(PcapWriter w, long t, boolean mars) throws IOException {
    w.data(true, prelogin(mars), t + 1000)
        .data(false, preloginResponse(mars), t + 1500)
        .data(true, login7(), t + 2000)
        .data(false, loginAck(), t + 4000);
  }

  @SuppressWarnings("unchecked")
  static long eventTime(Map<String, Object> span, String name) {
    for (Object o : (List<Object>) span.get("events")) {
      Map<String, Object> e = (Map<String, Object>) o;
      if (name.equals(e.get("name"))) {
        return (Long) e.get("timeUnixNano");
      }
    }
    throw new AssertionError("no event " + name + " in " + span);
  }

  @Test
  void marsSessionsWithTheirRequests() throws IOException {
    ByteArrayOutputStream b = PcapWriter.buffer();
    PcapWriter w = new PcapWriter(b, PcapWriter.ETHERNET);
    w.handshake(T0, 300, 5);
    login(w, T0, true);
    byte[] q0 = TdsBytes.packet(0x01, 1, batch("SELECT * FROM users"));
    byte[] q1 = TdsBytes.packet(0x01, 1, batch("UPDATE orders SET x = 1"));
    w.data(true, concat(syn(0, 4), syn(1, 4)), T0 + 10_000);
    w.data(true, data(0, 1, 4, q0), T0 + 10_100);
    w.data(true, data(1, 1, 4, q1), T0 + 10_200);
    w.data(
        false,
        data(1, 1, 5, TdsBytes.packet(0x04, 1, error(547, "The UPDATE statement conflicted"))),
        T0 + 12_000);
    w.data(false, data(0, 1, 5, TdsBytes.packet(0x04, 1, rows(7))), T0 + 15_000);
    w.data(true, concat(ack(0, 1, 6), fin(0, 1, 6), fin(1, 1, 6)), T0 + 16_000);
    w.data(false, concat(fin(0, 1, 6), fin(1, 1, 6)), T0 + 16_500);
    w.fin(true, T0 + 20_000).fin(false, T0 + 20_100);
    Run r = Run.of("--json", write("mars.pcap", b).toString());
    assertEquals(0, r.code, r.toString());
    List<Map<String, Object>> spans = r.spans();
    List<Map<String, Object>> sessions = named(spans, "mars session");
    assertEquals(2, sessions.size(), r.out);
    Map<String, Object> root = one(spans, "SQL Server connection");
    assertEquals(true, attrs(root).get("tds.mars"));
    assertEquals(2L, attrs(root).get("tds.smp.sessions"));
    assertEquals(true, attrs(one(spans, "prelogin")).get("tds.mars.requested"));
    Map<String, Object> login = one(spans, "SQL Server login");
    for (Map<String, Object> s : sessions) {
      assertNull(s.get("parentSpanId"));
      assertEquals(
          List.of(Map.of("traceId", login.get("traceId"), "spanId", login.get("spanId"))),
          s.get("links"));
      assertEquals(1L, attrs(s).get("tds.smp.requests"));
      assertEquals(true, attrs(s).get("tds.smp.fin_both_ways"));
      assertEquals("client", attrs(s).get("tds.smp.closed_by"));
    }
    Map<String, Object> select = one(spans, "SELECT users");
    Map<String, Object> update = one(spans, "UPDATE orders");
    Map<String, Object> session0 =
        sessions.stream()
            .filter(s -> Long.valueOf(0).equals(attrs(s).get("tds.smp.sid")))
            .findFirst()
            .get();
    assertEquals(session0.get("spanId"), select.get("parentSpanId"));
    assertEquals(session0.get("traceId"), select.get("traceId"));
    assertEquals(7L, attrs(select).get("db.response.returned_rows"));
    assertEquals("ERROR", update.get("status"));
    assertEquals("547", attrs(update).get("db.response.status_code"));
    assertEquals("547", attrs(update).get("error.type"));
    // server time: from the request's last byte to the response's first, 4.9 ms in the capture
    assertEquals(T0 * 1000 + 15_000_000, eventTime(select, "tds.response.first_byte"));
    assertTrue(!r.out.contains("Synthetic-Canary-1!"));

    Run human = Run.of(dir.resolve("mars.pcap").toString());
    assertTrue(
        human.out.contains("mars session") && human.out.contains("sid=0 requests=1"), human.out);
    assertTrue(human.out.contains("mars sessions=2"), human.out);
  }

  @Test
  void serverClosingDuringTheTlsHandshakeIsAbnormal() throws IOException {
    ByteArrayOutputStream b = PcapWriter.buffer();
    PcapWriter w = new PcapWriter(b, PcapWriter.RAW);
    w.handshake(T0, 300, 5);
    w.data(true, prelogin(false), T0 + 1000).data(false, preloginResponse(false), T0 + 1500);
    byte[] clientHello =
        TdsBytes.hex("16 03 01 00 2d 01 00 00 29 03 03" + "00".repeat(32) + "00 00 02 c0 2f 01 00");
    w.data(true, TdsBytes.packet(0x12, 1, clientHello), T0 + 2000);
    w.fin(false, T0 + 3000).fin(true, T0 + 3100);
    Run r = Run.of("--json", write("tlsfin.pcap", b).toString());
    Map<String, Object> root = one(r.spans(), "SQL Server connection");
    assertEquals("server FIN", attrs(root).get("tds.tcp.close"));
    assertEquals("server", attrs(root).get("tds.tcp.close_initiator"));
    assertEquals(true, attrs(root).get("tds.tcp.close_abnormal"));
    assertEquals("server FIN during the TLS handshake", attrs(root).get("tds.tcp.close_reason"));
    assertEquals("ERROR", root.get("status"));
    Map<String, Object> login = one(r.spans(), "SQL Server login");
    assertEquals("aborted", attrs(login).get("tds.login.outcome"));
    assertEquals("connection_closed", attrs(login).get("error.type"));
  }

  @Test
  void resetMidResponseIsAbnormalAndFailsTheRequest() throws IOException {
    ByteArrayOutputStream b = PcapWriter.buffer();
    PcapWriter w = new PcapWriter(b, PcapWriter.SLL);
    w.handshake(T0, 20, 900);
    login(w, T0, false);
    w.data(true, TdsBytes.packet(0x01, 1, batch("SELECT * FROM big")), T0 + 10_000);
    byte[] resp = TdsBytes.message(0x04, rows(50), 64);
    w.data(false, Arrays.copyOf(resp, 128), T0 + 11_000);
    w.rst(false, T0 + 12_000);
    Run r = Run.of("--json", write("rst.pcap", b).toString());
    List<Map<String, Object>> spans = r.spans();
    Map<String, Object> root = one(spans, "SQL Server connection");
    assertEquals("server RST", attrs(root).get("tds.tcp.close"));
    assertEquals("server RST mid-response", attrs(root).get("tds.tcp.close_reason"));
    assertEquals("connection_reset", attrs(root).get("error.type"));
    assertEquals(
        "server",
        attrs(root).get("tds.capture.side")); // SYN-ACK -> ACK 900 us >> SYN -> SYN-ACK 20 us
    Map<String, Object> q = one(spans, "SELECT big");
    assertEquals("ERROR", q.get("status"));
    assertEquals(false, attrs(q).get("tds.response.complete"));
    // the agent's reading of a server that resets the connection first: said on the request in
    // flight
    assertEquals("server", attrs(q).get("tds.connection.closed_by"));
    assertTrue(r.out.contains("\"tds.connection.close\":\"rst\""), r.out);
  }

  @Test
  void captureTakenOnTheClient() throws IOException {
    ByteArrayOutputStream b = PcapWriter.buffer();
    PcapWriter w = new PcapWriter(b, PcapWriter.ETHERNET);
    w.handshake(T0, 10_000, 30);
    login(w, T0 + 10_000, false);
    w.fin(true, T0 + 30_000).fin(false, T0 + 30_100);
    Map<String, Object> root =
        one(Run.of("--json", write("client.pcap", b).toString()).spans(), "SQL Server connection");
    assertEquals("client", attrs(root).get("tds.capture.side"));
    assertEquals(false, attrs(root).get("tds.tcp.close_abnormal"));
  }

  /** The same exchange behind every supported link layer, IPv4 and IPv6. */
  @Test
  void linkLayersAndIpVersions() throws IOException {
    int[] links = {
      PcapWriter.ETHERNET,
      PcapWriter.ETHERNET,
      PcapWriter.RAW,
      PcapWriter.SLL,
      PcapWriter.SLL2,
      PcapWriter.NULL
    };
    for (boolean v6 : new boolean[] {false, true}) {
      for (int i = 0; i < links.length; i++) {
        ByteArrayOutputStream b = PcapWriter.buffer();
        PcapWriter w = new PcapWriter(b, links[i]);
        if (i == 1) {
          w.vlan();
        }
        if (v6) {
          w.ipv6();
        }
        w.connection(40000, 14330); // not the usual port: found by content
        w.handshake(T0, 100, 100);
        login(w, T0, false);
        w.data(true, TdsBytes.packet(0x01, 1, batch("SELECT 1")), T0 + 5000)
            .data(false, TdsBytes.packet(0x04, 1, rows(1)), T0 + 6000);
        String what = "link " + links[i] + (i == 1 ? " vlan" : "") + (v6 ? " ipv6" : "");
        Run r = Run.of("--json", write("l" + i + v6 + ".pcap", b).toString());
        List<Map<String, Object>> spans = r.spans();
        assertEquals(1, named(spans, "SELECT").size(), what + r);
        Map<String, Object> login = one(spans, "SQL Server login");
        assertEquals(14330L, attrs(login).get("server.port"), what);
        assertEquals(
            v6 ? "fd00:0:0:0:0:0:0:5" : "10.0.0.5", attrs(login).get("server.address"), what);
      }
    }
  }

  @Test
  void reorderedAndRetransmittedSegmentsAreReassembledGapsReported() throws IOException {
    ByteArrayOutputStream b = PcapWriter.buffer();
    PcapWriter w = new PcapWriter(b, PcapWriter.ETHERNET);
    w.handshake(T0, 100, 100);
    login(w, T0, false);
    byte[] q = TdsBytes.packet(0x01, 1, batch("SELECT * FROM reordered"));
    long seq = w.nextSeq(true);
    w.dataAt(true, Arrays.copyOfRange(q, 20, q.length), T0 + 5000, seq + 20); // second half first
    w.dataAt(true, Arrays.copyOf(q, 20), T0 + 5100, seq);
    w.dataAt(true, Arrays.copyOf(q, 20), T0 + 5200, seq); // retransmitted
    w.advance(true, q.length);
    w.data(false, TdsBytes.packet(0x04, 1, rows(2)), T0 + 6000);
    // a hole that never fills: the next request's first bytes are missing
    byte[] q2 = TdsBytes.packet(0x01, 1, batch("SELECT * FROM lost"));
    long seq2 = w.nextSeq(true);
    w.dataAt(true, Arrays.copyOfRange(q2, 10, q2.length), T0 + 7000, seq2 + 10);
    w.advance(true, q2.length);
    w.fin(true, T0 + 8000).fin(false, T0 + 8100);
    Run r = Run.of("--json", write("reorder.pcap", b).toString());
    List<Map<String, Object>> spans = r.spans();
    assertEquals(2L, attrs(one(spans, "SELECT reordered")).get("db.response.returned_rows"));
    Map<String, Object> root = one(spans, "SQL Server connection");
    assertEquals(1L, attrs(root).get("tds.tcp.retransmissions"));
    assertEquals(1L, attrs(root).get("tds.tcp.gaps"));
    assertEquals(10L, attrs(root).get("tds.tcp.gap_bytes"));
    assertTrue(
        ((String) attrs(root).get("tds.decode_error")).contains("10 bytes missing"),
        root.toString());
    assertTrue(named(spans, "SELECT lost").isEmpty()); // not guessed
  }

  @Test
  void nonTdsConnectionsAreIgnored() throws IOException {
    ByteArrayOutputStream b = PcapWriter.buffer();
    PcapWriter w = new PcapWriter(b, PcapWriter.ETHERNET);
    w.connection(41000, 80).handshake(T0, 100, 100);
    w.data(
        true,
        "GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        T0 + 1000);
    w.fin(true, T0 + 2000).fin(false, T0 + 2100);
    w.connection(41001, 1433).handshake(T0 + 3000, 100, 100);
    login(w, T0 + 3000, false);
    Run r = Run.of("--json", write("mixed.pcap", b).toString());
    assertEquals(1, named(r.spans(), "SQL Server connection").size(), r.toString());
    List<Long> ports =
        r.spans().stream()
            .map(s -> (Long) attrs(s).get("client.port"))
            .filter(p -> p != null)
            .distinct()
            .collect(Collectors.toList());
    assertEquals(List.of(41001L), ports);
  }
}
