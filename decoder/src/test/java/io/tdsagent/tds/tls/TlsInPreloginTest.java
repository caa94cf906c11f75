package io.tdsagent.tds.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.conversation.TdsConversation;
import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.Phase;
import io.tdsagent.tds.event.PhaseEvent;
import io.tdsagent.tds.event.TlsAlertEvent;
import io.tdsagent.tds.event.TlsHandshakeEvent;
import io.tdsagent.testutil.Login7Bytes;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.TdsBytes;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JDK TLS handshake, carried in PRELOGIN packets the way TDS 7.x does it. */
class TlsInPreloginTest {
  private static SSLContext serverContext;
  private static SSLContext clientContext;

  @BeforeAll
  static void keys(@TempDir Path dir) throws Exception {
    File ks = dir.resolve("server.p12").toFile();
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "srv",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=tds-test-server",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                ks.getPath(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, new String(out));
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
    clientContext = SSLContext.getInstance("TLS");
    clientContext.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {}

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    Files.deleteIfExists(ks.toPath());
  }

  private static Recorder handshake(String protocol, int serverPacketType) throws Exception {
    Recorder r = new Recorder();
    TdsConversation conv = new TdsConversation(r);
    long[] t = {0};
    conv.onClientBytes(prelogin(0), 0, prelogin(0).length, t[0]++);
    byte[] resp = TdsBytes.packet(0x04, 1, TdsBytes.prelogin(16, 0, 1, 0));
    conv.onServerBytes(resp, 0, resp.length, t[0]++);

    SSLEngine client = clientContext.createSSLEngine("db.example", 1433);
    client.setUseClientMode(true);
    SSLParameters cp = client.getSSLParameters();
    cp.setServerNames(List.of(new SNIHostName("db.example")));
    cp.setApplicationProtocols(new String[] {"tds/8.0"});
    cp.setProtocols(new String[] {protocol});
    client.setSSLParameters(cp);
    SSLEngine server = serverContext.createSSLEngine();
    server.setUseClientMode(false);
    SSLParameters sp = server.getSSLParameters();
    sp.setApplicationProtocols(new String[] {"tds/8.0"});
    server.setSSLParameters(sp);
    client.beginHandshake();
    server.beginHandshake();

    ByteBuffer toServer = ByteBuffer.allocate(1 << 16).flip();
    ByteBuffer toClient = ByteBuffer.allocate(1 << 16).flip();
    for (int round = 0; round < 50; round++) {
      byte[] c = wrap(client);
      if (c.length > 0) {
        byte[] packets = TdsBytes.message(0x12, c, 512); // small packets: records span packets
        for (int i = 0; i < packets.length; i += 37) { // and reads arrive in odd pieces
          conv.onClientBytes(packets, i, Math.min(37, packets.length - i), t[0]++);
        }
        toServer = append(toServer, c);
      }
      toServer = unwrap(server, toServer);
      byte[] s = wrap(server);
      if (s.length > 0) {
        byte[] packets = TdsBytes.message(serverPacketType, s, 512);
        for (int i = 0; i < packets.length; i += 53) {
          conv.onServerBytes(packets, i, Math.min(53, packets.length - i), t[0]++);
        }
        toClient = append(toClient, s);
      }
      toClient = unwrap(client, toClient);
      if (done(client) && done(server) && !toServer.hasRemaining() && !toClient.hasRemaining()) {
        break;
      }
    }
    assertTrue(done(client) && done(server), "handshake did not complete");
    assertEquals(Phase.TLS_HANDSHAKE, conv.phase());
    // login-only encryption as the agent sees it: LOGIN7 in plaintext, then the plaintext response
    Login7Bytes l = new Login7Bytes();
    l.password = "Tls-Canary-77";
    byte[] login = TdsBytes.packet(0x10, 1, l.build());
    conv.onClientBytes(login, 0, login.length, t[0]++);
    byte[] ok =
        TdsBytes.packet(
            0x04,
            1,
            TdsBytes.concat(
                TdsBytes.loginAck(0x74000004, "Microsoft SQL Server", 16, 0, 1, 2),
                TdsBytes.done(0xFD, 0, 0, 0)));
    conv.onServerBytes(ok, 0, ok.length, t[0]++);
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
    assertEquals(LoginOutcomeEvent.Outcome.SUCCESS, r.one(LoginOutcomeEvent.class).outcome());
    return r;
  }

