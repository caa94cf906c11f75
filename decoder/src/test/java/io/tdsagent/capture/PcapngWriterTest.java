package io.tdsagent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.event.Login7Event;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.testutil.LoginExchange;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.Tshark;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapngWriterTest {
  static final int PORT = 14333;
  static final long T0 = 1_700_000_000_123_456_789L;

  @TempDir Path dir;

  /** Writes the exchange as one session, masked, at nanosecond-distinct times. */
  static void writeSession(PcapngWriter w, LoginExchange x, int clientPort) throws Exception {
    SyntheticTcpSession s =
        new SyntheticTcpSession(
            w,
            InetAddress.getByName("127.0.0.1"),
            clientPort,
            InetAddress.getByName("127.0.0.1"),
            PORT);
    long[] t = {T0};
    SecretMasker m =
        new SecretMasker(
            (fromClient, data, time) -> {
              try {
                s.data(fromClient, data, 0, data.length, time);
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    s.open(t[0]++, t[0]++);
    m.client(x.prelogin, 0, x.prelogin.length, t[0]++);
    m.server(x.preloginAnswer, 0, x.preloginAnswer.length, t[0]++);
    m.client(x.login7, 0, x.login7.length, t[0]++);
    m.server(x.loginResponse, 0, x.loginResponse.length, t[0]++);
    m.client(x.batch, 0, x.batch.length, t[0]++);
    m.server(x.batchResponse, 0, x.batchResponse.length, t[0]++);
    m.close();
    s.close(t[0]++);
  }

  @Test
  void ownReaderSeesTheFramesAndReplaysTheLogin() throws Exception {
    Path f = dir.resolve("login.pcapng");
    try (PcapngWriter w = PcapngWriter.create(f, FrameDissector.LINKTYPE_ETHERNET, "test", "tds")) {
      writeSession(w, new LoginExchange(4096), 50001);
    }
    List<CapturedFrame> frames = new ArrayList<>();
    try (CaptureReader r = CaptureReader.open(f)) {
      CapturedFrame c;
      while ((c = r.next()) != null) {
        frames.add(c);
      }
    }
    assertEquals(3 + 6 + 3, frames.size());
    assertEquals(T0, frames.get(0).timestampNanos(), "nanosecond timestamps survive");
    TcpSegment syn = FrameDissector.tcp(frames.get(0));
    assertNotNull(syn);
    assertTrue(syn.has(TcpSegment.SYN) && !syn.has(TcpSegment.ACK));
    assertEquals("127.0.0.1:50001", syn.source());
    assertEquals("127.0.0.1:" + PORT, syn.destination());

    List<Recorder> conversations = new ArrayList<>();
    int n =
        CaptureReplay.replay(
            f,
            c -> {
              Recorder r = new Recorder();
              conversations.add(r);
              return r;
            });
    assertEquals(1, n);
    Recorder r = conversations.get(0);
    assertEquals(LoginExchange.USER, r.one(Login7Event.class).login7().userName());
    assertEquals(LoginOutcomeEvent.Outcome.SUCCESS, r.one(LoginOutcomeEvent.class).outcome());
    assertNoCanary(Files.readAllBytes(f));
  }

  @Test
  void tsharkDissectsTheLoginWithoutComplaint() throws Exception {
    Path f = dir.resolve("tshark.pcapng");
    try (PcapngWriter w = PcapngWriter.create(f, FrameDissector.LINKTYPE_ETHERNET, "test", "tds")) {
      writeSession(w, new LoginExchange(4096), 50001);
      writeSession(w, new LoginExchange(200), 50002); // LOGIN7 over several packets
    }
    if (System.getProperty("pcap.keep") != null) {
      Files.copy(
          f,
          Path.of(System.getProperty("pcap.keep")),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    List<String[]> logins =
        Tshark.fields(
            f,
            PORT,
            "tds.7login.username",
            "tcp.srcport",
            "tds.7login.username",
            "tds.7login.clientname",
            "tds.7login.appname",
            "tds.7login.servername",
            "tds.7login.libraryname",
            "tds.7login.databasename",
            "tds.7login.version",
            "tds.7login.password");
    assertEquals(2, logins.size(), () -> "two LOGIN7 dissected: " + dump(logins));
    for (String[] l : logins) {
      assertEquals(LoginExchange.USER, l[1]);
      assertEquals("pcap-host", l[2]);
      assertEquals("pcap-app", l[3]);
      assertEquals("db.example", l[4]);
      assertEquals("Test Library", l[5]);
      assertEquals("demo", l[6]);
      assertEquals("0x74000004", l[7]);
      assertTrue(!l[8].contains("Canary"), l[8]);
    }
    List<String[]> acks =
        Tshark.fields(f, PORT, "tds.loginack", "tds.loginack.tdsversion", "tds.loginack.progname");
    assertEquals(2, acks.size(), () -> dump(acks));
    assertEquals("0x74000004", acks.get(0)[0]);
    assertEquals("Microsoft SQL Server", acks.get(0)[1]);
    assertEquals(List.of(), Tshark.problems(f, PORT));
  }

  @Test
  void framesAreSplitAndSequenced() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] big = new byte[150_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    try (PcapngWriter w = new PcapngWriter(bytes, FrameDissector.LINKTYPE_ETHERNET, null, null)) {
      SyntheticTcpSession s =
          new SyntheticTcpSession(w, null, 50003, InetAddress.getByName("::1"), PORT);
      s.data(false, big, 0, big.length, T0);
      s.skip(false, 10);
      s.data(false, new byte[] {1, 2, 3}, 0, 3, T0 + 1);
      s.close(T0 + 2);
    }
    List<TcpSegment> segs = new ArrayList<>();
    try (CaptureReader r =
        CaptureReader.open(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      CapturedFrame c;
      while ((c = r.next()) != null) {
        segs.add(FrameDissector.tcp(c));
      }
    }
    // handshake, 3 pieces of the big chunk, the small one, FIN, FIN, ACK
    assertEquals(3 + 3 + 1 + 3, segs.size());
    assertEquals("[0:0:0:0:0:0:0:1]:" + PORT, segs.get(3).source());
    long isn = segs.get(1).seq();
    assertEquals(isn + 1, segs.get(3).seq());
    assertEquals(isn + 1 + 65_000, segs.get(4).seq());
    assertEquals(150_000 - 130_000, segs.get(5).payload().length);
    assertEquals(isn + 1 + 150_000 + 10, segs.get(6).seq(), "skipped bytes leave a gap");
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 3; i <= 5; i++) {
      joined.writeBytes(segs.get(i).payload());
    }
    assertArrayEquals(big, joined.toByteArray());
  }

  static void assertNoCanary(byte[] file) {
    for (String secret : new String[] {LoginExchange.CANARY, LoginExchange.NEW_PASSWORD}) {
      for (byte[] needle :
          new byte[][] {
            secret.getBytes(java.nio.charset.StandardCharsets.UTF_16LE),
            secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            io.tdsagent.testutil.Login7Bytes.obfuscate(secret)
          }) {
        assertEquals(
            -1, io.tdsagent.testutil.SecretScanner.indexOf(file, needle), "secret in the capture");
      }
    }
  }

  static String dump(List<String[]> rows) {
    StringBuilder b = new StringBuilder();
    for (String[] r : rows) {
      b.append(String.join(" | ", r)).append('\n');
    }
    return b.toString();
  }
}
