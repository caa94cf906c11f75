package io.tdsagent.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.testutil.Login7Bytes;
import io.tdsagent.testutil.SecretScanner;
import io.tdsagent.testutil.TdsBytes;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Canary test over packet sizes and chunkings: a LOGIN7 of any size (long host and application
 * names push the password past the first packet and past the masker's first buffer), in packets of
 * 512 bytes and up, cut at every point, in 1-byte chunks and in random pieces. The masked output
 * must equal the input with exactly the secret ranges zeroed: the expected bytes are worked out
 * here from the LOGIN7's own offsets, not by the masker.
 */
class SecretMaskerPacketSizeTest {
  private static final int[] PACKET_SIZES = {512, 513, 520, 1000, 1024, 1500, 4096, 32767};

  /**
   * Host name lengths: password in the first packet, just past it, and past 1 KB and 2 KB of
   * payload.
   */
  private static final int[] HOST_LENGTHS = {10, 260, 700, 1500};

  /** One conversation and its expected masked streams. */
  private static final class Case {
    final List<SecretMaskerTest.Msg> conv = new ArrayList<>();
    final List<byte[]> expected = new ArrayList<>();
    final String label;

    Case(String label) {
      this.label = label;
    }

    void add(boolean fromClient, byte[] bytes, byte[] masked) {
      conv.add(new SecretMaskerTest.Msg(fromClient, bytes));
      expected.add(masked);
    }

    byte[] expectedStream(boolean client) {
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      for (int i = 0; i < conv.size(); i++) {
        if (conv.get(i).fromClient == client) {
          o.writeBytes(expected.get(i));
        }
      }
      return o.toByteArray();
    }
  }

  private static Case build(int hostLength, int packetSize, boolean jtdsLike) {
    Login7Bytes l = new Login7Bytes();
    l.host = "h".repeat(hostLength);
    l.app = "long-application-name-".repeat(hostLength / 40 + 1);
    l.user = "mask_user";
    l.password = SecretMaskerTest.CANARY;
    l.sspi = SecretMaskerTest.secretBlob(60);
    if (jtdsLike) { // jTDS: TDS 7.1, the 86-byte fixed part, no change-password, no features
      l.legacy71 = true;
      l.tdsVersion = 0x71000001;
    } else {
      l.changePassword = SecretMaskerTest.CANARY2;
      l.features = SecretMaskerTest.fedAuthFeature();
    }
    l.packetSize = packetSize;
    byte[] payload = l.build();
    Case c =
        new Case(
            (jtdsLike ? "TDS 7.1" : "TDS 7.4")
                + ", host "
                + hostLength
                + ", packet "
                + packetSize
                + ", LOGIN7 payload "
                + payload.length);

    c.add(true, TdsBytes.packet(0x12, 1, TdsBytes.prelogin(13, 6, 0, 2)), null);
    c.add(false, TdsBytes.packet(0x04, 1, TdsBytes.prelogin(16, 0, 1000, 2)), null);
    c.add(
        true,
        TdsBytes.message(0x10, payload, packetSize),
        TdsBytes.message(0x10, maskedLogin7(payload, jtdsLike), packetSize));

    byte[] sspiToken = SecretMaskerTest.secretBlob(50);
    byte[] edMsg =
        TdsBytes.packet(
            0x04,
            1,
            new TdsBytes.Out().u8(0xED).u16le(sspiToken.length).bytes(sspiToken).toByteArray());
    byte[] edMasked = edMsg.clone();
    Arrays.fill(edMasked, 8 + 3, edMasked.length, (byte) 0);
    c.add(false, edMsg, edMasked);

    byte[] sspiPayload = SecretMaskerTest.secretBlob(300 + hostLength);
    c.add(
        true,
        TdsBytes.message(0x11, sspiPayload, packetSize),
        TdsBytes.message(0x11, new byte[sspiPayload.length], packetSize));

    c.add(
        false,
        TdsBytes.packet(
            0x04,
            1,
            TdsBytes.concat(
                TdsBytes.envChangeString(1, "demo", "master"),
                TdsBytes.loginAck(0x74000004, "Microsoft SQL Server", 16, 0, 3, 232),
                TdsBytes.done(0xFD, 0, 0, 0))),
        null);

    byte[] fedAuthToken = SecretMaskerTest.secretBlob(64);
    byte[] fedPayload =
        new TdsBytes.Out()
            .u32le(4 + fedAuthToken.length)
            .u32le(fedAuthToken.length)
            .bytes(fedAuthToken)
            .toByteArray();
    byte[] fedMasked = fedPayload.clone();
    Arrays.fill(fedMasked, 4, fedMasked.length, (byte) 0); // only DataLen kept
    c.add(
        true,
        TdsBytes.message(0x08, fedPayload, packetSize),
        TdsBytes.message(0x08, fedMasked, packetSize));

    c.add(true, TdsBytes.packet(0x01, 1, TdsBytes.utf16("SELECT 'not a secret'")), null);
    c.add(false, TdsBytes.packet(0x04, 1, TdsBytes.done(0xFD, 0x10, 0xC1, 1)), null);
    for (int i = 0; i < c.expected.size(); i++) {
      if (c.expected.get(i) == null) {
        c.expected.set(i, c.conv.get(i).bytes);
      }
    }
    return c;
  }

  /**
   * The LOGIN7 payload with the ranges MS-TDS 2.2.6.4 names as secret zeroed, read from its own
   * offsets.
   */
  private static byte[] maskedLogin7(byte[] p, boolean legacy71) {
    byte[] m = p.clone();
    zero(m, u16(p, 44), 2 * u16(p, 46)); // ibPassword, cchPassword
    zero(m, u16(p, 78), u16(p, 80)); // ibSSPI, cbSSPI
    if (legacy71) {
      return m;
    }
    zero(m, u16(p, 86), 2 * u16(p, 88)); // ibChangePassword, cchChangePassword
    int features =
        u16(p, u16(p, 56)); // ibExtension -> DWORD offset of FeatureExt (fits 16 bits here)
    assertEquals(0x02, p[features], "FEDAUTH is the first feature");
    int len = u16(p, features + 1);
    zero(m, features + 5 + 1, len - 1); // FEDAUTH data after its options byte
    return m;
  }

  private static void zero(byte[] b, int from, int len) {
    Arrays.fill(b, from, from + len, (byte) 0);
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  /**
   * Feeds the conversation, the LOGIN7 message cut at the given points (ascending), the rest whole.
   */
  private static byte[][] mask(Case c, int[] login7Cuts, boolean allBytewise) {
    ByteArrayOutputStream client = new ByteArrayOutputStream();
    ByteArrayOutputStream server = new ByteArrayOutputStream();
    SecretMasker m =
        new SecretMasker((fromClient, data, t) -> (fromClient ? client : server).writeBytes(data));
    for (int i = 0; i < c.conv.size(); i++) {
      SecretMaskerTest.Msg msg = c.conv.get(i);
      byte[] b = msg.bytes;
      if (allBytewise) {
        for (int j = 0; j < b.length; j++) {
          SecretMaskerTest.feed(m, msg.fromClient, b, j, 1);
        }
      } else if (i == 2) {
        int from = 0;
        for (int cut : login7Cuts) {
          SecretMaskerTest.feed(m, true, b, from, cut - from);
          from = cut;
        }
        SecretMaskerTest.feed(m, true, b, from, b.length - from);
      } else {
        SecretMaskerTest.feed(m, msg.fromClient, b, 0, b.length);
      }
    }
    m.close();
    return new byte[][] {client.toByteArray(), server.toByteArray()};
  }

  private static void check(Case c, byte[][] out, String how) {
    byte[] client = c.expectedStream(true);
    byte[] server = c.expectedStream(false);
    if (!Arrays.equals(client, out[0])) { // where it went wrong, said as plainly as possible
      for (byte[] needle : SecretMaskerTest.needles()) {
        int at = SecretScanner.indexOf(out[0], needle);
        assertEquals(
            -1,
            at,
            () -> "a secret in the masked client stream at " + at + ": " + c.label + ", " + how);
      }
    }
    assertArrayEquals(
        client,
        out[0],
        () -> "client stream: " + c.label + ", " + how + firstDifference(client, out[0]));
    assertArrayEquals(server, out[1], () -> "server stream: " + c.label + ", " + how);
  }

  private static String firstDifference(byte[] a, byte[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] != b[i]) {
        return " (first difference at " + i + ")";
      }
    }
    return " (lengths " + a.length + " and " + b.length + ")";
  }

  /** Every LOGIN7 shape and packet size; the oracle itself must hold no secret. */
  private static List<Case> cases() {
    List<Case> all = new ArrayList<>();
    for (int host : HOST_LENGTHS) {
      for (int packet : PACKET_SIZES) {
        for (boolean jtds : new boolean[] {false, true}) {
          Case c = build(host, packet, jtds);
          for (byte[] needle : SecretMaskerTest.needles()) {
            assertEquals(-1, SecretScanner.indexOf(c.expectedStream(true), needle), c.label);
            assertEquals(-1, SecretScanner.indexOf(c.expectedStream(false), needle), c.label);
          }
          all.add(c);
        }
      }
    }
    return all;
  }

  @Test
  void everyPacketSizeAndEverySplitMasksExactlyTheSecrets() {
    for (Case c : cases()) {
      check(c, mask(c, new int[0], false), "whole messages");
      int len = c.conv.get(2).bytes.length;
      for (int at = 1; at < len; at++) {
        check(c, mask(c, new int[] {at}, false), "LOGIN7 cut at " + at);
      }
      check(c, mask(c, null, true), "1-byte chunks");
    }
  }

  @Test
  void randomPiecesMaskExactlyTheSecrets() {
    Random random = new Random(14);
    for (Case c : cases()) {
      int len = c.conv.get(2).bytes.length;
      for (int round = 0; round < 200; round++) {
        int pieces = 1 + random.nextInt(12);
        int[] cuts = random.ints(pieces, 1, len).sorted().distinct().toArray();
        check(c, mask(c, cuts, false), "LOGIN7 cut at " + Arrays.toString(cuts));
      }
    }
  }
}
