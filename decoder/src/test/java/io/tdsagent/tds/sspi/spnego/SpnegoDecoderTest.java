package io.tdsagent.tds.sspi.spnego;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.sspi.SspiAuthSummary;
import io.tdsagent.tds.sspi.SspiDecoder;
import io.tdsagent.tds.sspi.UndecodedSspi;
import io.tdsagent.tds.sspi.mechanism.GssOid;
import io.tdsagent.tds.sspi.mechanism.SspiMechanism;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import io.tdsagent.tds.sspi.ntlm.NtlmAuthenticate;
import io.tdsagent.tds.sspi.ntlm.NtlmChallenge;
import io.tdsagent.tds.sspi.ntlm.NtlmNegotiate;
import io.tdsagent.testutil.Der;
import io.tdsagent.testutil.NtlmBytes;
import io.tdsagent.testutil.TdsBytes;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Hand-built SPNEGO tokens (RFC 4178 4.2) around real-shaped NTLM messages: Windows' Negotiate
 * falling back to NTLM.
 */
public class SpnegoDecoderTest {
  /** Windows' usual list: MS Kerberos, Kerberos, NegoEx, NTLM. */
  public static byte[] negTokenInit(byte[] mechToken, boolean negHints) {
    byte[] mechTypes =
        Der.ctx(
            0,
            Der.seq(
                Der.oid(GssOid.MS_KERBEROS),
                Der.oid(GssOid.KERBEROS),
                Der.oid(GssOid.NEGOEX),
                Der.oid(GssOid.NTLM)));
    byte[] token = Der.ctx(2, Der.octets(mechToken));
    byte[] body =
        negHints
            ? Der.seq(
                mechTypes,
                token,
                Der.ctx(
                    3,
                    Der.seq(Der.ctx(0, Der.generalString("not_defined_in_RFC4178@please_ignore")))))
            : Der.seq(mechTypes, token);
    return Der.gss(GssOid.SPNEGO, Der.ctx(0, body));
  }

  public static byte[] negTokenResp(Integer state, String mech, byte[] token, byte[] mic) {
    List<byte[]> f = new java.util.ArrayList<>();
    if (state != null) {
      f.add(Der.ctx(0, Der.enumerated(state)));
    }
    if (mech != null) {
      f.add(Der.ctx(1, Der.oid(mech)));
    }
    if (token != null) {
      f.add(Der.ctx(2, Der.octets(token)));
    }
    if (mic != null) {
      f.add(Der.ctx(3, Der.octets(mic)));
    }
    return Der.ctx(1, Der.seq(f.toArray(new byte[0][])));
  }

  static final byte[] NEGOTIATE = NtlmBytes.negotiate(0xe2088297L, "", "", true);
  static final byte[] CHALLENGE =
      NtlmBytes.challenge(
          0xe28a8215L, "CORP", new byte[8], NtlmBytes.avPairs(2, "CORP", 1, "SQL01"));
  static final byte[] AUTHENTICATE =
      NtlmBytes.authenticate(
          0xe2888215L,
          new byte[24],
          NtlmBytes.ntlmV2Response(
              new byte[16],
              0,
              new byte[8],
              NtlmBytes.avPairs(6, new TdsBytes.Out().u32le(2).toByteArray())),
          "CORP",
          "bob",
          "WS01",
          new byte[16],
          TdsBytes.hex("00112233445566778899aabbccddeeff"));

  @Test
  void negTokenInitWithNtlmMechToken() {
    for (boolean hints : new boolean[] {false, true}) {
      byte[] b = negTokenInit(NEGOTIATE, hints);
      assertEquals(SspiMechanism.SPNEGO, SspiDecoder.classify(b));
      NegTokenInit init = (NegTokenInit) SspiDecoder.decode(b);
      assertEquals(
          List.of("ms-kerberos", "kerberos", "negoex", "ntlm"),
          init.mechTypes().stream().map(GssOid::name).collect(Collectors.toList()));
      assertEquals(GssOid.MS_KERBEROS, init.mechTypes().get(0).value());
      assertTrue(init.offersKerberos());
      assertTrue(init.offersNtlm());
      assertTrue(init.mechToken() instanceof NtlmNegotiate);
      assertEquals("ntlm negotiate", init.description());
      assertFalse(init.hasMechListMic(), "negHints are not a MIC");
    }
  }

