package io.tdsagent.tds.packet;

/**
 * Per-direction TDS framing over arbitrary chunks. Only the header (at most 8 bytes) is ever
 * buffered: payload bytes are handed to the {@link Sink} as slices of the caller's chunk, so the
 * steady-state path allocates nothing and never holds on to payload.
 *
 * <p>Optionally ({@link #setRawTlsAllowed}) a TLS record header (content type 20..23, version major
 * 3) at a packet boundary is accepted in place of a TDS header: after a TDS 7.x handshake inside
 * PRELOGIN, a capture taken on the wire shows the encrypted LOGIN7 as bare TLS records. TDS packet
 * types never take those values, so the two cannot be confused.
 *
 * <p>After a framing error the boundary is lost; the reassembler reports once and then ignores all
 * input.
 */
public final class PacketReassembler {

  /**
   * Receives framing callbacks. Header fields are read from the reassembler during the callback.
   */
  public interface Sink {
    /** The first header of a message was read. */
    default void onMessageStart(PacketReassembler r) {}

    /** A packet header was read (after {@link #onMessageStart} for the first packet). */
    default void onPacketStart(PacketReassembler r) {}

    /** Payload bytes of the current packet; valid only during the call. */
    default void onPayload(PacketReassembler r, byte[] buf, int off, int len) {}

    /** The current packet is complete. */
    default void onPacketEnd(PacketReassembler r) {}

    /**
     * The EOM packet completed; {@code ignored} when its status carried IGNORE (the message is
     * void).
     */
    default void onMessageEnd(PacketReassembler r, boolean ignored) {}

    /**
     * A bare TLS record header was read in place of a TDS packet header; its bytes follow via
     * onRawTls.
     */
    default void onRawTlsRecord(PacketReassembler r, int contentType, int length) {}

    /** Bytes of a bare TLS record (header included) seen in place of a TDS packet. */
    default void onRawTls(PacketReassembler r, byte[] buf, int off, int len) {}

    void onFramingError(PacketReassembler r, String reason);
  }

  private static final int TLS_HEADER = 5;

  /** TLS records are at most 2^14 + 2048 bytes of ciphertext (RFC 5246 6.2.3). */
  private static final int TLS_MAX_RECORD = 16384 + 2048;

  private final Sink sink;
  private final byte[] header = new byte[PacketHeader.SIZE];
  private int headerFill;
  private boolean rawTlsHeader;
  private int bodyRemaining;
  private boolean inRawTls;
  private boolean inPacket;
  private boolean rawTlsAllowed;
  private boolean failed;

  private int type;
  private int status;
  private int length;
  private int spid;
  private int packetId;
  private int window;

  private boolean inMessage;
  private int messageType;
  private long messageBytes;
  private long messageStartNanos;
  private long packetStartNanos;
  private long nowNanos;
  private long packetCount;

  public PacketReassembler(Sink sink) {
    this.sink = sink;
  }

  public void setRawTlsAllowed(boolean allowed) {
    this.rawTlsAllowed = allowed;
  }

  public boolean isFailed() {
    return failed;
  }

  /** Feeds a chunk received at {@code timeNanos}. */
  public void feed(byte[] buf, int off, int len, long timeNanos) {
    nowNanos = timeNanos;
    int end = off + len;
    int p = off;
    while (p < end && !failed) {
      if (bodyRemaining > 0) {
        int n = Math.min(bodyRemaining, end - p);
        bodyRemaining -= n;
        if (inRawTls) {
          sink.onRawTls(this, buf, p, n);
        } else {
          messageBytes += n;
          sink.onPayload(this, buf, p, n);
        }
        p += n;
        if (bodyRemaining == 0) {
          finishUnit();
        }
        continue;
      }
      if (headerFill == 0) {
        int b0 = buf[p] & 0xFF;
        rawTlsHeader = rawTlsAllowed && !inMessage && b0 >= 20 && b0 <= 23;
        packetStartNanos = timeNanos;
        if (!inMessage) {
          messageStartNanos = timeNanos;
        }
      }
      int need = (rawTlsHeader ? TLS_HEADER : PacketHeader.SIZE) - headerFill;
      int n = Math.min(need, end - p);
      System.arraycopy(buf, p, header, headerFill, n);
      headerFill += n;
      p += n;
      if (n == need) {
        if (rawTlsHeader) {
          startRawTls();
        } else {
          startPacket();
        }
      }
    }
  }

