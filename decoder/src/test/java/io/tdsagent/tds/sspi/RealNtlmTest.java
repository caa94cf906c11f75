package io.tdsagent.tds.sspi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.conversation.TdsConversation;
import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Login7Event;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.SspiEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import io.tdsagent.tds.sspi.ntlm.NtlmAuthenticate;
import io.tdsagent.tds.sspi.ntlm.NtlmChallenge;
import io.tdsagent.tds.sspi.ntlm.NtlmNegotiate;
import io.tdsagent.testutil.FakeTdsServer;
import io.tdsagent.testutil.JdkNtlmClient;
import io.tdsagent.testutil.Md4;
import io.tdsagent.testutil.NtlmBytes;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.SecretScanner;
import io.tdsagent.testutil.TdsBytes;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NTLM messages made by real clients: the JDK's own NTLM implementation, and mssql-jdbc 13.6 doing
 * integrated NTLM authentication against a loopback fake server, replayed byte for byte through
 * TdsConversation.
 */
class RealNtlmTest {
  private static final String PASSWORD = "Ntlm-Canary-Pa55!";
  private static final byte[] SERVER_CHALLENGE = TdsBytes.hex("5e4c3f2a1b0d9e8f");

  /** A Windows-like CHALLENGE: domain target, full target info with a timestamp. */
  static byte[] challenge() {
    return NtlmBytes.windowsChallenge(Instant.now(), SERVER_CHALLENGE);
  }

  /**
   * NtChallengeResponse, encrypted session key and MIC of an AUTHENTICATE: what must never leave
   * the decoder.
   */
  static List<byte[]> secretsOf(byte[] authenticate) {
    List<byte[]> out = new ArrayList<>();
    out.add(Md4.ntHash(PASSWORD));
    out.add(field(authenticate, 12)); // LmChallengeResponse
    byte[] nt = field(authenticate, 20);
    out.add(nt.length > 24 ? Arrays.copyOf(nt, 16) : nt); // NTProofStr / NTLMv1 response
    out.add(nt);
    byte[] key = field(authenticate, 52);
    if (key.length > 0) {
      out.add(key);
    }
    byte[] mic = Arrays.copyOfRange(authenticate, 72, 88);
    if (!Arrays.equals(mic, new byte[16])) {
      out.add(mic);
    }
    out.removeIf(b -> b.length == 0 || Arrays.equals(b, new byte[b.length]));
    return out;
  }

  private static byte[] field(byte[] m, int at) {
    int len = (m[at] & 0xFF) | (m[at + 1] & 0xFF) << 8;
    int off = (m[at + 4] & 0xFF) | (m[at + 5] & 0xFF) << 8;
    return Arrays.copyOfRange(m, off, off + len);
  }

  static void assertNoSecrets(Object root, List<byte[]> secrets) {
    List<String> f =
        new ArrayList<>(SecretScanner.forBytes(secrets.toArray(new byte[0][])).scan(root));
    f.addAll(new SecretScanner(PASSWORD).scan(root));
    assertTrue(f.isEmpty(), f + " in " + root);
  }

  @Test
  void md4CanaryMatchesTheSpec() {
    // MS-NLMP 4.2.2.1.2: NTOWFv1("Password")
    assertEquals(
        "a4f49c406510bdcab6824ee7c30fd852", io.tdsagent.tds.wire.Hex.of(Md4.ntHash("Password")));
  }

