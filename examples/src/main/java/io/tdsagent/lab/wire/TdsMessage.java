package io.tdsagent.lab.wire;

/**
 * One complete client message: the packets up to and including the one with the EOM bit, payloads
 * concatenated.
 */
public final class TdsMessage {
  private final int type;
  private final int firstStatus;
  private final byte[] payload;
  private final int packetCount;

  public TdsMessage(int type, int firstStatus, byte[] payload, int packetCount) {
    this.type = type;
    this.firstStatus = firstStatus;
    this.payload = payload;
    this.packetCount = packetCount;
  }

  public int type() {
    return type;
  }

  /** Status byte of the first packet (RESETCONNECTION bits live here). */
  public int firstStatus() {
    return firstStatus;
  }

  public byte[] payload() {
    return payload;
  }

  public int packetCount() {
    return packetCount;
  }

  public boolean resetConnection() {
    return (firstStatus
            & (PacketHeader.STATUS_RESET_CONNECTION
                | PacketHeader.STATUS_RESET_CONNECTION_SKIP_TRAN))
        != 0;
  }

  @Override
  public String toString() {
    return PacketType.name(type)
        + "["
        + payload.length
        + " bytes in "
        + packetCount
        + " packet(s)]";
  }
}
