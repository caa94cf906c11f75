package io.tdsagent.tds.sspi.ntlm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.sspi.SspiDecoder;
import io.tdsagent.tds.sspi.UndecodedSspi;
import io.tdsagent.tds.sspi.mechanism.SspiMechanism;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import io.tdsagent.testutil.NtlmBytes;
import io.tdsagent.testutil.SecretScanner;
import io.tdsagent.testutil.TdsBytes;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MS-NLMP 4.2 example messages, plus hand-built variants for what the examples do not cover. */
class NtlmDecoderTest {
  // MS-NLMP 4.2.4.3 (NTLMv2)
  static final byte[] V2_CHALLENGE =
      TdsBytes.hex(
          "4e544c4d53535000020000000c000c003800000033828ae20123456789abcdef"
              + "00000000000000002400240044000000060070170000000f5300650072007600"
              + "6500720002000c0044006f006d00610069006e0001000c005300650072007600"
              + "6500720000000000");
  static final byte[] V2_AUTHENTICATE =
      TdsBytes.hex(
          "4e544c4d5353500003000000180018006c00000054005400840000000c000c00"
              + "480000000800080054000000100010005c00000010001000d8000000358288e2"
              + "0501280a0000000f44006f006d00610069006e00550073006500720043004f00"
              + "4d0050005500540045005200"
              + "86c35097ac9cec102554764a57cccc19aaaaaaaa"
              + "aaaaaaaa68cd0ab851e51c96aabc927bebef6a1c010100000000000000000000"
              + "00000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e00"
              + "01000c00530065007200760065007200"
              + "0000000000000000c5dad2544fc97990"
              + "94ce1ce90bc9d03e");
  // MS-NLMP 4.2.2.3 (NTLMv1)
  static final byte[] V1_AUTHENTICATE =
      TdsBytes.hex(
          "4e544c4d5353500003000000180018006c00000018001800840000000c000c00"
              + "480000000800080054000000100010005c000000100010009c000000358280e2"
              + "0501280a0000000f44006f006d00610069006e00550073006500720043004f00"
              + "4d0050005500540045005200"
              + "98def7b87f88aa5dafe2df779688a172def11c7d"
              + "5ccdef1367c43011f30298a2ad35ece64f16331c44bdbed927841f94518822b1"
              + "b3f350c8958682ecbb3e3cb7");
  // MS-NLMP 4.2.3.3 (NTLMv1 with client challenge)
  static final byte[] V1_ESS_CHALLENGE =
      TdsBytes.hex(
          "4e544c4d53535000020000000c000c0038000000338 20a820123456789abcdef".replace(" ", "")
              + "00000000000000000000000000000000060070170000000f5300650072007600"
              + "65007200");

  static final byte[] V2_NT_PROOF = TdsBytes.hex("68cd0ab851e51c96aabc927bebef6a1c");
  static final byte[] V2_SESSION_KEY = TdsBytes.hex("c5dad2544fc9799094ce1ce90bc9d03e");
  static final byte[] V2_LM_RESPONSE = TdsBytes.hex("86c35097ac9cec102554764a57cccc19");
  static final byte[] SERVER_CHALLENGE = TdsBytes.hex("0123456789abcdef");
  static final byte[] V1_NT_RESPONSE =
      TdsBytes.hex("67c43011f30298a2ad35ece64f16331c44bdbed927841f94");

  @Test
  void specNtlmV2Challenge() {
    NtlmChallenge c = (NtlmChallenge) SspiDecoder.decode(V2_CHALLENGE);
    assertEquals("challenge", c.messageName());
    assertEquals(0xe28a8233L, c.negotiateFlags());
    assertTrue(c.hasFlag(NtlmFlags.NEGOTIATE_TARGET_INFO));
    assertTrue(c.flagNames().contains("NTLMSSP_NEGOTIATE_KEY_EXCH"));
    assertTrue(c.flagNames().contains("NTLMSSP_TARGET_TYPE_SERVER"));
    assertEquals(13, c.flagNames().size(), c.flagNames().toString());
    assertEquals("Server", c.targetName());
    assertEquals("6.0.6000 rev 15", c.version().toString());
    NtlmAvPairs ti = c.targetInfo();
    assertEquals("Domain", ti.nbDomainName());
    assertEquals("Server", ti.nbComputerName());
    assertNull(ti.dnsComputerName());
    assertNull(ti.timestamp());
    assertEquals(-1, ti.flags());
    assertEquals(2, ti.count());
    assertEquals(V2_CHALLENGE.length, c.length());
    assertNoSecrets(c);
  }

