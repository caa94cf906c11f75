package io.tdsagent.tds.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.LoginOutcomeEvent.Outcome;
import io.tdsagent.tds.event.Phase;
import io.tdsagent.tds.event.SspiEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.sspi.mechanism.GssOid;
import io.tdsagent.tds.sspi.ntlm.NtlmChallenge;
import io.tdsagent.tds.sspi.spnego.SpnegoDecoderTest;
import io.tdsagent.testutil.Login7Bytes;
import io.tdsagent.testutil.NtlmBytes;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.SecretScanner;
import io.tdsagent.testutil.TdsBytes;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * SSPI through the conversation: where blobs travel, how legs are delimited, what happens when
 * things go wrong.
 */
class SspiConversationTest {
  static final byte[] NEGOTIATE = NtlmBytes.negotiate(0xe2088297L, "", "", true);
  static final byte[] CHALLENGE =
      NtlmBytes.challenge(
          0xe28a8215L,
          "CORP",
          TdsBytes.hex("a1b2c3d4e5f60718"),
          NtlmBytes.avPairs(2, "CORP", 1, "SQL01", 3, "sql01.corp.example.com"));
  static final byte[] NT_PROOF = TdsBytes.hex("f00dfeedc0ffee001122334455667788");
  static final byte[] SESSION_KEY = TdsBytes.hex("0badc0de0badc0de0badc0de0badc0de");
  static final byte[] MIC = TdsBytes.hex("99887766554433221100ffeeddccbbaa");
  static final byte[] AUTHENTICATE =
      NtlmBytes.authenticate(
          0xe2888215L,
          new byte[24],
          NtlmBytes.ntlmV2Response(
              NT_PROOF,
              0,
              new byte[8],
              NtlmBytes.avPairs(6, new TdsBytes.Out().u32le(2).toByteArray())),
          "CORP",
          "bob",
          "WS01",
          SESSION_KEY,
          MIC);

  static byte[] login7(byte[] sspi) {
    Login7Bytes b = new Login7Bytes();
    b.flags2 = 0x83;
    b.user = "";
    b.sspi = sspi;
    return TdsBytes.message(0x10, b.build(), 4096);
  }

  static byte[] sspiToken(byte[] blob) {
    return TdsBytes.packet(
        0x04, 1, new TdsBytes.Out().u8(0xED).u16le(blob.length).bytes(blob).toByteArray());
  }

  static byte[] loginAck(byte[]... before) {
    return TdsBytes.packet(
        0x04,
        1,
        TdsBytes.concat(
            TdsBytes.concat(before),
            TdsBytes.loginAck(0x74000004, "Microsoft SQL Server", 16, 0, 0x10, 0xA7),
            TdsBytes.done(0xFD, 0, 0, 0)));
  }

  static byte[] token(byte[] blob) {
    return new TdsBytes.Out().u8(0xED).u16le(blob.length).bytes(blob).toByteArray();
  }

  @Test
  void negotiateFallingBackToNtlmIsTwoLegsAndFlagged() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    long t = TdsConversationTest.feed(c, true, TdsConversationTest.preloginRequest(), 1000, 10);
    t = TdsConversationTest.feed(c, false, TdsConversationTest.preloginResponse(), 1000, t);
    t =
        TdsConversationTest.feed(
            c, true, login7(SpnegoDecoderTest.negTokenInit(NEGOTIATE, true)), 100, t + 100);
    t =
        TdsConversationTest.feed(
            c,
            false,
            sspiToken(SpnegoDecoderTest.negTokenResp(1, GssOid.NTLM, CHALLENGE, null)),
            3,
            t + 100);
    t =
        TdsConversationTest.feed(
            c,
            true,
            TdsBytes.packet(
                0x11, 1, SpnegoDecoderTest.negTokenResp(null, null, AUTHENTICATE, new byte[16])),
            5,
            t + 100);
    TdsConversationTest.feed(
        c,
        false,
        loginAck(token(SpnegoDecoderTest.negTokenResp(0, null, null, new byte[16]))),
        7,
        t + 100);

