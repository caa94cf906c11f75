package io.tdsagent.lab.wire;

import io.tdsagent.lab.transport.Transport;
import java.io.IOException;

/** Splits server messages into TDS packets no larger than the negotiated packet size. */
public final class PacketWriter {
  private final Transport transport;
  private final int spid;
  private int packetSize = PacketHeader.INITIAL_PACKET_SIZE;
  private byte[] packet = new byte[PacketHeader.MAX_PACKET_SIZE + 1];

  /** PacketID of the next packet of the message being written (1 at the start of every message). */
  private int packetId = 1;

  public PacketWriter(Transport transport, int spid) {
    this.transport = transport;
    this.spid = spid;
  }

  public int packetSize() {
    return packetSize;
  }

  public void packetSize(int size) {
    if (size < PacketHeader.MIN_PACKET_SIZE || size > PacketHeader.MAX_PACKET_SIZE) {
      throw new IllegalArgumentException("packet size " + size);
    }
    this.packetSize = size;
  }

  /** Writes a whole message and flushes it. */
  public void writeMessage(int type, byte[] data, int off, int len) throws IOException {
    writePackets(type, data, off, len, packetSize);
    transport.flush();
  }

  public void writeMessage(int type, TdsBuffer data) throws IOException {
    writeMessage(type, data.array(), 0, data.size());
  }

  /**
   * Writes a message with a specific maximum packet size (the login response uses the initial
   * 4096).
   */
  public void writeMessage(int type, TdsBuffer data, int maxPacketSize) throws IOException {
    writePackets(type, data.array(), 0, data.size(), maxPacketSize);
    transport.flush();
  }

  /**
   * Streams part of a message: sends as many full packets (at the negotiated size, without EOM) as
   * {@code len} bytes fill, and returns how many bytes that took; the caller keeps the rest and
   * ends the message with {@link #endMessage}. Nothing is flushed.
   */
  public int writeFullPackets(int type, byte[] data, int off, int len) throws IOException {
    int chunk = packetSize - PacketHeader.SIZE;
    int full = len / chunk * chunk;
    for (int pos = 0; pos < full; pos += chunk) {
      writePacket(type, data, off + pos, chunk, false);
    }
    return full;
  }

  /** Ends a streamed message: the remaining bytes (at least one packet, with EOM), then flushes. */
  public void endMessage(int type, byte[] data, int off, int len) throws IOException {
    writeMessage(type, data, off, len);
  }

  private void writePackets(int type, byte[] data, int off, int len, int maxPacketSize)
      throws IOException {
    int chunk = maxPacketSize - PacketHeader.SIZE;
    int pos = 0;
    do {
      int n = Math.min(chunk, len - pos);
      writePacket(type, data, off + pos, n, pos + n >= len);
      pos += n;
    } while (pos < len);
    packetId = 1;
  }

  private void writePacket(int type, byte[] data, int off, int n, boolean last) throws IOException {
    int total = n + PacketHeader.SIZE;
    packet[0] = (byte) type;
    packet[1] = (byte) (last ? PacketHeader.STATUS_EOM : 0);
    packet[2] = (byte) (total >>> 8);
    packet[3] = (byte) total;
    packet[4] = (byte) (spid >>> 8);
    packet[5] = (byte) spid;
    packet[6] = (byte) packetId;
    packet[7] = 0;
    System.arraycopy(data, off, packet, PacketHeader.SIZE, n);
    transport.write(packet, 0, total);
    packetId = (packetId + 1) & 0xFF;
  }
}
