package io.tdsagent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.sspi.SspiDecoder;
import io.tdsagent.tds.sspi.UndecodedSspi;
import io.tdsagent.testutil.Der;
import io.tdsagent.testutil.JdkNtlmClient;
import io.tdsagent.testutil.Login7Bytes;
import io.tdsagent.testutil.Md4;
import io.tdsagent.testutil.NtlmBytes;
import io.tdsagent.testutil.SecretScanner;
import io.tdsagent.testutil.TdsBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A capture keeps what the decoder reads of an SSPI blob and none of its secrets: each blob,
 * redacted, decodes to exactly what the original decodes to (the decoder's description of it, every
 * kept field), and no canary (the password, its NT hash, the responses, keys, MICs, ciphers) is
 * left in its bytes.
 */
class SspiRedactionTest {
  static final String PASSWORD = "Canary-Redact-Pa55!";
  static final byte[] SERVER_CHALLENGE = TdsBytes.hex("5e4c3f2a1b0d9e8f");
  static final byte[] TICKET_CIPHER = canary("Canary-ticket-cipher-", 96);
  static final byte[] AUTHENTICATOR_CIPHER = canary("Canary-authenticator-", 64);
  static final byte[] AP_REP_CIPHER = canary("Canary-ap-rep-cipher-", 48);
  static final byte[] MECH_LIST_MIC = canary("Canary-mech-list-mic", 28);
  static final byte[] E_DATA = canary("Canary-e-data-", 32);

