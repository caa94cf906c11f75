package io.tdsagent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.conversation.TdsConversation;
import io.tdsagent.tds.event.Login7Event;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.login.Login7;
import io.tdsagent.testutil.Login7Bytes;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.SecretScanner;
import io.tdsagent.testutil.TdsBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The masker at every split point: no piece of any credential may come out, whatever the chunking.
 */
class SecretMaskerTest {
  static final String CANARY = "Canary-Mask-Pa55word!";
  static final String CANARY2 = "Canary-Change-Pa55word!";
  static final byte[] TOKEN_CANARY = "Canary-Token-0123456789".getBytes(StandardCharsets.US_ASCII);

  /** One message of the conversation: who sent it and its bytes. */
  static final class Msg {
    final boolean fromClient;
    final byte[] bytes;

    Msg(boolean fromClient, byte[] bytes) {
      this.fromClient = fromClient;
      this.bytes = bytes;
    }
  }

  static byte[] secretBlob(int size) {
    byte[] b = new byte[size];
    byte[] u = CANARY.getBytes(StandardCharsets.UTF_16LE);
    for (int i = 0; i < size; i++) {
      b[i] = i < TOKEN_CANARY.length ? TOKEN_CANARY[i] : u[i % u.length];
    }
    return b;
  }

  /** FEDAUTH feature: options byte, then a token length and an access token. */
  static byte[] fedAuthFeature() {
    byte[] token = secretBlob(40);
    return new TdsBytes.Out()
        .u8(0x02)
        .u32le(1 + 4 + token.length)
        .u8(0x03)
        .u32le(token.length)
        .bytes(token)
        .toByteArray();
  }

  static List<Msg> conversation(int maxPacket) {
    Login7Bytes l = new Login7Bytes();
    l.user = "mask_user";
    l.password = CANARY;
    l.changePassword = CANARY2;
    l.sspi = secretBlob(60);
    l.features = fedAuthFeature();
    List<Msg> c = new ArrayList<>();
    c.add(new Msg(true, TdsBytes.packet(0x12, 1, TdsBytes.prelogin(13, 6, 0, 2))));
    c.add(new Msg(false, TdsBytes.packet(0x04, 1, TdsBytes.prelogin(16, 0, 1000, 2))));
    c.add(new Msg(true, TdsBytes.message(0x10, l.build(), maxPacket)));
    byte[] sspiToken = secretBlob(50);
    c.add(
        new Msg(
            false,
            TdsBytes.packet(
                0x04,
                1,
                new TdsBytes.Out()
                    .u8(0xED)
                    .u16le(sspiToken.length)
                    .bytes(sspiToken)
                    .toByteArray())));
    c.add(new Msg(true, TdsBytes.message(0x11, secretBlob(300), maxPacket)));
    c.add(
        new Msg(
            false,
            TdsBytes.packet(
                0x04,
                1,
                TdsBytes.concat(
                    TdsBytes.envChangeString(1, "demo", "master"),
                    new TdsBytes.Out()
                        .u8(0xAE)
                        .u8(0x01)
                        .u32le(3)
                        .u8(1)
                        .u8(2)
                        .u8(3)
                        .u8(0xFF)
                        .toByteArray(),
                    TdsBytes.loginAck(0x74000004, "Microsoft SQL Server", 16, 0, 3, 232),
                    TdsBytes.done(0xFD, 0, 0, 0)))));
    byte[] fedAuthToken = secretBlob(64);
    c.add(
        new Msg(
            true,
            TdsBytes.packet(
                0x08,
                1,
                new TdsBytes.Out()
                    .u32le(4 + fedAuthToken.length)
                    .u32le(fedAuthToken.length)
                    .bytes(fedAuthToken)
                    .toByteArray())));
    c.add(new Msg(true, TdsBytes.packet(0x01, 1, TdsBytes.utf16("SELECT 'not a secret'"))));
    c.add(new Msg(false, TdsBytes.packet(0x04, 1, TdsBytes.done(0xFD, 0x10, 0xC1, 1))));
    return c;
  }

  /**
   * Runs the conversation through a masker, message {@code split} cut at {@code at} (or all in
   * 1-byte chunks).
   */
  static byte[][] mask(List<Msg> conv, int split, int at, boolean bytewise) {
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    ByteArrayOutputStream server = new ByteArrayOutputStream();
    SecretMasker m =
        new SecretMasker((fromClient, data, t) -> (fromClient ? client : server).writeBytes(data));
    for (int i = 0; i < conv.size(); i++) {
      Msg msg = conv.get(i);
      byte[] original = msg.bytes.clone();
      if (bytewise) {
        for (int j = 0; j < msg.bytes.length; j++) {
          feed(m, msg.fromClient, msg.bytes, j, 1);
        }
      } else if (i == split) {
        feed(m, msg.fromClient, msg.bytes, 0, at);
        feed(m, msg.fromClient, msg.bytes, at, msg.bytes.length - at);
      } else {
        feed(m, msg.fromClient, msg.bytes, 0, msg.bytes.length);
      }
      assertArrayEquals(original, msg.bytes, "the application's bytes are never changed");
    }
    m.close();
    return new byte[][] {client.toByteArray(), server.toByteArray()};
  }

  static void feed(SecretMasker m, boolean fromClient, byte[] b, int off, int len) {
    if (fromClient) {
      m.client(b, off, len, 0);
    } else {
      m.server(b, off, len, 0);
    }
  }