  @Test
  void specNtlmV2Authenticate() {
    NtlmAuthenticate a = (NtlmAuthenticate) SspiDecoder.decode(V2_AUTHENTICATE);
    assertEquals("ntlm authenticate", a.description());
    assertEquals(0xe2888235L, a.negotiateFlags());
    assertEquals("Domain", a.domainName());
    assertEquals("User", a.userName());
    assertEquals("COMPUTER", a.workstation());
    assertEquals(NtlmAuthenticate.ResponseType.NTLM_V2, a.responseType());
    assertEquals(24, a.lmChallengeResponseLength());
    assertEquals(84, a.ntChallengeResponseLength());
    assertEquals(16, a.encryptedRandomSessionKeyLength());
    assertFalse(a.hasMicField(), "payload starts at 72: no room for a MIC");
    assertFalse(a.isMicPresent());
    assertFalse(a.hasChannelBindings());
    assertFalse(a.isAnonymous());
    assertEquals("5.1.2600 rev 15", a.version().toString());
    assertEquals("Domain", a.responseAvPairs().nbDomainName());
    assertEquals("Server", a.responseAvPairs().nbComputerName());
    assertNoSecrets(a);
  }

  @Test
  void specNtlmV1() {
    NtlmAuthenticate a = (NtlmAuthenticate) SspiDecoder.decode(V1_AUTHENTICATE);
    assertEquals(NtlmAuthenticate.ResponseType.NTLM_V1, a.responseType());
    assertFalse(a.isNtlmV2());
    assertNull(a.responseAvPairs());
    assertEquals("User", a.userName());
    assertNoSecrets(a);
    NtlmChallenge c = (NtlmChallenge) SspiDecoder.decode(V1_ESS_CHALLENGE);
    assertTrue(c.hasFlag(NtlmFlags.NEGOTIATE_EXTENDED_SESSIONSECURITY));
    assertNull(c.targetInfo());
    assertEquals("Server", c.targetName());
    assertNoSecrets(c);
  }

  @Test
  void negotiateWithSuppliedDomainAndWorkstation() {
    long flags =
        NtlmFlags.NEGOTIATE_UNICODE
            | NtlmFlags.NEGOTIATE_NTLM
            | NtlmFlags.NEGOTIATE_OEM_DOMAIN_SUPPLIED
            | NtlmFlags.NEGOTIATE_OEM_WORKSTATION_SUPPLIED
            | NtlmFlags.NEGOTIATE_VERSION;
    NtlmNegotiate n =
        (NtlmNegotiate) SspiDecoder.decode(NtlmBytes.negotiate(flags, "CORP", "WS01", true));
    assertEquals("CORP", n.domainName());
    assertEquals("WS01", n.workstation());
    assertEquals("10.0.19041 rev 15", n.version().toString());
    assertEquals(
        List.of(
            "NTLMSSP_NEGOTIATE_UNICODE",
            "NTLMSSP_NEGOTIATE_NTLM",
            "NTLMSSP_NEGOTIATE_OEM_DOMAIN_SUPPLIED",
            "NTLMSSP_NEGOTIATE_OEM_WORKSTATION_SUPPLIED",
            "NTLMSSP_NEGOTIATE_VERSION"),
        n.flagNames());
    // without the "supplied" flags the fields are not read, and without VERSION no version
    NtlmNegotiate bare =
        (NtlmNegotiate) SspiDecoder.decode(NtlmBytes.negotiate(0x207, "CORP", "WS01", false));
    assertEquals("", bare.domainName());
    assertNull(bare.version());
    // 16-byte NEGOTIATE (signature, type, flags only)
    NtlmNegotiate tiny =
        (NtlmNegotiate)
            SspiDecoder.decode(Arrays.copyOf(NtlmBytes.negotiate(0x8207, "", "", false), 16));
    assertEquals(0x8207, tiny.negotiateFlags());
  }