  @Test
  void negTokenRespVariants() {
    NegTokenResp first =
        (NegTokenResp) SspiDecoder.decode(negTokenResp(1, GssOid.NTLM, CHALLENGE, null));
    assertEquals(NegTokenResp.NegState.ACCEPT_INCOMPLETE, first.negState());
    assertEquals("ntlm", first.supportedMech().name());
    assertTrue(first.responseToken() instanceof NtlmChallenge);
    assertEquals("ntlm challenge", first.description());

    NegTokenResp auth =
        (NegTokenResp) SspiDecoder.decode(negTokenResp(null, null, AUTHENTICATE, new byte[16]));
    assertEquals(NegTokenResp.NegState.ABSENT, auth.negState());
    assertTrue(auth.hasMechListMic());
    assertTrue(((NtlmAuthenticate) auth.responseToken()).isMicPresent());

    NegTokenResp done =
        (NegTokenResp) SspiDecoder.decode(negTokenResp(0, null, null, new byte[16]));
    assertEquals(NegTokenResp.NegState.ACCEPT_COMPLETED, done.negState());
    assertNull(done.responseToken());
    assertEquals("spnego accept-completed", done.description());

    assertEquals(
        NegTokenResp.NegState.REJECT,
        ((NegTokenResp) SspiDecoder.decode(negTokenResp(2, null, null, null))).negState());
    assertEquals(
        NegTokenResp.NegState.UNKNOWN,
        ((NegTokenResp) SspiDecoder.decode(negTokenResp(9, null, null, null))).negState());
  }

  @Test
  void summaryFlagsTheKerberosToNtlmFallback() {
    List<SspiMessage> msgs =
        List.of(
            SspiDecoder.decode(negTokenInit(NEGOTIATE, true)),
            SspiDecoder.decode(negTokenResp(1, GssOid.NTLM, CHALLENGE, null)),
            SspiDecoder.decode(negTokenResp(null, null, AUTHENTICATE, new byte[16])));
    SspiAuthSummary s = SspiAuthSummary.of(msgs);
    assertTrue(s.isKerberosOffered());
    assertFalse(s.isKerberosUsed());
    assertTrue(s.isNtlmUsed());
    assertTrue(s.isKerberosRequestedButNtlmUsed());
    assertTrue(s.isSpnego());
    assertFalse(s.isAnonymous());
    assertEquals(3, s.messageCount());
    // plain NTLM, no Negotiate: nothing was downgraded
    SspiAuthSummary plain =
        SspiAuthSummary.of(List.of(SspiDecoder.decode(NEGOTIATE), SspiDecoder.decode(CHALLENGE)));
    assertFalse(plain.isKerberosRequestedButNtlmUsed());
    // null session
    byte[] anon =
        NtlmBytes.authenticate(
            0xe2088a15L, new byte[1], new byte[0], "", "", "", new byte[0], new byte[16]);
    assertTrue(SspiAuthSummary.empty().with(SspiDecoder.decode(anon)).isAnonymous());
  }

  @Test
  void malformedSpnegoIsAnErrorNotAnException() {
    byte[] init = negTokenInit(NEGOTIATE, true);
    for (int n = 1; n < init.length; n++) {
      SspiMessage m = SspiDecoder.decode(Arrays.copyOf(init, n));
      assertFalse(m.isDecoded(), "prefix " + n);
    }
    // an inner token that is itself bad: the outer token decodes, the inner one says why
    byte[] badInner = negTokenInit(Arrays.copyOf(CHALLENGE, 20), false);
    NegTokenInit i = (NegTokenInit) SspiDecoder.decode(badInner);
    assertEquals("malformed", i.mechToken().messageName());
    assertTrue(((UndecodedSspi) i.mechToken()).error() != null);
    // wrong universal types, a long-form length past the end, a multi-byte tag
    assertFalse(SspiDecoder.decode(TdsBytes.hex("a1053003a0010a")).isDecoded());
    assertFalse(SspiDecoder.decode(TdsBytes.hex("a184ffffffff30")).isDecoded());
    assertFalse(SspiDecoder.decode(TdsBytes.hex("601f06062b0601050502bf")).isDecoded());
    // nesting SPNEGO in SPNEGO is cut off, not recursed into without bound
    byte[] nested = NEGOTIATE;
    for (int d = 0; d < 50; d++) {
      nested = negTokenResp(1, null, nested, null);
    }
    SspiMessage m = SspiDecoder.decode(nested);
    assertEquals("malformed", m.innermost().messageName());
    // an unknown GSS mechanism and an empty blob are "unknown", not errors
    UndecodedSspi unknown =
        (UndecodedSspi) SspiDecoder.decode(Der.gss("1.2.3.4", new byte[] {1, 2}));
    assertEquals(SspiMechanism.UNKNOWN, unknown.mechanism());
    assertNull(unknown.error());
    assertEquals(0x60, unknown.firstByte());
    assertEquals(SspiMechanism.UNKNOWN, SspiDecoder.classify(new byte[0]));
    assertEquals("unknown", SspiDecoder.decode(new byte[0]).messageName());
  }
}
