package io.tdsagent.tds.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.testutil.TdsBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PacketReassemblerTest {
  private final List<TdsMessage> messages = new ArrayList<>();
  private final List<PacketHeader> packets = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();

  private MessageAssembler assembler() {
    messages.clear();
    packets.clear();
    errors.clear();
    return new MessageAssembler(
        1 << 20,
        new MessageAssembler.Listener() {
          @Override
          public void onPacket(PacketHeader header) {
            packets.add(header);
          }

          @Override
          public void onMessage(TdsMessage message) {
            messages.add(message);
          }

          @Override
          public void onError(String reason) {
            errors.add(reason);
          }
        });
  }

  private static byte[] payload(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void everySplitPointOfTwoMessages() {
    byte[] p1 = payload(40, 1);
    byte[] p2 = payload(25, 2);
    byte[] stream =
        TdsBytes.concat(
            TdsBytes.message(0x01, p1, 20),
            TdsBytes.packet(0x06, 1, new byte[0]),
            TdsBytes.message(0x03, p2, 512));
    for (int a = 0; a <= stream.length; a++) {
      for (int b = a; b <= stream.length; b += 7) {
        MessageAssembler m = assembler();
        m.feed(stream, 0, a);
        m.feed(stream, a, b - a);
        m.feed(stream, b, stream.length - b);
        assertEquals(3, messages.size(), "split " + a + "/" + b);
        assertArrayEquals(p1, messages.get(0).payload());
        assertEquals(PacketType.SQL_BATCH, messages.get(0).type());
        assertEquals(PacketType.ATTENTION, messages.get(1).type());
        assertEquals(0, messages.get(1).payloadLength());
        assertArrayEquals(p2, messages.get(2).payload());
        assertEquals(PacketType.RPC, messages.get(2).type());
        assertTrue(errors.isEmpty());
      }
    }
  }

  @Test
  void oneByteChunks() {
    byte[] p = payload(100, 3);
    byte[] stream = TdsBytes.message(0x12, p, 16);
    MessageAssembler m = assembler();
    for (int i = 0; i < stream.length; i++) {
      m.feed(stream, i, 1);
    }
    assertEquals(1, messages.size());
    assertArrayEquals(p, messages.get(0).payload());
    assertEquals(13, packets.size());
    assertEquals(1, packets.get(0).packetId());
    assertTrue(packets.get(12).isEom());
    assertEquals(0x33, packets.get(0).spid());
  }

  @Test
  void ignoredMessageIsDropped() {
    byte[] p = payload(30, 4);
    byte[] ignored =
        TdsBytes.concat(TdsBytes.packet(0x01, 0, p), TdsBytes.packet(0x01, 0x03, new byte[0]));
    byte[] stream = TdsBytes.concat(ignored, TdsBytes.packet(0x01, 1, p));
    MessageAssembler m = assembler();
    m.feed(stream, 0, stream.length);
    assertEquals(1, messages.size());
    assertArrayEquals(p, messages.get(0).payload());
  }

  @Test
  void largestPackets() {
    for (int size : new int[] {32767, 65535}) {
      byte[] p = payload(size - 8, size);
      byte[] stream =
          TdsBytes.concat(TdsBytes.packet(0x04, 1, p), TdsBytes.packet(0x04, 1, new byte[] {1}));
      MessageAssembler m = assembler();
      m.feed(stream, 0, 1000);
      m.feed(stream, 1000, stream.length - 1000);
      assertEquals(2, messages.size());
      assertArrayEquals(p, messages.get(0).payload());
      assertEquals(size, packets.get(0).length());
    }
  }

  @Test
  void statusBits() {
    PacketHeader h = new PacketHeader(0x01, 0x09, 100, 52, 1, 0);
    assertTrue(h.isEom());
    assertTrue(h.isResetConnection());
    assertEquals(false, h.isIgnore());
    assertEquals(false, h.isResetConnectionSkipTran());
    assertTrue(new PacketHeader(0x01, 0x11, 8, 0, 1, 0).isResetConnectionSkipTran());
    assertEquals(PacketType.LOGIN7, PacketType.fromCode(0x10));
    assertEquals(PacketType.UNKNOWN, PacketType.fromCode(0x05));
  }

  @Test
  void framingErrors() {
    MessageAssembler m = assembler();
    byte[] shortLen = TdsBytes.hex("0101000400000100");
    m.feed(shortLen, 0, shortLen.length);
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).contains("shorter"), errors.get(0));
    assertTrue(m.isFailed());
    m.feed(TdsBytes.packet(1, 1, new byte[3]), 0, 11);
    assertEquals(0, messages.size(), "after a framing error input is ignored");

    m = assembler();
    byte[] badType = TdsBytes.hex("0501000900000100ff");
    m.feed(badType, 0, badType.length);
    assertEquals(1, errors.size());
    assertTrue(errors.get(0).contains("not a TDS packet type"));
  }

  @Test
  void rawTlsRecordsWhenAllowed() {
    List<String> seen = new ArrayList<>();
    PacketReassembler r =
        new PacketReassembler(
            new PacketReassembler.Sink() {
              @Override
              public void onRawTlsRecord(PacketReassembler x, int contentType, int length) {
                seen.add("tls " + contentType + " " + length);
              }

              @Override
              public void onMessageEnd(PacketReassembler x, boolean ignored) {
                seen.add("msg " + x.messageType() + " " + x.messageBytes());
              }

              @Override
              public void onFramingError(PacketReassembler x, String reason) {
                seen.add("error");
              }
            });
    r.setRawTlsAllowed(true);
    byte[] stream =
        TdsBytes.concat(TdsBytes.hex("1703030003aabbcc"), TdsBytes.packet(0x04, 1, new byte[2]));
    for (int i = 0; i < stream.length; i++) {
      r.feed(stream, i, 1, i);
    }
    assertEquals(List.of("tls 23 3", "msg TABULAR_RESULT 10"), seen);
  }
}
