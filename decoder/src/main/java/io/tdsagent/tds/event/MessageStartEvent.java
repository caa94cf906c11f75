package io.tdsagent.tds.event;

import io.tdsagent.tds.packet.PacketType;

/** The first byte of a new TDS message was seen (time = the chunk holding it). */
public final class MessageStartEvent extends TdsEvent {
  private final Direction direction;
  private final PacketType packetType;

  public MessageStartEvent(Direction direction, PacketType packetType, long timeNanos) {
    super(timeNanos);
    this.direction = direction;
    this.packetType = packetType;
  }

  public Direction direction() {
    return direction;
  }

  public PacketType packetType() {
    return packetType;
  }

  @Override
  public String toString() {
    return "MessageStart{" + direction + ", " + packetType + ", t=" + timeNanos() + '}';
  }
}