    List<AuthLegEvent> legs = r.of(AuthLegEvent.class);
    assertEquals(
        List.of("ntlm negotiate/challenge", "ntlm authenticate"),
        legs.stream().map(AuthLegEvent::name).collect(Collectors.toList()));
    assertEquals(
        List.of(AuthLegEvent.Result.CONTINUE, AuthLegEvent.Result.LOGGED_IN),
        legs.stream().map(AuthLegEvent::result).collect(Collectors.toList()));
    assertEquals("ntlm", legs.get(1).mechanism());
    assertEquals("spnego accept-completed", legs.get(1).response().description());
    assertTrue(legs.get(0).summary().isKerberosRequestedButNtlmUsed());
    assertTrue(legs.get(1).summary().isSpnego());
    assertEquals(4, legs.get(1).summary().messageCount());
    assertEquals(4, r.of(SspiEvent.class).size());
    assertTrue(r.of(SspiEvent.class).get(0).summary().isKerberosOffered());
    assertFalse(
        r.of(SspiEvent.class).get(0).summary().isNtlmUsed()
            && !r.of(SspiEvent.class).get(0).summary().isSpnego());
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
    // leg boundaries: leg 1 from LOGIN7's first byte to the end of the SSPI reply; leg 2 from the
    // SSPI message
    assertTrue(legs.get(0).endNanos() < legs.get(1).startNanos());
    assertEquals(r.one(LoginOutcomeEvent.class).timeNanos(), legs.get(1).endNanos());
    // legs come before the LOGIN_RESPONSE phase and the outcome
    List<Class<?>> order = r.events.stream().map(Object::getClass).collect(Collectors.toList());
    assertTrue(order.lastIndexOf(AuthLegEvent.class) < order.indexOf(LoginOutcomeEvent.class));
    assertNoSecrets(r.events);
  }

  @Test
  void closingWithALegOpenAbortsIt() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    TdsConversationTest.feed(c, true, login7(NEGOTIATE), 10000, 100);
    TdsConversationTest.feed(c, false, sspiToken(CHALLENGE), 10000, 200);
    TdsConversationTest.feed(c, true, TdsBytes.packet(0x11, 1, AUTHENTICATE), 10000, 300);
    c.onClose(400);
    List<AuthLegEvent> legs = r.of(AuthLegEvent.class);
    assertEquals(2, legs.size());
    assertEquals(AuthLegEvent.Result.ABORTED, legs.get(1).result());
    assertEquals(-1, legs.get(1).firstResponseNanos());
    assertEquals(400, legs.get(1).endNanos());
    assertEquals(Outcome.ABORTED, r.one(LoginOutcomeEvent.class).outcome());
    List<TdsEvent> tail = r.events.subList(r.events.size() - 2, r.events.size());
    assertTrue(tail.get(0) instanceof AuthLegEvent && tail.get(1) instanceof LoginOutcomeEvent);
    assertNoSecrets(r.events);
  }

  @Test
  void rejectedNtlmAuthenticate() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    TdsConversationTest.feed(c, true, login7(NEGOTIATE), 10000, 100);
    TdsConversationTest.feed(c, false, sspiToken(CHALLENGE), 10000, 200);
    TdsConversationTest.feed(c, true, TdsBytes.packet(0x11, 1, AUTHENTICATE), 10000, 300);
    TdsConversationTest.feed(
        c,
        false,
        TdsBytes.packet(
            0x04,
            1,
            TdsBytes.concat(
                TdsBytes.serverMessage(
                    true, 18456, 1, 14, "Login failed for user 'CORP\\bob'.", "SRV"),
                TdsBytes.done(0xFD, 2, 0, 0))),
        10000,
        400);
    AuthLegEvent last = r.of(AuthLegEvent.class).get(1);
    assertEquals("ntlm authenticate", last.name());
    assertEquals(AuthLegEvent.Result.REJECTED, last.result());
    assertNull(last.response());
  }

  @Test
  void malformedBlobsAreDecodeErrorsAndTheLoginGoesOn() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    TdsConversationTest.feed(
        c, true, login7(Arrays.copyOf(NEGOTIATE, 14)), 10000, 100); // truncated NEGOTIATE
    TdsConversationTest.feed(
        c, false, sspiToken(Arrays.copyOf(CHALLENGE, 40)), 10000, 200); // truncated CHALLENGE
    TdsConversationTest.feed(
        c, true, TdsBytes.packet(0x11, 1, Arrays.copyOf(AUTHENTICATE, 70)), 10000, 300);
    TdsConversationTest.feed(c, false, TdsConversationTest.successResponse(), 10000, 400);
    List<DecodeErrorEvent> errors = r.of(DecodeErrorEvent.class);
    assertEquals(3, errors.size(), r.dump());
    assertTrue(
        errors.stream().allMatch(e -> e.layer().equals("sspi") && e.reason().startsWith("ntlm: ")),
        r.dump());
    assertEquals(
        List.of("ntlm malformed/malformed", "ntlm malformed"),
        r.of(AuthLegEvent.class).stream().map(AuthLegEvent::name).collect(Collectors.toList()));
    assertEquals(Outcome.SUCCESS, r.one(LoginOutcomeEvent.class).outcome());
    assertFalse(c.isStopped());
  }

  @Test
  void sqlLoginHasNoLegsAndSspiAfterLoginIsFramingOnly() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    TdsConversationTest.feed(c, true, TdsConversationTest.login7(), 10000, 100);
    TdsConversationTest.feed(c, false, TdsConversationTest.successResponse(), 10000, 200);
    TdsConversationTest.feed(c, true, TdsBytes.packet(0x11, 1, AUTHENTICATE), 10000, 300);
    assertTrue(r.of(AuthLegEvent.class).isEmpty());
    assertTrue(r.of(SspiEvent.class).isEmpty());
    // attached mid-session: an SSPI message first is framing only too
    Recorder r2 = new Recorder();
    TdsConversation c2 = new TdsConversation(r2);
    TdsConversationTest.feed(c2, true, TdsBytes.packet(0x11, 1, AUTHENTICATE), 10000, 100);
    assertEquals(Phase.LOGGED_IN, c2.phase());
    assertTrue(r2.of(SspiEvent.class).isEmpty());
  }

  @Test
  void encryptedLogin7AnsweredWithSspiStillGivesALeg() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    TdsConversationTest.feed(c, true, TdsConversationTest.preloginRequest(), 1000, 10);
    TdsConversationTest.feed(c, false, TdsConversationTest.preloginResponse(), 1000, 20);
    // a TLS handshake record inside a PRELOGIN packet, then LOGIN7 as a bare application-data
    // record (a capture)
    TdsConversationTest.feed(
        c, true, TdsBytes.packet(0x12, 1, TdsBytes.hex("1603030004" + "0e000000")), 1000, 30);
    TdsConversationTest.feed(
        c, true, TdsBytes.hex("1703030010" + "00112233445566778899aabbccddeeff"), 1000, 40);
    TdsConversationTest.feed(c, false, sspiToken(CHALLENGE), 1000, 50);
    TdsConversationTest.feed(c, true, TdsBytes.packet(0x11, 1, AUTHENTICATE), 1000, 60);
    TdsConversationTest.feed(c, false, TdsConversationTest.successResponse(), 1000, 70);
    List<AuthLegEvent> legs = r.of(AuthLegEvent.class);
    assertEquals(
        List.of("ntlm ?/challenge", "ntlm authenticate"),
        legs.stream().map(AuthLegEvent::name).collect(Collectors.toList()),
        r.dump());
    assertNull(legs.get(0).request());
    assertEquals(40, legs.get(0).startNanos());
    assertTrue(legs.get(0).response() instanceof NtlmChallenge);
  }

  static void assertNoSecrets(List<TdsEvent> events) {
    SecretScanner s = SecretScanner.forBytes(NT_PROOF, SESSION_KEY, MIC);
    for (TdsEvent e : events) {
      List<String> f = s.scan(e);
      assertTrue(f.isEmpty(), f + " in " + e);
    }
  }
}
