package io.tdsagent.tds.request;

import io.tdsagent.tds.packet.PacketType;

/** A client request message. Subclasses are immutable. */
public abstract class Request {
  private final PacketType packetType;
  private final boolean complete;

  protected Request(PacketType packetType, boolean complete) {
    this.packetType = packetType;
    this.complete = complete;
  }

  public PacketType packetType() {
    return packetType;
  }

  /**
   * False when decoding stopped early (malformed or unsupported content): what is known is still
   * given.
   */
  public boolean isComplete() {
    return complete;
  }
}