  @Test
  void challengeWithFullTargetInfo() {
    long ft = 133_000_000_000_000_000L; // 2022-06-21T...
    byte[] ti =
        NtlmBytes.avPairs(
            2,
            "CORP",
            1,
            "SQL01",
            4,
            "corp.example.com",
            3,
            "sql01.corp.example.com",
            5,
            "example.com",
            7,
            new TdsBytes.Out().u64le(ft).toByteArray(),
            6,
            new TdsBytes.Out().u32le(0).toByteArray(),
            9,
            "MSSQLSvc/sql01.corp.example.com:1433");
    NtlmChallenge c =
        (NtlmChallenge)
            SspiDecoder.decode(NtlmBytes.challenge(0xe2898215L, "CORP", SERVER_CHALLENGE, ti));
    NtlmAvPairs p = c.targetInfo();
    assertEquals("CORP", p.nbDomainName());
    assertEquals("SQL01", p.nbComputerName());
    assertEquals("corp.example.com", p.dnsDomainName());
    assertEquals("sql01.corp.example.com", p.dnsComputerName());
    assertEquals("example.com", p.dnsTreeName());
    assertEquals("MSSQLSvc/sql01.corp.example.com:1433", p.targetName());
    assertEquals(0, p.flags());
    assertEquals(Instant.ofEpochSecond(ft / 10_000_000L - 11_644_473_600L), p.timestamp());
    assertEquals(8, p.count());
    assertNoSecrets(c);
  }

  @Test
  void authenticateWithMicChannelBindingsAndTargetName() {
    byte[] av =
        NtlmBytes.avPairs(
            2,
            "CORP",
            1,
            "SQL01",
            7,
            new byte[8],
            6,
            new TdsBytes.Out().u32le(2).toByteArray(),
            10,
            TdsBytes.hex("11223344556677889900aabbccddeeff"),
            9,
            "MSSQLSvc/sql01:1433");
    byte[] nt = NtlmBytes.ntlmV2Response(V2_NT_PROOF, 0, TdsBytes.hex("aaaaaaaaaaaaaaaa"), av);
    byte[] mic = TdsBytes.hex("0102030405060708090a0b0c0d0e0f10");
    NtlmAuthenticate a =
        (NtlmAuthenticate)
            SspiDecoder.decode(
                NtlmBytes.authenticate(
                    0xe2888235L, new byte[24], nt, "CORP", "alice", "WS01", V2_SESSION_KEY, mic));
    assertTrue(a.hasMicField());
    assertTrue(a.isMicPresent());
    assertTrue(a.hasChannelBindings());
    assertEquals("MSSQLSvc/sql01:1433", a.responseAvPairs().targetName());
    assertEquals("alice", a.userName());
    assertTrue(a.toString().contains("mic=true"), a.toString());
    assertTrue(
        SecretScanner.forBytes(
                mic, TdsBytes.hex("11223344556677889900aabbccddeeff"), V2_NT_PROOF, V2_SESSION_KEY)
            .scan(a)
            .isEmpty());

    // all-zero channel bindings (no TLS binding available) and an unset MIC field
    byte[] av0 = NtlmBytes.avPairs(10, new byte[16]);
    NtlmAuthenticate b =
        (NtlmAuthenticate)
            SspiDecoder.decode(
                NtlmBytes.authenticate(
                    0xe2888235L,
                    new byte[24],
                    NtlmBytes.ntlmV2Response(V2_NT_PROOF, 0, new byte[8], av0),
                    "CORP",
                    "alice",
                    "WS01",
                    new byte[0],
                    new byte[16]));
    assertFalse(b.hasChannelBindings());
    assertTrue(b.hasMicField());
    assertFalse(b.isMicPresent());
  }

