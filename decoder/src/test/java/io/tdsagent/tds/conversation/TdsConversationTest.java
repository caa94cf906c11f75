package io.tdsagent.tds.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Login7Event;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.LoginOutcomeEvent.Outcome;
import io.tdsagent.tds.event.MessageEndEvent;
import io.tdsagent.tds.event.MessageStartEvent;
import io.tdsagent.tds.event.Phase;
import io.tdsagent.tds.event.PhaseEvent;
import io.tdsagent.tds.event.PreloginEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.token.SspiToken;
import io.tdsagent.testutil.Login7Bytes;
import io.tdsagent.testutil.NtlmBytes;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.SecretScanner;
import io.tdsagent.testutil.TdsBytes;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TdsConversationTest {
  private static final String PASSWORD = "Unit-Canary-9f3!";

  static byte[] preloginRequest() {
    return TdsBytes.packet(0x12, 1, TdsBytes.prelogin(13, 6, 2, 0));
  }

  static byte[] preloginResponse() {
    return TdsBytes.packet(0x04, 1, TdsBytes.prelogin(16, 0, 4135, 2));
  }

  static byte[] login7() {
    Login7Bytes b = new Login7Bytes();
    b.password = PASSWORD;
    return TdsBytes.message(0x10, b.build(), 64); // several packets on purpose
  }

  static byte[] successResponse() {
    return TdsBytes.packet(
        0x04,
        1,
        TdsBytes.concat(
            TdsBytes.envChangeString(1, "demo", "master"),
            TdsBytes.serverMessage(false, 5701, 2, 0, "Changed database context to 'demo'.", "SRV"),
            TdsBytes.loginAck(0x74000004, "Microsoft SQL Server", 16, 0, 0x10, 0xA7),
            TdsBytes.done(0xFD, 0, 0, 0)));
  }

  /** Feeds in chunks of {@code chunk} bytes with increasing clock values. */
  static long feed(TdsConversation c, boolean client, byte[] b, int chunk, long t) {
    for (int off = 0; off < b.length; off += chunk) {
      int n = Math.min(chunk, b.length - off);
      if (client) {
        c.onClientBytes(b, off, n, t);
      } else {
        c.onServerBytes(b, off, n, t);
      }
      t += 10;
    }
    return t;
  }

  private static List<String> names(Recorder r) {
    return r.events.stream().map(TdsConversationTest::name).collect(Collectors.toList());
  }

  private static String name(TdsEvent e) {
    if (e instanceof PhaseEvent) {
      return "Phase:" + ((PhaseEvent) e).phase();
    }
    if (e instanceof LoginOutcomeEvent) {
      return "Outcome:" + ((LoginOutcomeEvent) e).outcome();
    }
    if (e instanceof TokenEvent) {
      return "Token:" + ((TokenEvent) e).token().type();
    }
    if (e instanceof MessageStartEvent) {
      return "Start:" + ((MessageStartEvent) e).packetType();
    }
    if (e instanceof MessageEndEvent) {
      return "End:" + ((MessageEndEvent) e).packetType();
    }
    return e.getClass().getSimpleName();
  }

  @Test
  void successfulLoginEventOrderAndTiming() {
    for (int chunk : new int[] {1, 3, 64, 100000}) {
      Recorder r = new Recorder();
      TdsConversation c = new TdsConversation(r);
      assertEquals(Phase.INITIAL, c.phase());
      long t = feed(c, true, preloginRequest(), chunk, 1000);
      assertEquals(Phase.PRELOGIN, c.phase());
      t = feed(c, false, preloginResponse(), chunk, t + 100);
      t = feed(c, true, login7(), 10000, t + 100); // the driver writes whole packets
      assertEquals(Phase.LOGIN7, c.phase());
      t = feed(c, false, successResponse(), chunk, t + 100);
      assertEquals(Phase.LOGGED_IN, c.phase());
      feed(c, true, TdsBytes.packet(0x01, 1, TdsBytes.utf16("select 1")), chunk, t + 100);
      c.onClose(t + 1000);
      assertEquals(
          List.of(
              "Start:PRELOGIN",
              "End:PRELOGIN",
              "PreloginEvent",
              "Start:TABULAR_RESULT",
              "End:TABULAR_RESULT",
              "PreloginEvent",
              "Phase:PRELOGIN",
              "Start:LOGIN7",
              "End:LOGIN7",
              "Login7Event",
              "Start:TABULAR_RESULT",
              "Phase:LOGIN7",
              "End:TABULAR_RESULT",
              "Token:ENVCHANGE",
              "Token:INFO",
              "Token:LOGINACK",
              "Token:DONE",
              "Phase:LOGIN_RESPONSE",
              "Outcome:SUCCESS",
              "Start:SQL_BATCH",
              "End:SQL_BATCH",
              "RequestEvent"),
          names(r),
          "chunk " + chunk);
      List<PhaseEvent> phases = r.of(PhaseEvent.class);
      assertEquals(1000, phases.get(0).startNanos());
      PreloginEvent server = r.of(PreloginEvent.class).get(1);
      assertEquals(phases.get(0).endNanos(), server.lastByteNanos());
      assertEquals(
          phases.get(1).endNanos(),
          phases.get(2).startNanos(),
          "LOGIN7 ends where LOGIN_RESPONSE starts");
      assertEquals(r.one(Login7Event.class).firstByteNanos(), phases.get(1).startNanos());
      LoginOutcomeEvent o = r.one(LoginOutcomeEvent.class);
      assertEquals("16.0.4263", o.ack().progVersion());
      assertEquals("tdsuser", r.one(Login7Event.class).login7().userName());
      for (TdsEvent e : r.events) {
        assertTrue(new SecretScanner(PASSWORD).scan(e).isEmpty());
      }
      assertTrue(c.isStopped());
      assertEquals(Phase.CLOSED, c.phase());
    }
  }

  @Test
  void failedLogin() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    long t = feed(c, true, preloginRequest(), 1000, 0);
    t = feed(c, false, preloginResponse(), 1000, t);
    t = feed(c, true, login7(), 1000, t);
    feed(
        c,
        false,
        TdsBytes.packet(
            0x04,
            1,
            TdsBytes.concat(
                TdsBytes.serverMessage(false, 5701, 1, 0, "info", "SRV"),
                TdsBytes.serverMessage(
                    true, 18456, 1, 14, "Login failed for user 'tdsuser'.", "SRV"),
                TdsBytes.done(0xFD, 0x02, 0, 0))),
        5,
        t);
    LoginOutcomeEvent o = r.one(LoginOutcomeEvent.class);
    assertEquals(Outcome.FAILURE, o.outcome());
    assertEquals(18456, o.error().number());
    assertEquals(14, o.error().severity());
    assertNull(o.ack());
    assertEquals(Phase.FAILED, c.phase());
    c.onClose(t + 1);
    assertEquals(1, r.of(LoginOutcomeEvent.class).size(), "no ABORTED after an outcome");
  }

  /**
   * TDS 8 (encrypt=strict): LOGIN7 asks for 0x08000000 and a failed login has no LOGINACK, so the
   * response is read with the requested version, whose DONE is the 12-byte 7.2 form although
   * 0x08000000 &lt; 0x72000000.
   */
  @Test
  void failedTds8LoginHasNoDecodeError() {
    Login7Bytes b = new Login7Bytes();
    b.password = PASSWORD;
    b.tdsVersion = 0x08000000;
    byte[] response =
        TdsBytes.packet(
            0x04,
            1,
            TdsBytes.concat(
                TdsBytes.serverMessage(
                    true, 18456, 1, 14, "Login failed for user 'tdsuser'.", "SRV"),
                TdsBytes.done(0xFD, 0x02, 0, 0)));
    for (int chunk : new int[] {1, 7, 1000}) {
      Recorder r = new Recorder();
      TdsConversation c = new TdsConversation(r);
      long t = feed(c, true, preloginRequest(), chunk, 0);
      t = feed(c, false, preloginResponse(), chunk, t);
      t = feed(c, true, TdsBytes.message(0x10, b.build(), 4096), chunk, t);
      t = feed(c, false, response, chunk, t);
      c.onClose(t);
      assertEquals(List.of(), r.of(DecodeErrorEvent.class), "chunk " + chunk);
      assertEquals(Outcome.FAILURE, r.one(LoginOutcomeEvent.class).outcome());
      assertEquals(18456, r.one(LoginOutcomeEvent.class).error().number());
    }
  }

  @Test
  void routedLogin() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    feed(c, true, login7(), 1000, 0); // no PRELOGIN: old clients may start with LOGIN7
    feed(
        c,
        false,
        TdsBytes.packet(
            0x04,
            1,
            TdsBytes.concat(
                TdsBytes.loginAck(0x74000004, "Microsoft SQL Server", 12, 0, 0x07, 0xD0),
                TdsBytes.routing("replica.database.windows.net", 11002),
                TdsBytes.done(0xFD, 0, 0, 0))),
        1000,
        10);
    LoginOutcomeEvent o = r.one(LoginOutcomeEvent.class);
    assertEquals(Outcome.ROUTED, o.outcome());
    assertEquals("replica.database.windows.net", o.routingServer());
    assertEquals(11002, o.routingPort());
  }

  @Test
  void sspiRoundTripKeepsOneLoginResponsePhase() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    Login7Bytes b = new Login7Bytes();
    b.flags2 = 0x83;
    b.user = "";
    b.sspi = NtlmBytes.negotiate(0xe2088297L, "", "", true);
    feed(c, true, TdsBytes.packet(0x10, 1, b.build()), 10000, 100);
    feed(
        c,
        false,
        TdsBytes.packet(
            0x04, 1, new TdsBytes.Out().u8(0xED).u16le(4).u32le(0x01020304).toByteArray()),
        10000,
        200);
    assertEquals(Phase.LOGIN_RESPONSE, c.phase());
    feed(
        c,
        true,
        TdsBytes.packet(
            0x11,
            1,
            NtlmBytes.authenticate(
                0xe2888235L,
                new byte[24],
                new byte[24],
                "D",
                "u",
                "W",
                new byte[16],
                new byte[16])),
        10000,
        300);
    feed(c, false, successResponse(), 10000, 400);
    assertTrue(r.one(Login7Event.class).login7().isIntSecurity());
    assertEquals(4, ((SspiToken) r.of(TokenEvent.class).get(0).token()).length());
    PhaseEvent resp =
        r.of(PhaseEvent.class).stream()
            .filter(p -> p.phase() == Phase.LOGIN_RESPONSE)
            .findFirst()
            .orElseThrow();
    assertEquals(200, resp.startNanos());
    assertEquals(400, resp.endNanos());
    assertEquals(Outcome.SUCCESS, r.one(LoginOutcomeEvent.class).outcome());
    assertTrue(r.of(DecodeErrorEvent.class).isEmpty(), r.dump());
    List<AuthLegEvent> legs = r.of(AuthLegEvent.class);
    assertEquals(2, legs.size(), r.dump());
    assertEquals(
        "ntlm negotiate/unknown unknown", legs.get(0).name(), "a 4-byte token is not NTLM");
    assertEquals("ntlm authenticate", legs.get(1).name());
    assertEquals(AuthLegEvent.Result.LOGGED_IN, legs.get(1).result());
  }

  @Test
  void closeBeforeAnswerIsAborted() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    feed(c, true, preloginRequest(), 1000, 0);
    feed(c, false, preloginResponse(), 1000, 10);
    feed(c, true, login7(), 1000, 20);
    c.onClose(99);
    LoginOutcomeEvent o = r.one(LoginOutcomeEvent.class);
    assertEquals(Outcome.ABORTED, o.outcome());
    assertEquals(99, o.timeNanos());
    c.onClose(100);
    assertEquals(1, r.of(LoginOutcomeEvent.class).size());
  }

  @Test
  void midSessionStartsLoggedIn() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    feed(c, true, TdsBytes.message(0x03, new byte[9000], 4096), 4096, 0);
    feed(c, false, TdsBytes.packet(0x04, 1, TdsBytes.done(0xFD, 0, 0, 0)), 7, 10);
    assertEquals(Phase.LOGGED_IN, c.phase());
    assertEquals(
        List.of("Start:RPC", "End:RPC", "Start:TABULAR_RESULT", "End:TABULAR_RESULT"),
        names(r).stream()
            .filter(n -> n.startsWith("Start:") || n.startsWith("End:"))
            .collect(Collectors.toList()));
    // 9000 zero bytes are no valid RPC: reported, not thrown
    assertEquals("request", r.one(DecodeErrorEvent.class).layer());
    assertEquals(9000 + 3 * 8, r.of(MessageEndEvent.class).get(0).messageBytes());
    c.onClose(20);
    assertTrue(r.of(LoginOutcomeEvent.class).isEmpty());
  }

  @Test
  void garbageIsADecodeErrorNotAnException() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    byte[] junk = "GET / HTTP/1.1\r\n\r\n".getBytes();
    c.onClientBytes(junk, 0, junk.length, 5);
    DecodeErrorEvent e = r.one(DecodeErrorEvent.class);
    assertEquals("packet", e.layer());
    assertTrue(c.isStopped());
    assertEquals(Phase.STOPPED, c.phase());
    c.onClientBytes(junk, 0, junk.length, 6);
    c.onClientBytes(null, 0, 5, 6);
    c.onServerBytes(junk, 10, 50, 6);
    assertEquals(1, r.of(DecodeErrorEvent.class).size());
  }

  @Test
  void malformedMessagesReportAndContinue() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    feed(
        c,
        true,
        TdsBytes.packet(0x12, 1, new byte[] {0, 0, 50, 0, 6}),
        100,
        0); // truncated option table
    feed(c, false, preloginResponse(), 100, 10);
    feed(
        c,
        true,
        TdsBytes.packet(0x10, 1, new byte[40]),
        100,
        20); // LOGIN7 shorter than its fixed part
    feed(
        c,
        false,
        TdsBytes.packet(
            0x04,
            1,
            TdsBytes.concat(
                TdsBytes.loginAck(0x74000004, "X", 1, 0, 0, 1), new byte[] {(byte) 0xD1, 1, 2, 3})),
        100,
        30); // ROW: undeterminable
    List<String> layers =
        r.of(DecodeErrorEvent.class).stream()
            .map(DecodeErrorEvent::layer)
            .collect(Collectors.toList());
    assertEquals(List.of("prelogin", "login7", "token"), layers);
    assertEquals(
        Outcome.SUCCESS,
        r.one(LoginOutcomeEvent.class).outcome(),
        "LOGINACK seen before the undecodable token");
    assertFalse(c.isStopped());
  }

  @Test
  void oversizedLoginMessagesAreCapped() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r, new DecoderLimits(4096, 4096));
    feed(c, true, preloginRequest(), 1000, 0);
    feed(c, false, TdsBytes.message(0x04, new byte[100_000], 4096), 4096, 10);
    assertTrue(r.of(DecodeErrorEvent.class).get(0).reason().contains("longer than 4096"), r.dump());
    feed(c, true, login7(), 1000, 20);
    assertEquals(1, r.of(Login7Event.class).size(), "framing survives a skipped message");
  }

  @Test
  void randomBytesNeverThrowAndStayBounded() {
    Random rnd = new Random(42);
    long events = 0;
    for (int conv = 0; conv < 200; conv++) {
      Recorder r = new Recorder();
      TdsConversation c = new TdsConversation(r);
      if (conv % 2 == 0) { // a valid start, then garbage
        feed(c, true, preloginRequest(), 1000, 0);
        feed(c, false, preloginResponse(), 1000, 0);
      }
      for (int i = 0; i < 50; i++) {
        byte[] b = new byte[rnd.nextInt(600)];
        rnd.nextBytes(b);
        if (rnd.nextInt(4) == 0
            && b.length > 8) { // plausible headers lead deeper into the decoders
          b[0] = (byte) new int[] {0x12, 0x10, 0x04, 0x11, 0x16, 0x17}[rnd.nextInt(6)];
          b[1] = 1;
          b[2] = 0;
          b[3] = (byte) Math.min(255, b.length);
        }
        if (rnd.nextBoolean()) {
          c.onClientBytes(b, 0, b.length, i);
        } else {
          c.onServerBytes(b, 0, b.length, i);
        }
      }
      c.onClose(100);
      events += r.events.size();
    }
    assertTrue(events > 0);
    // megabytes through one conversation that never finds a framing error: all valid headers,
    // random payloads
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    feed(c, true, preloginRequest(), 1000, 0);
    feed(c, false, preloginResponse(), 1000, 0);
    byte[] payload = new byte[32000];
    for (int i = 0; i < 200; i++) {
      rnd.nextBytes(payload);
      feed(c, i % 2 == 0, TdsBytes.message(0x04, payload, 32767), 1 + rnd.nextInt(5000), i);
    }
    assertFalse(c.isStopped(), r.dump().substring(0, 500));
  }

  @Test
  void loginMessagesTheSenderCancelledAreNotDecoded() {
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    int eomIgnore = 0x01 | 0x02;
    long t = feed(c, true, TdsBytes.packet(0x12, eomIgnore, TdsBytes.prelogin(13, 6, 2, 0)), 7, 1);
    t = feed(c, true, preloginRequest(), 1000, t);
    t = feed(c, false, preloginResponse(), 1000, t);
    Login7Bytes login = new Login7Bytes();
    login.password = PASSWORD;
    feed(c, true, TdsBytes.packet(0x10, eomIgnore, login.build()), 1000, t);

    assertEquals(
        2, count(r, PreloginEvent.class), r.dump()); // the client's second and the server's
    assertEquals(0, count(r, Login7Event.class), r.dump());
    assertEquals(0, count(r, DecodeErrorEvent.class), r.dump());
    assertEquals(4, count(r, MessageEndEvent.class), "cancelled messages are still framed");
  }

  private static long count(Recorder r, Class<? extends TdsEvent> type) {
    return r.events.stream().filter(type::isInstance).count();
  }
}
