package io.tdsagent.tds.event;

import io.tdsagent.tds.packet.PacketType;

/**
 * The EOM packet of a message completed. {@code messageBytes} counts all its packets, headers
 * included.
 */
public final class MessageEndEvent extends TdsEvent {
  private final Direction direction;
  private final PacketType packetType;
  private final long messageBytes;

  public MessageEndEvent(
      Direction direction, PacketType packetType, long messageBytes, long timeNanos) {
    super(timeNanos);
    this.direction = direction;
    this.packetType = packetType;
    this.messageBytes = messageBytes;
  }

  public Direction direction() {
    return direction;
  }

  public PacketType packetType() {
    return packetType;
  }

  public long messageBytes() {
    return messageBytes;
  }

  @Override
  public String toString() {
    return "MessageEnd{"
        + direction
        + ", "
        + packetType
        + ", bytes="
        + messageBytes
        + ", t="
        + timeNanos()
        + '}';
  }
}
