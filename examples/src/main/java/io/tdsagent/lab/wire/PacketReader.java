package io.tdsagent.lab.wire;

import io.tdsagent.lab.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Reads TDS packets from a transport and assembles them into messages. */
public final class PacketReader {
  /**
   * Called after each packet, before the next one is read; lets the session switch layers between
   * packets.
   */
  public interface PacketObserver {
    void afterPacket(int type, int status, int packetIndex) throws IOException;
  }

  private static final PacketObserver NONE = (type, status, index) -> {};

  private final Transport transport;
  private final int maxMessageBytes;
  private final byte[] header = new byte[PacketHeader.SIZE];
  private byte[] payload = new byte[PacketHeader.INITIAL_PACKET_SIZE];

  public PacketReader(Transport transport, int maxMessageBytes) {
    this.transport = transport;
    this.maxMessageBytes = maxMessageBytes;
  }

  public TdsMessage readMessage() throws IOException {
    return readMessage(NONE);
  }

  /** Reads one message; returns null if the peer closed the connection cleanly between messages. */
  public TdsMessage readMessage(PacketObserver observer) throws IOException {
    ByteArrayOutputStream assembled = null;
    int type = -1;
    int firstStatus = 0;
    int packets = 0;
    while (true) {
      if (!transport.readFully(header, 0, PacketHeader.SIZE)) {
        if (packets == 0) {
          return null;
        }
        throw new java.io.EOFException(
            "connection closed inside a " + PacketType.name(type) + " message");
      }
      int packetType = header[0] & 0xFF;
      int status = header[1] & 0xFF;
      int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
      if (length < PacketHeader.SIZE || length > PacketHeader.MAX_PACKET_SIZE + 1) {
        throw new TdsProtocolException(
            "bad TDS packet length " + length + " (type " + PacketType.name(packetType) + ")");
      }
      if (packets == 0) {
        type = packetType;
        firstStatus = status;
      } else if (packetType != type) {
        throw new TdsProtocolException(
            "packet of type "
                + PacketType.name(packetType)
                + " inside a "
                + PacketType.name(type)
                + " message");
      }
      int payloadLength = length - PacketHeader.SIZE;
      if (payload.length < payloadLength) {
        payload = new byte[Math.max(payloadLength, payload.length * 2)];
      }
      if (payloadLength > 0 && !transport.readFully(payload, 0, payloadLength)) {
        throw new java.io.EOFException("connection closed inside a packet");
      }
      packets++;
      boolean eom = (status & PacketHeader.STATUS_EOM) != 0;
      if (eom && packets == 1) {
        byte[] body = java.util.Arrays.copyOf(payload, payloadLength);
        observer.afterPacket(packetType, status, 1);
        return new TdsMessage(type, firstStatus, body, 1);
      }
      if (assembled == null) {
        assembled = new ByteArrayOutputStream(Math.max(2 * payloadLength, 256));
      }
      assembled.write(payload, 0, payloadLength);
      if (assembled.size() > maxMessageBytes) {
        throw new TdsProtocolException("message larger than " + maxMessageBytes + " bytes");
      }
      observer.afterPacket(packetType, status, packets);
      if (eom) {
        return new TdsMessage(type, firstStatus, assembled.toByteArray(), packets);
      }
    }
  }
}
