package io.tdsagent.tds.packet;

import io.tdsagent.tds.wire.ByteReader;

/** The 8-byte TDS packet header (MS-TDS 2.2.3.1). */
public final class PacketHeader {
  public static final int SIZE = 8;
  public static final int STATUS_EOM = 0x01;
  public static final int STATUS_IGNORE = 0x02;
  public static final int STATUS_RESETCONNECTION = 0x08;
  public static final int STATUS_RESETCONNECTIONSKIPTRAN = 0x10;

  private final PacketType type;
  private final int rawType;
  private final int status;
  private final int length;
  private final int spid;
  private final int packetId;
  private final int window;

  PacketHeader(int rawType, int status, int length, int spid, int packetId, int window) {
    this.rawType = rawType;
    this.type = PacketType.fromCode(rawType);
    this.status = status;
    this.length = length;
    this.spid = spid;
    this.packetId = packetId;
    this.window = window;
  }

  /** Reads a header; Length and SPID are big-endian on the wire. */
  public static PacketHeader read(ByteReader r) {
    return new PacketHeader(r.u8(), r.u8(), r.u16be(), r.u16be(), r.u8(), r.u8());
  }

  public PacketType type() {
    return type;
  }

  public int rawType() {
    return rawType;
  }

  public int status() {
    return status;
  }

  /** Total packet length including this header. */
  public int length() {
    return length;
  }

  public int payloadLength() {
    return Math.max(0, length - SIZE);
  }

  public int spid() {
    return spid;
  }

  public int packetId() {
    return packetId;
  }

  public int window() {
    return window;
  }

  public boolean isEom() {
    return (status & STATUS_EOM) != 0;
  }

  public boolean isIgnore() {
    return (status & STATUS_IGNORE) != 0;
  }

  public boolean isResetConnection() {
    return (status & STATUS_RESETCONNECTION) != 0;
  }

  public boolean isResetConnectionSkipTran() {
    return (status & STATUS_RESETCONNECTIONSKIPTRAN) != 0;
  }

  @Override
  public String toString() {
    return "PacketHeader{type="
        + type
        + (type == PacketType.UNKNOWN ? "(0x" + Integer.toHexString(rawType) + ")" : "")
        + ", status=0x"
        + Integer.toHexString(status)
        + ", length="
        + length
        + ", spid="
        + spid
        + ", packetId="
        + packetId
        + ", window="
        + window
        + '}';
  }
}