  @Test
  void jdkClientNtlmV2() throws Exception {
    JdkNtlmClient c = new JdkNtlmClient("LMv2/NTLMv2", "WS01", "alice", "CORP", PASSWORD);
    NtlmNegotiate n = (NtlmNegotiate) SspiDecoder.decode(c.type1());
    assertTrue(n.flagNames().contains("NTLMSSP_NEGOTIATE_NTLM"), n.toString());
    byte[] type3 = c.type3(challenge(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    NtlmAuthenticate a = (NtlmAuthenticate) SspiDecoder.decode(type3);
    assertEquals(NtlmAuthenticate.ResponseType.NTLM_V2, a.responseType());
    assertEquals("alice", a.userName());
    assertEquals("CORP", a.domainName().toUpperCase());
    assertEquals("WS01", a.workstation());
    assertFalse(a.isAnonymous());
    assertEquals(
        "SQL01",
        a.responseAvPairs().nbComputerName(),
        "the target info is echoed in the v2 response");
    assertNoSecrets(a, secretsOf(type3));
  }

  @Test
  void jdkClientNtlmV1() throws Exception {
    JdkNtlmClient c = new JdkNtlmClient("NTLM", "WS01", "alice", "CORP", PASSWORD);
    byte[] type3 = c.type3(challenge(), new byte[8]);
    NtlmAuthenticate a = (NtlmAuthenticate) SspiDecoder.decode(type3);
    assertEquals(NtlmAuthenticate.ResponseType.NTLM_V1, a.responseType());
    assertEquals(24, a.ntChallengeResponseLength());
    assertNull(a.responseAvPairs());
    assertFalse(a.isMicPresent());
    assertNoSecrets(a, secretsOf(type3));
  }

  @Test
  void mssqlJdbcNtlmLoginReplayedThroughTheConversation() throws Exception {
    byte[] challenge = challenge();
    try (FakeTdsServer server =
        new FakeTdsServer(
            m -> {
              switch (m.type) {
                case 0x12:
                  return TdsBytes.packet(0x04, 1, TdsBytes.prelogin(16, 0, 4135, 2));
                case 0x10:
                  return TdsBytes.packet(
                      0x04,
                      1,
                      new TdsBytes.Out()
                          .u8(0xED)
                          .u16le(challenge.length)
                          .bytes(challenge)
                          .toByteArray());
                case 0x11:
                  return TdsBytes.packet(
                      0x04,
                      1,
                      TdsBytes.concat(
                          TdsBytes.envChangeString(1, "demo", "master"),
                          TdsBytes.loginAck(0x74000004, "Microsoft SQL Server", 16, 0, 0x10, 0xA7),
                          TdsBytes.done(0xFD, 0, 0, 0)));
                default:
                  return TdsBytes.packet(0x04, 1, TdsBytes.done(0xFD, 0, 0, 0));
              }
            })) {
      String url =
          "jdbc:sqlserver://127.0.0.1:"
              + server.port()
              + ";encrypt=false;trustServerCertificate=true"
              + ";integratedSecurity=true;authenticationScheme=NTLM;domain=CORP;user=alice;password="
              + PASSWORD
              + ";loginTimeout=10;applicationName=ntlm-test";
      try (Connection conn = DriverManager.getConnection(url)) {
        assertFalse(conn.isClosed());
      }
      server.close();
      assertNull(server.failure());
      List<FakeTdsServer.Message> got = server.received();
      assertEquals(0x11, got.get(2).type, "the AUTHENTICATE travels in an SSPI message");
      byte[] authenticate = got.get(2).payload;
      List<byte[]> secrets = secretsOf(authenticate);
      assertTrue(secrets.size() >= 4, "NT hash, LM and NT responses, session key at least");

      for (int chunk : new int[] {100000, 7, 1}) {
        Recorder r = replay(server.chunks(), chunk);
        List<SspiEvent> sspi = r.of(SspiEvent.class);
        assertEquals(3, sspi.size(), r.dump());
        assertEquals(SspiEvent.Carrier.LOGIN7, sspi.get(0).carrier());
        assertEquals(
            "CORP",
            ((NtlmNegotiate) sspi.get(0).message()).domainName(),
            "sent as UTF-16LE by mssql-jdbc");
        assertEquals(SspiEvent.Carrier.SSPI_TOKEN, sspi.get(1).carrier());
        NtlmChallenge ch = (NtlmChallenge) sspi.get(1).message();
        assertEquals("sql01.corp.example.com", ch.targetInfo().dnsComputerName());
        assertEquals(SspiEvent.Carrier.SSPI_MESSAGE, sspi.get(2).carrier());
        NtlmAuthenticate a = (NtlmAuthenticate) sspi.get(2).message();
        assertEquals("alice", a.userName());
        assertEquals("CORP", a.domainName());
        assertTrue(a.isNtlmV2());
        assertTrue(a.isMicPresent(), a.toString());
        assertFalse(a.isAnonymous());
        assertNotNull(r.one(Login7Event.class).login7().sspiMessage());

        List<AuthLegEvent> legs = r.of(AuthLegEvent.class);
        assertEquals(2, legs.size());
        AuthLegEvent l1 = legs.get(0);
        assertEquals("ntlm negotiate/challenge", l1.name());
        assertEquals(AuthLegEvent.Result.CONTINUE, l1.result());
        assertEquals(r.one(Login7Event.class).firstByteNanos(), l1.startNanos());
        assertTrue(
            l1.startNanos() <= l1.requestEndNanos()
                && l1.requestEndNanos() < l1.firstResponseNanos()
                && l1.firstResponseNanos() <= l1.endNanos(),
            l1.toString());
        AuthLegEvent l2 = legs.get(1);
        assertEquals("ntlm authenticate", l2.name());
        assertEquals(2, l2.index());
        assertEquals(AuthLegEvent.Result.LOGGED_IN, l2.result());
        assertTrue(l1.endNanos() < l2.startNanos());
        assertEquals(r.one(LoginOutcomeEvent.class).timeNanos(), l2.endNanos());
        assertTrue(l2.summary().isNtlmUsed());
        assertFalse(l2.summary().isKerberosRequestedButNtlmUsed());
        assertFalse(l2.summary().isAnonymous());
        assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());

        for (TdsEvent e : r.events) {
          assertNoSecrets(e, secrets);
          if (!(e
              instanceof TokenEvent)) { // SspiToken keeps the server's raw blob, challenge included
            assertTrue(SecretScanner.forBytes(SERVER_CHALLENGE).scan(e).isEmpty(), e.toString());
          }
        }
      }
    }
  }

  /**
   * Feeds the recorded chunks in order, split into pieces of at most {@code chunk} bytes, with a
   * rising clock.
   */
  static Recorder replay(List<FakeTdsServer.Chunk> chunks, int chunk) {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    long t = 1000;
    for (FakeTdsServer.Chunk ch : chunks) {
      for (int off = 0; off < ch.bytes.length; off += chunk) {
        int n = Math.min(chunk, ch.bytes.length - off);
        if (ch.fromClient) {
          c.onClientBytes(ch.bytes, off, n, t);
        } else {
          c.onServerBytes(ch.bytes, off, n, t);
        }
        t += 10;
      }
      t += 1000;
    }
    c.onClose(t);
    return r;
  }

  @Test
  void randomisedRealMessagesNeverThrow() throws Exception {
    JdkNtlmClient c = new JdkNtlmClient("LMv2/NTLMv2", "WS01", "alice", "CORP", PASSWORD);
    byte[][] msgs = {c.type1(), challenge(), c.type3(challenge(), new byte[8])};
    SecureRandom rnd = new SecureRandom(new byte[] {42});
    for (byte[] m : msgs) {
      for (int i = 0; i < 2000; i++) {
        byte[] x = m.clone();
        for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
          x[8 + rnd.nextInt(x.length - 8)] = (byte) rnd.nextInt(256);
        }
        SspiMessage d = SspiDecoder.decode(x, 0, rnd.nextInt(x.length + 1));
        assertNotNull(d.description());
        assertNotNull(d.toString());
      }
    }
  }
}
