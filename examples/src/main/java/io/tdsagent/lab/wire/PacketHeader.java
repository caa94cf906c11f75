package io.tdsagent.lab.wire;

/** Layout of the 8-byte TDS packet header (MS-TDS 2.2.3.1). */
public final class PacketHeader {
  public static final int SIZE = 8;

  /** Status bit: end of message. */
  public static final int STATUS_EOM = 0x01;

  /** Status bit: the client asks the server to ignore this message (and the rest of it). */
  public static final int STATUS_IGNORE = 0x02;

  /** Status bit: reset connection before processing the message. */
  public static final int STATUS_RESET_CONNECTION = 0x08;

  /** Status bit: reset connection, keeping the transaction state. */
  public static final int STATUS_RESET_CONNECTION_SKIP_TRAN = 0x10;

  /** Packet size before the login response's ENVCHANGE negotiates another one. */
  public static final int INITIAL_PACKET_SIZE = 4096;

  public static final int MIN_PACKET_SIZE = 512;
  public static final int MAX_PACKET_SIZE = 32767;

  private PacketHeader() {}
}
