package io.tdsagent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.Login7Event;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.MessageEndEvent;
import io.tdsagent.tds.event.Phase;
import io.tdsagent.tds.event.PhaseEvent;
import io.tdsagent.tds.event.PreloginEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TlsHandshakeEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.login.Login7;
import io.tdsagent.tds.prelogin.EncryptionMode;
import io.tdsagent.tds.prelogin.Prelogin;
import io.tdsagent.tds.tls.ClientHello;
import io.tdsagent.tds.tls.ServerCertificate;
import io.tdsagent.tds.tls.ServerHello;
import io.tdsagent.tds.token.EnvChange;
import io.tdsagent.tds.token.LoginAck;
import io.tdsagent.tds.token.ServerMessage;
import io.tdsagent.testutil.Captures;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.SecretScanner;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Real traffic: the values tshark shows (see captures/README.md). */
class CaptureConversationTest {
  private static final String BABELFISH_PASSWORD = "Canary-Pa55word!";

  private static Recorder replayOne(String name) throws Exception {
    List<Recorder> recs = new ArrayList<>();
    CaptureReplay.replay(
        Captures.path(name),
        c -> {
          Recorder r = new Recorder();
          recs.add(r);
          return r;
        });
    assertEquals(1, recs.size(), "connections in " + name);
    Recorder r = recs.get(0);
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), "decode errors: " + r.dump());
    return r;
  }

  private static Prelogin prelogin(Recorder r, Direction d) {
    return r.of(PreloginEvent.class).stream()
        .filter(e -> e.direction() == d)
        .findFirst()
        .orElseThrow()
        .prelogin();
  }

  /** Tokens of the login response (those after the login belong to requests). */
  private static List<Object> tokens(Recorder r) {
    List<Object> out = new ArrayList<>();
    for (TdsEvent e : r.events) {
      if (e instanceof LoginOutcomeEvent) {
        break;
      }
      if (e instanceof TokenEvent) {
        out.add(((TokenEvent) e).token());
      }
    }
    return out;
  }

  private static List<String> envChanges(Recorder r) {
    return tokens(r).stream()
        .filter(t -> t instanceof EnvChange)
        .map(
            t -> {
              EnvChange e = (EnvChange) t;
              return e.envType() + "=" + (e.envType().isString() ? e.newValue() : "bytes");
            })
        .collect(Collectors.toList());
  }

  private static List<String> infos(Recorder r) {
    return tokens(r).stream()
        .filter(t -> t instanceof ServerMessage)
        .map(
            t -> {
              ServerMessage m = (ServerMessage) t;
              return m.number() + "/" + m.severity() + ":" + m.message();
            })
        .collect(Collectors.toList());
  }

  private static void assertLoginAck(Recorder r, int tds, String prog, String version) {
    LoginOutcomeEvent o = r.one(LoginOutcomeEvent.class);
    assertEquals(LoginOutcomeEvent.Outcome.SUCCESS, o.outcome());
    LoginAck ack = o.ack();
    assertEquals(tds, ack.tdsVersion());
    assertEquals(prog, ack.progName());
    assertEquals(version, ack.progVersion());
    assertNull(o.error());
    List<Phase> phases =
        r.of(PhaseEvent.class).stream().map(PhaseEvent::phase).collect(Collectors.toList());
    assertTrue(
        phases.containsAll(List.of(Phase.PRELOGIN, Phase.LOGIN7, Phase.LOGIN_RESPONSE)),
        phases.toString());
    for (PhaseEvent p : r.of(PhaseEvent.class)) {
      assertTrue(p.startNanos() <= p.endNanos(), p.toString());
    }
  }

  @Test
  void sql2000SqlAuthLogin() throws Exception {
    Recorder r = replayOne("tds7-sql2000-sqlauth-login.pcap");
    Prelogin c = prelogin(r, Direction.CLIENT_TO_SERVER);
    assertEquals("8.0.341", c.version().toString());
    assertEquals(EncryptionMode.OFF, c.encryption());
    Prelogin s = prelogin(r, Direction.SERVER_TO_CLIENT);
    assertEquals("8.0.2039", s.version().toString());
    assertEquals(EncryptionMode.NOT_SUP, s.encryption());
    Login7 l = r.one(Login7Event.class).login7();
    assertEquals(0x71000001, l.tdsVersion());
    assertEquals("testuser", l.userName());
    assertEquals("Microsoft Data Access Components", l.appName());
    assertEquals("ODBC", l.clientInterfaceName());
    assertTrue(l.isOdbc());
    assertFalse(l.isIntSecurity());
    assertEquals(0, l.sspiLength());
    assertTrue(l.hasPassword());
    assertEquals(
        List.of("DATABASE=master", "SQL_COLLATION=bytes", "LANGUAGE=us_english", "PACKETSIZE=4096"),
        envChanges(r));
    assertEquals(
        List.of(5701L, 5703L),
        tokens(r).stream()
            .filter(t -> t instanceof ServerMessage)
            .map(t -> ((ServerMessage) t).number())
            .collect(Collectors.toList()));
    assertLoginAck(r, 0x71000001, "Microsoft SQL Server", "8.0.2039");
    assertEquals(Phase.CLOSED, Phase.valueOf("CLOSED"));
    // the SQL batch after login is framed only
    assertTrue(
        r.of(MessageEndEvent.class).stream()
            .anyMatch(e -> e.packetType().name().equals("SQL_BATCH")));

    String password = sql2000Password();
    assertEquals(4, password.length(), "cchPassword in the capture");
    assertNoSecret(r, password);
  }

  @Test
  void babelfishMssqlJdbc() throws Exception {
    Recorder r = replayOne("bbf-mssqljdbc-basic.pcapng");
    assertEquals("13.6.2", prelogin(r, Direction.CLIENT_TO_SERVER).version().toString());
    assertEquals(EncryptionMode.OFF, prelogin(r, Direction.CLIENT_TO_SERVER).encryption());
    assertEquals("12.0.2000", prelogin(r, Direction.SERVER_TO_CLIENT).version().toString());
    assertEquals(EncryptionMode.NOT_SUP, prelogin(r, Direction.SERVER_TO_CLIENT).encryption());
    Login7 l = r.one(Login7Event.class).login7();
    assertEquals(0x74000004, l.tdsVersion());
    assertEquals("tdsuser", l.userName());
    assertEquals("canary-mssql-jdbc", l.appName());
    assertEquals("Microsoft JDBC Driver 13.6", l.clientInterfaceName());
    assertEquals("demo", l.database());
    assertEquals(8000, l.packetSize());
    assertEquals(List.of("PACKETSIZE=8000", "DATABASE=demo", "SQL_COLLATION=bytes"), envChanges(r));
    assertEquals(List.of("0/0:Changed database context to 'demo'."), infos(r));
    assertLoginAck(r, 0x74000004, "Microsoft SQL Server", "12.0.2000");
    assertNoSecret(r, BABELFISH_PASSWORD);
  }

  @Test
  void babelfishTedious() throws Exception {
    Recorder r = replayOne("bbf-tedious-rpc.pcapng");
    assertEquals("19.2.2", prelogin(r, Direction.CLIENT_TO_SERVER).version().toString());
    assertEquals(EncryptionMode.NOT_SUP, prelogin(r, Direction.CLIENT_TO_SERVER).encryption());
    assertEquals(EncryptionMode.NOT_SUP, prelogin(r, Direction.SERVER_TO_CLIENT).encryption());
    Login7 l = r.one(Login7Event.class).login7();
    assertEquals(0x74000004, l.tdsVersion());
    assertEquals("tdsuser", l.userName());
    assertEquals("canary-tedious", l.appName());
    assertEquals("Tedious", l.clientInterfaceName());
    assertEquals("demo", l.database());
    assertEquals(4096, l.packetSize());
    assertEquals(
        List.of("DATABASE=demo", "LANGUAGE=us_english", "SQL_COLLATION=bytes"), envChanges(r));
    assertEquals(
        List.of(
            "0/0:Changed database context to 'demo'.",
            "5703/10:Changed language setting to 'us_english'"),
        infos(r));
    assertLoginAck(r, 0x74000004, "Microsoft SQL Server", "12.0.2000");
    // three RPCs after login, framed only
    assertEquals(
        3,
        r.of(MessageEndEvent.class).stream()
            .filter(e -> e.packetType().name().equals("RPC"))
            .count());
    assertNoSecret(r, BABELFISH_PASSWORD);
  }

  @Test
  void babelfishLoginOnlyEncryption() throws Exception {
    Recorder r = replayOne("bbf-tls-mssqljdbc-encrypt-false-loginonly.pcapng");
    assertEquals(EncryptionMode.OFF, prelogin(r, Direction.CLIENT_TO_SERVER).encryption());
    assertEquals(EncryptionMode.OFF, prelogin(r, Direction.SERVER_TO_CLIENT).encryption());
    List<Object> tls =
        r.of(TlsHandshakeEvent.class).stream()
            .map(TlsHandshakeEvent::message)
            .collect(Collectors.toList());
    ClientHello ch = (ClientHello) tls.get(0);
    assertEquals(0x0303, ch.legacyVersion());
    assertEquals(List.of("TLSv1.3", "TLSv1.2"), ch.offeredVersionNames());
    assertTrue(
        ch.cipherSuiteNames().contains("TLS_AES_256_GCM_SHA384"), ch.cipherSuiteNames().toString());
    ServerHello sh = (ServerHello) tls.get(1);
    assertEquals("TLSv1.2", sh.selectedVersionName());
    assertEquals("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", sh.cipherSuiteName());
    ServerCertificate cert = (ServerCertificate) tls.get(2);
    assertEquals("CN=localhost", cert.subject());
    assertTrue(cert.notBefore().isBefore(cert.notAfter()));
    assertEquals(
        List.of(
            "client_hello",
            "server_hello",
            "certificate",
            "server_key_exchange",
            "server_hello_done",
            "client_key_exchange"),
        tls.stream()
            .map(m -> ((io.tdsagent.tds.tls.TlsHandshakeMessage) m).name())
            .collect(Collectors.toList()));
    PhaseEvent tlsPhase =
        r.of(PhaseEvent.class).stream()
            .filter(p -> p.phase() == Phase.TLS_HANDSHAKE)
            .findFirst()
            .orElseThrow();
    PhaseEvent login7 =
        r.of(PhaseEvent.class).stream()
            .filter(p -> p.phase() == Phase.LOGIN7)
            .findFirst()
            .orElseThrow();
    assertTrue(tlsPhase.startNanos() < tlsPhase.endNanos());
    assertTrue(tlsPhase.endNanos() <= login7.startNanos());
    assertTrue(r.of(Login7Event.class).isEmpty(), "LOGIN7 was encrypted on the wire");
    assertEquals(List.of("PACKETSIZE=8000", "DATABASE=demo", "SQL_COLLATION=bytes"), envChanges(r));
    assertLoginAck(r, 0x74000004, "Microsoft SQL Server", "12.0.2000");
    assertNoSecret(r, BABELFISH_PASSWORD);
  }

  @Test
  void midSessionRpcCaptureDecodesWithoutErrors() throws Exception {
    List<Recorder> recs = new ArrayList<>();
    int n =
        CaptureReplay.replay(
            Captures.path("tds-rpc-requests.pcap"),
            c -> {
              Recorder r = new Recorder();
              recs.add(r);
              return r;
            });
    assertEquals(12, n);
    long rpcs = 0;
    for (Recorder r : recs) {
      assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
      assertTrue(r.of(LoginOutcomeEvent.class).isEmpty(), "no login, no outcome: " + r.dump());
      rpcs +=
          r.of(MessageEndEvent.class).stream()
              .filter(e -> e.packetType().name().equals("RPC"))
              .count();
    }
    assertEquals(16, rpcs);
    assertTrue(
        recs.stream()
            .flatMap(r -> r.of(MessageEndEvent.class).stream())
            .anyMatch(e -> e.messageBytes() == 8339),
        "the 8 KB multi-packet RPC is one message");
  }

  private static void assertNoSecret(Recorder r, String secret) {
    // whole-word match: the SQL 2000 capture's password is "host", which "hostName=" must not trip
    java.util.regex.Pattern word =
        java.util.regex.Pattern.compile(
            "(?<![A-Za-z0-9])" + java.util.regex.Pattern.quote(secret) + "(?![A-Za-z0-9])");
    for (TdsEvent e : r.events) {
      assertFalse(word.matcher(e.toString()).find(), e.toString());
      List<String> hits = new SecretScanner(secret, word).scan(e);
      assertTrue(hits.isEmpty(), "secret reachable at " + hits);
    }
  }

  /**
   * Reads the SQL 2000 capture's LOGIN7 password straight from the capture, to check it never
   * leaks.
   */
  private static String sql2000Password() throws Exception {
    Path p = Captures.path("tds7-sql2000-sqlauth-login.pcap");
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    TcpReassembler tcp =
        new TcpReassembler(
            new TcpStreamListener() {
              @Override
              public void onData(
                  TcpConnection c, Direction d, byte[] buf, int off, int len, long ts) {
                if (d == Direction.CLIENT_TO_SERVER) {
                  client.write(buf, off, len);
                }
              }
            });
    try (CaptureReader reader = CaptureReader.open(p)) {
      CapturedFrame f;
      while ((f = reader.next()) != null) {
        TcpSegment s = FrameDissector.tcp(f);
        if (s != null) {
          tcp.accept(s);
        }
      }
    }
    byte[] b = client.toByteArray();
    int at = 0;
    while (b[at] != 0x10) {
      at += (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
    int login = at + 8;
    int ib = (b[login + 44] & 0xFF) | (b[login + 45] & 0xFF) << 8;
    int cch = (b[login + 46] & 0xFF) | (b[login + 47] & 0xFF) << 8;
    byte[] pw = new byte[cch * 2];
    for (int i = 0; i < pw.length; i++) {
      int v = (b[login + ib + i] & 0xFF) ^ 0xA5;
      pw[i] = (byte) (((v << 4) | (v >> 4)) & 0xFF);
    }
    return new String(pw, StandardCharsets.UTF_16LE);
  }
}