  private static byte[] prelogin(int enc) {
    return TdsBytes.packet(0x12, 1, TdsBytes.prelogin(13, 6, 2, enc));
  }

  private static boolean done(SSLEngine e) {
    HandshakeStatus s = e.getHandshakeStatus();
    return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
  }

  private static byte[] wrap(SSLEngine e) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer net = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
    while (e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
      net.clear();
      e.wrap(ByteBuffer.allocate(0), net);
      runTasks(e);
      out.write(net.array(), 0, net.position());
    }
    return out.toByteArray();
  }

  private static ByteBuffer unwrap(SSLEngine e, ByteBuffer in) throws Exception {
    ByteBuffer app = ByteBuffer.allocate(1 << 16);
    while (in.hasRemaining()) {
      var res = e.unwrap(in, app);
      runTasks(e);
      if (res.getStatus() != javax.net.ssl.SSLEngineResult.Status.OK || res.bytesConsumed() == 0) {
        break;
      }
    }
    return in;
  }

  private static void runTasks(SSLEngine e) {
    Runnable task;
    while ((task = e.getDelegatedTask()) != null) {
      task.run();
    }
  }

  private static ByteBuffer append(ByteBuffer buf, byte[] more) {
    ByteBuffer b = ByteBuffer.allocate(buf.remaining() + more.length);
    b.put(buf).put(more).flip();
    return b;
  }

  private static List<String> handshakeNames(Recorder r, Direction d) {
    return r.of(TlsHandshakeEvent.class).stream()
        .filter(e -> e.direction() == d)
        .map(e -> e.message().name())
        .collect(Collectors.toList());
  }

  @Test
  void tls12HandshakeIsReadUntilChangeCipherSpec() throws Exception {
    Recorder r = handshake("TLSv1.2", 0x12);
    ClientHello ch = (ClientHello) r.of(TlsHandshakeEvent.class).get(0).message();
    assertEquals("db.example", ch.serverName());
    assertEquals(List.of("tds/8.0"), ch.alpnProtocols());
    assertEquals(0x0303, ch.legacyVersion());
    assertTrue(
        ch.cipherSuiteNames().stream().anyMatch(n -> n.startsWith("TLS_ECDHE_ECDSA_")),
        ch.cipherSuiteNames().toString());
    ServerHello sh = (ServerHello) r.of(TlsHandshakeEvent.class).get(1).message();
    assertEquals("TLSv1.2", sh.selectedVersionName());
    assertTrue(sh.cipherSuiteName().startsWith("TLS_ECDHE_ECDSA_WITH_"), sh.cipherSuiteName());
    assertEquals("tds/8.0", sh.alpnProtocol());
    ServerCertificate cert = (ServerCertificate) r.of(TlsHandshakeEvent.class).get(2).message();
    assertEquals("CN=tds-test-server", cert.subject());
    assertEquals("CN=tds-test-server", cert.issuer());
    assertEquals(1, cert.certificateCount());
    assertEquals(
        List.of("client_hello", "client_key_exchange"),
        handshakeNames(r, Direction.CLIENT_TO_SERVER),
        "Finished is encrypted");
    // RFC 5077: the TLS 1.2 NewSessionTicket travels in clear, just before the server's
    // ChangeCipherSpec
    assertEquals(
        List.of(
            "server_hello",
            "certificate",
            "server_key_exchange",
            "server_hello_done",
            "new_session_ticket"),
        handshakeNames(r, Direction.SERVER_TO_CLIENT));
    assertTlsPhaseBeforeLogin7(r);
  }

  @Test
  void tls13HandshakeStopsAtServerHelloAndTabularResultPacketsWork() throws Exception {
    Recorder r = handshake("TLSv1.3", 0x04);
    ServerHello sh =
        (ServerHello)
            r.of(TlsHandshakeEvent.class).stream()
                .filter(e -> e.message() instanceof ServerHello)
                .findFirst()
                .orElseThrow()
                .message();
    assertTrue(sh.isTls13());
    assertEquals("TLSv1.3", sh.selectedVersionName());
    assertTrue(
        sh.cipherSuiteName().startsWith("TLS_AES_")
            || sh.cipherSuiteName().startsWith("TLS_CHACHA20"));
    assertEquals(List.of("client_hello"), handshakeNames(r, Direction.CLIENT_TO_SERVER));
    assertEquals(
        List.of("server_hello"),
        handshakeNames(r, Direction.SERVER_TO_CLIENT),
        "the rest is encrypted in 1.3");
    assertEquals(
        List.of("TLSv1.3"),
        ((ClientHello) r.of(TlsHandshakeEvent.class).get(0).message()).offeredVersionNames());
    assertTlsPhaseBeforeLogin7(r);
  }

  private static void assertTlsPhaseBeforeLogin7(Recorder r) {
    List<PhaseEvent> phases = r.of(PhaseEvent.class);
    assertEquals(
        List.of(Phase.PRELOGIN, Phase.TLS_HANDSHAKE, Phase.LOGIN7, Phase.LOGIN_RESPONSE),
        phases.stream().map(PhaseEvent::phase).collect(Collectors.toList()));
    assertTrue(phases.get(1).startNanos() >= phases.get(0).endNanos());
    assertTrue(phases.get(1).endNanos() > phases.get(1).startNanos());
    assertTrue(phases.get(1).endNanos() <= phases.get(2).startNanos());
  }

  @Test
  void clearAlertIsReported() {
    Recorder r = new Recorder();
    TdsConversation conv = new TdsConversation(r);
    conv.onClientBytes(prelogin(1), 0, prelogin(1).length, 1);
    byte[] resp = TdsBytes.packet(0x04, 1, TdsBytes.prelogin(16, 0, 1, 1));
    conv.onServerBytes(resp, 0, resp.length, 2);
    byte[] hello =
        TdsBytes.packet(0x12, 1, TdsBytes.hex("16030100 04 0e000000")); // a tiny handshake record
    conv.onClientBytes(hello, 0, hello.length, 3);
    byte[] alert = TdsBytes.packet(0x12, 1, TdsBytes.hex("1503030002 0228"));
    conv.onServerBytes(alert, 0, alert.length, 4);
    TlsAlert a = r.one(TlsAlertEvent.class).alert();
    assertTrue(a.isFatal());
    assertEquals("handshake_failure", a.descriptionName());
    assertEquals(Phase.TLS_HANDSHAKE, conv.phase());
  }

  @Test
  void malformedRecordsReportTls() {
    Recorder r = new Recorder();
    TdsConversation conv = new TdsConversation(r);
    conv.onClientBytes(prelogin(1), 0, prelogin(1).length, 1);
    byte[] resp = TdsBytes.packet(0x04, 1, TdsBytes.prelogin(16, 0, 1, 1));
    conv.onServerBytes(resp, 0, resp.length, 2);
    // a ClientHello header claiming more than the record holds, then a bogus record header
    byte[] bad = TdsBytes.packet(0x12, 1, TdsBytes.hex("1603010006 0100000201ff 16ff"));
    conv.onClientBytes(bad, 0, bad.length, 3);
    assertEquals("tls", r.of(DecodeErrorEvent.class).get(0).layer(), r.dump());
    assertTrue(!conv.isStopped());
  }
}