  private void startPacket() {
    headerFill = 0;
    type = header[0] & 0xFF;
    status = header[1] & 0xFF;
    length = (header[2] & 0xFF) << 8 | (header[3] & 0xFF);
    spid = (header[4] & 0xFF) << 8 | (header[5] & 0xFF);
    packetId = header[6] & 0xFF;
    window = header[7] & 0xFF;
    if (PacketType.fromCode(type) == PacketType.UNKNOWN) {
      fail("packet type 0x" + Integer.toHexString(type) + " is not a TDS packet type");
      return;
    }
    if (length < PacketHeader.SIZE) {
      fail("packet length " + length + " is shorter than its header");
      return;
    }
    packetCount++;
    if (!inMessage) {
      inMessage = true;
      messageType = type;
      messageBytes = 0;
      sink.onMessageStart(this);
    }
    messageBytes += PacketHeader.SIZE;
    inPacket = true;
    bodyRemaining = length - PacketHeader.SIZE;
    sink.onPacketStart(this);
    if (bodyRemaining == 0) {
      finishUnit();
    }
  }

  private void startRawTls() {
    headerFill = 0;
    int major = header[1] & 0xFF;
    int recordLength = (header[3] & 0xFF) << 8 | (header[4] & 0xFF);
    if (major != 3 || recordLength > TLS_MAX_RECORD) {
      fail("neither a TDS packet nor a TLS record header");
      return;
    }
    inRawTls = true;
    sink.onRawTlsRecord(this, header[0] & 0xFF, recordLength);
    sink.onRawTls(this, header, 0, TLS_HEADER);
    bodyRemaining = recordLength;
    if (bodyRemaining == 0) {
      finishUnit();
    }
  }

  private void finishUnit() {
    if (inRawTls) {
      inRawTls = false;
      return;
    }
    inPacket = false;
    sink.onPacketEnd(this);
    if ((status & PacketHeader.STATUS_EOM) != 0) {
      inMessage = false;
      sink.onMessageEnd(this, (status & PacketHeader.STATUS_IGNORE) != 0);
    }
  }

  private void fail(String reason) {
    failed = true;
    inPacket = false;
    inMessage = false;
    sink.onFramingError(this, reason);
  }

  /** True between a packet's header and its last payload byte. */
  public boolean inPacket() {
    return inPacket;
  }

  public boolean inMessage() {
    return inMessage;
  }

  public int rawType() {
    return type;
  }

  public PacketType type() {
    return PacketType.fromCode(type);
  }

  public int status() {
    return status;
  }

  public int length() {
    return length;
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
    return (status & PacketHeader.STATUS_EOM) != 0;
  }

  /** Allocates an immutable copy of the current header. */
  public PacketHeader header() {
    return new PacketHeader(type, status, length, spid, packetId, window);
  }

  public PacketType messageType() {
    return PacketType.fromCode(messageType);
  }

  /** Bytes of the current (or just ended) message so far, headers included. */
  public long messageBytes() {
    return messageBytes;
  }

  /** Clock value of the chunk holding the message's first header byte. */
  public long messageStartNanos() {
    return messageStartNanos;
  }

  /** Clock value of the chunk holding the current packet's first header byte. */
  public long packetStartNanos() {
    return packetStartNanos;
  }

  /** Clock value of the chunk being fed. */
  public long nowNanos() {
    return nowNanos;
  }

  public long packetCount() {
    return packetCount;
  }
}
