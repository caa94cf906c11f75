package io.tdsagent.tds.packet;

import io.tdsagent.tds.wire.Hex;

/** A complete, reassembled TDS message: the payloads of its packets up to EOM, concatenated. */
public final class TdsMessage {
  private final PacketType type;
  private final int status;
  private final byte[] payload;

  public TdsMessage(PacketType type, int status, byte[] payload) {
    this.type = type;
    this.status = status;
    this.payload = payload.clone();
  }

  public PacketType type() {
    return type;
  }

  /** Status of the EOM packet. */
  public int status() {
    return status;
  }

  public byte[] payload() {
    return payload.clone();
  }

  public int payloadLength() {
    return payload.length;
  }

  @Override
  public String toString() {
    return "TdsMessage{type="
        + type
        + ", status=0x"
        + Integer.toHexString(status)
        + ", payload="
        + Hex.brief(payload)
        + '}';
  }
}