  static byte[] joined(List<Msg> conv, boolean client) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    conv.stream().filter(m -> m.fromClient == client).forEach(m -> o.writeBytes(m.bytes));
    return o.toByteArray();
  }

  static void assertNoSecret(byte[] b, String where) {
    for (byte[] needle : needles()) {
      int at = SecretScanner.indexOf(b, needle);
      assertEquals(-1, at, () -> "a secret in the masked " + where + " at " + at);
    }
  }

  static List<byte[]> needles() {
    List<byte[]> n = new ArrayList<>();
    for (String s : new String[] {CANARY, CANARY2}) {
      n.add(s.getBytes(StandardCharsets.UTF_16LE));
      n.add(Login7Bytes.obfuscate(s));
      // any 4-character piece, in every form it could take
      for (int i = 0; i + 4 <= s.length(); i++) {
        n.add(s.substring(i, i + 4).getBytes(StandardCharsets.UTF_16LE));
        n.add(Login7Bytes.obfuscate(s.substring(i, i + 4)));
      }
    }
    n.add(TOKEN_CANARY);
    return n;
  }

  @Test
  void wholeMessagesAreMaskedAndStillDecode() {
    List<Msg> conv = conversation(4096);
    byte[][] out = mask(conv, -1, 0, false);
    byte[] client = joined(conv, true);
    byte[] server = joined(conv, false);
    assertEquals(client.length, out[0].length);
    assertEquals(server.length, out[1].length);
    assertNoSecret(out[0], "client stream");
    assertNoSecret(out[1], "server stream");
    // only ever zeroed, never moved or invented
    for (int i = 0; i < client.length; i++) {
      assertTrue(out[0][i] == client[i] || out[0][i] == 0, "client byte " + i);
    }
    for (int i = 0; i < server.length; i++) {
      assertTrue(out[1][i] == server[i] || out[1][i] == 0, "server byte " + i);
    }
    // what is not secret is still there for a decoder
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    int cp = 0;
    int sp = 0;
    for (Msg m : conv) {
      if (m.fromClient) {
        c.onClientBytes(out[0], cp, m.bytes.length, 0);
        cp += m.bytes.length;
      } else {
        c.onServerBytes(out[1], sp, m.bytes.length, 0);
        sp += m.bytes.length;
      }
    }
    Login7 login = r.one(Login7Event.class).login7();
    assertEquals("mask_user", login.userName());
    assertEquals("demo", login.database());
    assertEquals(LoginOutcomeEvent.Outcome.SUCCESS, r.one(LoginOutcomeEvent.class).outcome());
    assertTrue(
        SecretScanner.indexOf(out[0], TdsBytes.utf16("SELECT 'not a secret'")) > 0,
        "requests are not masked");
  }

  @Test
  void everySplitPointGivesTheSameMaskedBytes() {
    for (int packet : new int[] {4096, 64}) { // a LOGIN7 in one packet, and over many
      List<Msg> conv = conversation(packet);
      byte[][] reference = mask(conv, -1, 0, false);
      for (int m = 0; m < conv.size(); m++) {
        for (int at = 1; at < conv.get(m).bytes.length; at++) {
          byte[][] out = mask(conv, m, at, false);
          int mm = m;
          int aa = at;
          assertArrayEquals(
              reference[0], out[0], () -> "client bytes differ, message " + mm + " split at " + aa);
          assertArrayEquals(
              reference[1], out[1], () -> "server bytes differ, message " + mm + " split at " + aa);
        }
      }
      byte[][] bytewise = mask(conv, -1, 0, true);
      assertArrayEquals(reference[0], bytewise[0], "client, 1-byte chunks");
      assertArrayEquals(reference[1], bytewise[1], "server, 1-byte chunks");
      assertNoSecret(bytewise[0], "client stream");
      assertNoSecret(bytewise[1], "server stream");
    }
  }

  @Test
  void aLogin7CutShortByTheCloseKeepsOnlyItsFixedPart() {
    List<Msg> conv = conversation(64);
    byte[] login7 = conv.get(2).bytes;
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    SecretMasker m = new SecretMasker((fromClient, data, t) -> client.writeBytes(data));
    int half = login7.length / 2;
    m.client(login7, 0, half, 0);
    assertEquals(0, client.size(), "held until its end");
    m.close();
    assertEquals(half, client.size());
    assertNoSecret(client.toByteArray(), "client stream");
  }

  @Test
  void aLogin7AboveTheCapIsLetGoWithItsVariablePartZeroed() {
    List<Msg> conv = conversation(64);
    byte[] login7 = conv.get(2).bytes;
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    SecretMasker m = new SecretMasker((fromClient, data, t) -> client.writeBytes(data), 150);
    for (int i = 0; i < login7.length; i += 10) {
      m.client(login7, i, Math.min(10, login7.length - i), 0);
    }
    assertEquals(login7.length, client.size(), "nothing held past the cap");
    assertNoSecret(client.toByteArray(), "client stream");
    byte[] out = client.toByteArray();
    assertArrayEquals(
        java.util.Arrays.copyOf(login7, 8 + 56),
        java.util.Arrays.copyOf(out, 8 + 56),
        "fixed part kept");
  }

  @Test
  void bytesThatDoNotFrameAsTdsAreZeroed() {
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    SecretMasker m = new SecretMasker((fromClient, data, t) -> client.writeBytes(data));
    byte[] junk = ("XX" + CANARY).getBytes(StandardCharsets.UTF_16LE);
    m.client(junk, 0, junk.length, 0);
    m.client(junk, 0, junk.length, 0);
    assertEquals(2 * junk.length, client.size());
    for (byte b : client.toByteArray()) {
      assertEquals(0, b);
    }
  }
}