  static byte[] canary(String text, int size) {
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = t[i % t.length];
    }
    return b;
  }

  static byte[] redacted(byte[] blob) {
    byte[] copy = blob.clone();
    SspiRedaction.redact(copy, 0, copy.length);
    assertEquals(blob.length, copy.length);
    return copy;
  }

  /** The decoder reads the same from the redacted blob as from the original, and did decode it. */
  static void assertSameDecoding(byte[] original, byte[] redacted) {
    String before = SspiDecoder.decode(original).toString();
    assertTrue(!(SspiDecoder.decode(original) instanceof UndecodedSspi), before);
    assertEquals(before, SspiDecoder.decode(redacted).toString());
  }

  static void assertAbsent(byte[] hay, List<byte[]> secrets) {
    for (byte[] s : secrets) {
      if (s.length == 0 || Arrays.equals(s, new byte[s.length])) {
        continue;
      }
      for (int piece = 0; piece + 8 <= s.length; piece += 4) { // any 8-byte piece of it
        int at = SecretScanner.indexOf(hay, Arrays.copyOfRange(s, piece, piece + 8));
        assertEquals(-1, at, "a secret's bytes left at " + at);
      }
      if (s.length < 8) {
        assertEquals(-1, SecretScanner.indexOf(hay, s));
      }
    }
  }

  static byte[] field(byte[] m, int at) {
    int len = (m[at] & 0xFF) | (m[at + 1] & 0xFF) << 8;
    int off = (m[at + 4] & 0xFF) | (m[at + 5] & 0xFF) << 8;
    return Arrays.copyOfRange(m, off, off + len);
  }

  static byte[] windowsChallenge() {
    return NtlmBytes.windowsChallenge(Instant.parse("2026-12-05T06:00:00Z"), SERVER_CHALLENGE);
  }

  /**
   * The secrets of an AUTHENTICATE: the NT hash, the LM and NT responses (and the NTProofStr), key,
   * MIC.
   */
  static List<byte[]> secretsOf(byte[] authenticate) {
    List<byte[]> out = new ArrayList<>();
    out.add(Md4.ntHash(PASSWORD));
    out.add(PASSWORD.getBytes(StandardCharsets.UTF_16LE));
    out.add(field(authenticate, 12));
    byte[] nt = field(authenticate, 20);
    out.add(nt.length > 24 ? Arrays.copyOf(nt, 16) : nt);
    if (nt.length > 24) {
      out.add(Arrays.copyOfRange(nt, 32, 40)); // the client's challenge
    }
    out.add(field(authenticate, 52));
    int payload = authenticate.length;
    for (int at = 12; at <= 52; at += 8) {
      if (field(authenticate, at).length > 0) {
        payload =
            Math.min(payload, (authenticate[at + 4] & 0xFF) | (authenticate[at + 5] & 0xFF) << 8);
      }
    }
    if (payload >= 88) {
      out.add(Arrays.copyOfRange(authenticate, 72, 88)); // the MIC field
    }
    return out;
  }

  @Test
  void ntlmV2FromTheJdkClient() throws Exception {
    JdkNtlmClient c = new JdkNtlmClient("LMv2/NTLMv2", "WS01", "alice", "CORP", PASSWORD);
    byte[] negotiate = c.type1();
    assertArrayEquals(negotiate, redacted(negotiate), "a NEGOTIATE carries no secret: kept whole");
    byte[] challenge = windowsChallenge();
    byte[] rc = redacted(challenge);
    assertSameDecoding(challenge, rc);
    assertEquals(
        -1, SecretScanner.indexOf(rc, SERVER_CHALLENGE), "the server challenge is overwritten");
    byte[] authenticate = c.type3(challenge, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    byte[] ra = redacted(authenticate);
    assertSameDecoding(authenticate, ra);
    assertAbsent(ra, secretsOf(authenticate));
    assertTrue(
        SecretScanner.indexOf(ra, "alice".getBytes(StandardCharsets.UTF_16LE)) >= 0,
        "the user stays");
  }

  @Test
  void ntlmV1FromTheJdkClient() throws Exception {
    JdkNtlmClient c = new JdkNtlmClient("NTLM", "WS01", "alice", "CORP", PASSWORD);
    byte[] authenticate = c.type3(windowsChallenge(), new byte[8]);
    byte[] ra = redacted(authenticate);
    assertSameDecoding(authenticate, ra);
    assertAbsent(ra, secretsOf(authenticate));
  }

  /**
   * MIC, channel bindings and Single_Host are reported as present or not: that survives, their
   * values do not.
   */
  @Test
  void ntlmMicAndChannelBindingsKeepOnlyTheirPresence() {
    byte[] bindings = canary("Canary-cbt-md5!!", 16);
    byte[] singleHost = canary("Canary-single-host-data-Canary!!", 48);
    byte[] avPairs =
        NtlmBytes.avPairs(
            2,
            "CORP",
            6,
            new TdsBytes.Out().u32le(2).toByteArray(),
            10,
            bindings,
            8,
            singleHost,
            9,
            "MSSQLSvc/sql01:1433");
    byte[] response =
        NtlmBytes.ntlmV2Response(
            canary("Canary-proof-str", 16),
            133_000_000_000_000_000L,
            canary("Canary-c", 8),
            avPairs);
    byte[] mic = canary("Canary-mic-value", 16);
    byte[] authenticate =
        NtlmBytes.authenticate(
            0xe2888215L,
            new byte[24],
            response,
            "CORP",
            "bob",
            "WS02",
            canary("Canary-session-k", 16),
            mic);
    byte[] ra = redacted(authenticate);
    assertSameDecoding(authenticate, ra);
    assertTrue(
        SspiDecoder.decode(ra).toString().contains("mic=true"), SspiDecoder.decode(ra).toString());
    assertTrue(SspiDecoder.decode(ra).toString().contains("channelBindings=true"));
    assertAbsent(
        ra,
        List.of(
            bindings,
            singleHost,
            mic,
            canary("Canary-proof-str", 16),
            canary("Canary-c", 8),
            canary("Canary-session-k", 16)));

    byte[] noMic =
        NtlmBytes.authenticate(
            0xe2888215L, new byte[24], response, "CORP", "bob", "WS02", new byte[0], new byte[16]);
    assertSameDecoding(noMic, redacted(noMic));
  }

  static byte[] apReq() {
    byte[] ticket =
        Der.app(
            1,
            Der.seq(
                Der.ctx(0, Der.integer(5)),
                Der.ctx(1, Der.generalString("LAB.LOCAL")),
                Der.ctx(2, Der.principal(2, "MSSQLSvc", "sql01.lab.local:1433")),
                Der.ctx(3, Der.encryptedData(18, 3, TICKET_CIPHER))));
    byte[] apReq =
        Der.app(
            14,
            Der.seq(
                Der.ctx(0, Der.integer(5)),
                Der.ctx(1, Der.integer(14)),
                Der.ctx(2, Der.bitString(0x20000000)),
                Der.ctx(3, ticket),
                Der.ctx(4, Der.encryptedData(18, null, AUTHENTICATOR_CIPHER))));
    return Der.gss("1.2.840.113554.1.2.2", TdsBytes.concat(new byte[] {1, 0}, apReq));
  }

  @Test
  void kerberosInSpnegoKeepsRealmSnameAndEtypes() {
    byte[] init =
        Der.gss(
            "1.3.6.1.5.5.2",
            Der.ctx(
                0,
                Der.seq(
                    Der.ctx(
                        0,
                        Der.seq(
                            Der.oid("1.2.840.48018.1.2.2"),
                            Der.oid("1.2.840.113554.1.2.2"),
                            Der.oid("1.3.6.1.4.1.311.2.2.10"))),
                    Der.ctx(2, Der.octets(apReq())),
                    Der.ctx(3, Der.octets(MECH_LIST_MIC)))));
    byte[] ri = redacted(init);
    assertSameDecoding(init, ri);
    assertTrue(
        SspiDecoder.decode(ri).toString().contains("LAB.LOCAL"), SspiDecoder.decode(ri).toString());
    assertAbsent(ri, List.of(TICKET_CIPHER, AUTHENTICATOR_CIPHER, MECH_LIST_MIC));

    byte[] apRep =
        Der.gss(
            "1.2.840.113554.1.2.2",
            TdsBytes.concat(
                new byte[] {2, 0},
                Der.app(
                    15,
                    Der.seq(
                        Der.ctx(0, Der.integer(5)),
                        Der.ctx(1, Der.integer(15)),
                        Der.ctx(2, Der.encryptedData(18, null, AP_REP_CIPHER))))));
    byte[] resp =
        Der.ctx(
            1,
            Der.seq(
                Der.ctx(0, Der.enumerated(0)),
                Der.ctx(1, Der.oid("1.2.840.48018.1.2.2")),
                Der.ctx(2, Der.octets(apRep)),
                Der.ctx(3, Der.octets(MECH_LIST_MIC))));
    byte[] rr = redacted(resp);
    assertSameDecoding(resp, rr);
    assertAbsent(rr, List.of(AP_REP_CIPHER, MECH_LIST_MIC));
  }

  @Test
  void kerberosErrorKeepsItsCodeAndTextNotItsData() {
    byte[] error =
        Der.app(
            30,
            Der.seq(
                Der.ctx(0, Der.integer(5)),
                Der.ctx(1, Der.integer(30)),
                Der.ctx(4, Der.generalizedTime("20261205060000Z")),
                Der.ctx(5, Der.integer(0)),
                Der.ctx(6, Der.integer(37)),
                Der.ctx(9, Der.generalString("LAB.LOCAL")),
                Der.ctx(10, Der.principal(2, "MSSQLSvc", "sql01")),
                Der.ctx(11, Der.generalString("clock skew")),
                Der.ctx(12, Der.octets(E_DATA))));
    byte[] re = redacted(error);
    assertSameDecoding(error, re);
    assertAbsent(re, List.of(E_DATA));
  }

  /** Fail closed: what is not understood, or does not hold together, leaves as zeros. */
  @Test
  void anythingNotUnderstoodIsZeroedWhole() {
    byte[] unknown = canary("Canary-unknown-mechanism", 40);
    assertArrayEquals(new byte[40], redacted(unknown));
    byte[] apReq = apReq();
    byte[] cut = Arrays.copyOf(apReq, apReq.length - 10);
    assertArrayEquals(new byte[cut.length], redacted(cut), "a truncated token");
    byte[] authenticate =
        NtlmBytes.authenticate(
            0xe2888215L,
            new byte[24],
            canary("Canary-nt-response-v1!!!", 24),
            "CORP",
            "bob",
            "WS02",
            new byte[0],
            new byte[16]);
    authenticate[20 + 4] = (byte) 0xF0; // NtChallengeResponse offset past the end
    assertArrayEquals(
        new byte[authenticate.length], redacted(authenticate), "a field beyond the message");
  }

  /**
   * Through the masker, byte by byte: the LOGIN7's blob, the server's SSPI token and the client's
   * SSPI message leave redacted, whatever the chunking; the password with them never.
   */
  @Test
  void theMaskerRedactsEveryLegAtEverySplit() throws Exception {
    JdkNtlmClient c = new JdkNtlmClient("LMv2/NTLMv2", "WS01", "alice", "CORP", PASSWORD);
    byte[] negotiate = c.type1();
    byte[] challenge = windowsChallenge();
    byte[] authenticate = c.type3(challenge, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    Login7Bytes l = new Login7Bytes();
    l.user = "";
    l.password = "";
    l.sspi = negotiate;
    byte[] login7 = TdsBytes.message(0x10, l.build(), 512);
    byte[] token =
        TdsBytes.packet(
            0x04,
            1,
            new TdsBytes.Out().u8(0xED).u16le(challenge.length).bytes(challenge).toByteArray());
    byte[] sspi = TdsBytes.message(0x11, authenticate, 512);
    for (int chunk : new int[] {1, 7, 64, 100_000}) {
      ByteArrayOutputStream client = new ByteArrayOutputStream();
      ByteArrayOutputStream server = new ByteArrayOutputStream();
      SecretMasker m =
          new SecretMasker(
              (fromClient, data, t) -> (fromClient ? client : server).writeBytes(data));
      feed(m, true, login7, chunk);
      feed(m, false, token, chunk);
      feed(m, true, sspi, chunk);
      m.close();
      byte[] cl = client.toByteArray();
      byte[] sv = server.toByteArray();
      assertEquals(login7.length + sspi.length, cl.length);
      assertEquals(token.length, sv.length);
      assertTrue(
          SecretScanner.indexOf(cl, negotiate) >= 0,
          "the NEGOTIATE in LOGIN7 kept, chunk " + chunk);
      assertTrue(
          SecretScanner.indexOf(sv, redacted(challenge)) >= 0,
          "the CHALLENGE redacted, chunk " + chunk);
      assertAbsent(cl, secretsOf(authenticate));
      assertEquals(-1, SecretScanner.indexOf(sv, SERVER_CHALLENGE));
      // the AUTHENTICATE went in packets of 512: its payload, joined again, is the redacted blob
      assertArrayEquals(
          redacted(authenticate),
          payloadOf(Arrays.copyOfRange(cl, login7.length, cl.length)),
          "chunk " + chunk);
    }
  }

  static void feed(SecretMasker m, boolean client, byte[] b, int chunk) {
    for (int at = 0; at < b.length; at += chunk) {
      int n = Math.min(chunk, b.length - at);
      if (client) {
        m.client(b, at, n, 0);
      } else {
        m.server(b, at, n, 0);
      }
    }
  }

  /** The payloads of consecutive TDS packets, joined. */
  static byte[] payloadOf(byte[] packets) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    int at = 0;
    while (at + 8 <= packets.length) {
      int len = (packets[at + 2] & 0xFF) << 8 | (packets[at + 3] & 0xFF);
      o.write(packets, at + 8, len - 8);
      at += len;
    }
    return o.toByteArray();
  }
}