  @Test
  void anonymousAuthenticate() {
    NtlmAuthenticate byShape =
        (NtlmAuthenticate)
            SspiDecoder.decode(
                NtlmBytes.authenticate(
                    0xe2088235L,
                    new byte[1],
                    new byte[0],
                    "",
                    "",
                    "WS01",
                    new byte[0],
                    new byte[16]));
    assertTrue(byShape.isAnonymous());
    assertEquals(NtlmAuthenticate.ResponseType.NONE, byShape.responseType());
    NtlmAuthenticate emptyLm =
        (NtlmAuthenticate)
            SspiDecoder.decode(
                NtlmBytes.authenticate(
                    0xe2088235L, new byte[0], new byte[0], "", "", "", new byte[0], new byte[16]));
    assertTrue(emptyLm.isAnonymous());
    NtlmAuthenticate byFlag =
        (NtlmAuthenticate)
            SspiDecoder.decode(
                NtlmBytes.authenticate(
                    0xe2088235L | NtlmFlags.NEGOTIATE_ANONYMOUS,
                    new byte[24],
                    new byte[24],
                    "",
                    "x",
                    "",
                    new byte[0],
                    new byte[16]));
    assertTrue(byFlag.isAnonymous());
    NtlmAuthenticate lmNonZero =
        (NtlmAuthenticate)
            SspiDecoder.decode(
                NtlmBytes.authenticate(
                    0xe2088235L,
                    new byte[] {1},
                    new byte[0],
                    "",
                    "",
                    "",
                    new byte[0],
                    new byte[16]));
    assertFalse(lmNonZero.isAnonymous());
    assertFalse(((NtlmAuthenticate) SspiDecoder.decode(V2_AUTHENTICATE)).isAnonymous());
  }

  @Test
  void oemStringsWithoutUnicodeFlag() {
    byte[] msg =
        NtlmBytes.authenticate(
            0x02000202L, new byte[24], new byte[24], "", "", "", new byte[0], new byte[16]);
    // rewrite the user field to point at 5 OEM bytes appended at the end
    byte[] user = "bob01".getBytes();
    byte[] m = TdsBytes.concat(msg, user);
    m[36] = 5;
    m[38] = 5;
    m[40] = (byte) msg.length;
    m[41] = (byte) (msg.length >> 8);
    assertEquals("bob01", ((NtlmAuthenticate) SspiDecoder.decode(m)).userName());
  }

  @Test
  void everyTruncationIsAnErrorNotAnException() {
    for (byte[] msg :
        List.of(
            V2_CHALLENGE,
            V2_AUTHENTICATE,
            V1_AUTHENTICATE,
            NtlmBytes.negotiate(0xb207, "D", "W", true))) {
      for (int n = 0; n < msg.length; n++) {
        SspiMessage m = SspiDecoder.decode(Arrays.copyOf(msg, n));
        if (n < 8) {
          assertEquals(SspiMechanism.UNKNOWN, m.mechanism());
          continue;
        }
        // a prefix may still be a well-formed message (e.g. a NEGOTIATE without its optional
        // fields)
        if (!m.isDecoded()) {
          assertEquals(SspiMechanism.NTLM, m.mechanism());
          assertTrue(((UndecodedSspi) m).error() != null, "prefix " + n);
        }
      }
      assertTrue(SspiDecoder.decode(msg).isDecoded());
    }
    UndecodedSspi badType =
        (UndecodedSspi) SspiDecoder.decode(TdsBytes.hex("4e544c4d5353500009000000"));
    assertEquals("NTLM MessageType 9", badType.error());
    assertEquals("malformed", badType.messageName());
    // a field pointing past the end
    byte[] bad = V2_CHALLENGE.clone();
    bad[16] = (byte) 0xF0;
    assertFalse(SspiDecoder.decode(bad).isDecoded());
  }

  static void assertNoSecrets(Object o) {
    List<String> f =
        SecretScanner.forBytes(
                V2_NT_PROOF, V2_SESSION_KEY, V2_LM_RESPONSE, SERVER_CHALLENGE, V1_NT_RESPONSE)
            .scan(o);
    assertTrue(f.isEmpty(), f.toString());
  }
}
