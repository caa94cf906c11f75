package io.tdsagent.tds.conversation;

import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.MessageEndEvent;
import io.tdsagent.tds.event.MessageStartEvent;
import io.tdsagent.tds.packet.PacketReassembler;
import io.tdsagent.tds.packet.PacketType;
import io.tdsagent.tds.wire.BoundedBuffer;

/**
 * One direction of a connection: frames its bytes into TDS messages and hands each message's
 * payload to what its {@link Router} chose for it at the message start, collecting it in a bounded
 * buffer when it is decoded whole at the end (PRELOGIN, login response, SSPI).
 */
final class MessageAssembler implements PacketReassembler.Sink {

  /** Decides what each message is for and takes the messages whole or as they stream by. */
  interface Router extends EventSink {
    MessageUse messageStart(Direction d, PacketType type, long startNanos);

    /** PRELOGIN or TLS, from a PRELOGIN packet's first payload byte; SKIP if out of place. */
    MessageUse preloginOrTls(Direction d, byte first, long packetStartNanos);

    void tlsPayload(Direction d, byte[] buf, int off, int len);

    /** False when the LOGIN7 grew past the limit and was dropped. */
    boolean login7Payload(Direction d, byte[] buf, int off, int len);

    void exchangePayload(Direction d, byte[] buf, int off, int len);

    void exchangeMessageEnd(Direction d, boolean ignored, long messageBytes);

    /** The sender cancelled a message (IGNORE): nothing in it counts. */
    void messageIgnored();

    /** A message collected whole ended; {@code buffer} holds its payload. */
    void messageEnd(Direction d, MessageUse use, BoundedBuffer buffer, long messageStartNanos);

    void rawTlsRecord(Direction d, int contentType, long packetStartNanos);

    void rawTls(Direction d, byte[] buf, int off, int len);

    void framingError(Direction d, String reason);
  }

  private final Direction direction;
  private final PacketReassembler framer;
  private final Router router;
  private final int maxMessageBytes;
  private MessageUse use = MessageUse.FRAME_ONLY;
  private BoundedBuffer buffer;

  MessageAssembler(Direction direction, Router router, int maxMessageBytes) {
    this.direction = direction;
    this.router = router;
    this.maxMessageBytes = maxMessageBytes;
    this.framer = new PacketReassembler(this);
    // TDS packet types never collide with TLS content types, so bare records can always be
    // recognised
    this.framer.setRawTlsAllowed(true);
  }

  void feed(byte[] buf, int off, int len, long timeNanos) {
    framer.feed(buf, off, len, timeNanos);
  }

  /** Whether this direction stopped inside a TDS message (its EOM packet not yet complete). */
  boolean inMessage() {
    return framer.inMessage();
  }

  /** Payload bytes of the message under way. */
  long messageBytes() {
    return framer.messageBytes();
  }

  void releaseBuffer() {
    if (buffer != null) {
      buffer.clear();
      buffer = null;
    }
  }

  /** Whether a buffer is held (visible for tests: none once the login is over). */
  boolean holdsBuffer() {
    return buffer != null;
  }

  private BoundedBuffer buffer() {
    if (buffer == null) {
      // PRELOGIN messages and most login responses fit; larger ones grow by doubling.
      buffer = new BoundedBuffer(512, maxMessageBytes);
    }
    return buffer;
  }

  @Override
  public void onMessageStart(PacketReassembler r) {
    PacketType type = r.type();
    router.emit(new MessageStartEvent(direction, type, r.messageStartNanos()));
    use = router.messageStart(direction, type, r.messageStartNanos());
    // Cleared, not made: streamed messages (requests and responses after the login) never need
    // one, so a connection past its login keeps none.
    if (use != MessageUse.FRAME_ONLY && use != MessageUse.LOGIN7 && buffer != null) {
      buffer.clear();
    }
  }

  @Override
  public void onPayload(PacketReassembler r, byte[] buf, int off, int len) {
    switch (use) {
      case FRAME_ONLY:
      case SKIP:
        return;
      case EXCHANGE:
        router.exchangePayload(direction, buf, off, len);
        return;
      case PRELOGIN_OR_TLS:
        use = router.preloginOrTls(direction, buf[off], r.packetStartNanos());
        if (use != MessageUse.SKIP) {
          onPayload(r, buf, off, len);
        }
        return;
      case TLS:
        router.tlsPayload(direction, buf, off, len);
        return;
      case LOGIN7:
        if (!router.login7Payload(direction, buf, off, len)) {
          use = MessageUse.SKIP;
        }
        return;
      default:
        if (!buffer().append(buf, off, len)) {
          router.error(
              direction,
              use == MessageUse.TOKENS ? "token" : use == MessageUse.SSPI ? "sspi" : "prelogin",
              "message longer than " + maxMessageBytes + " bytes skipped");
          buffer.clear();
          use = MessageUse.SKIP;
        }
    }
  }

  @Override
  public void onMessageEnd(PacketReassembler r, boolean ignored) {
    router.emit(new MessageEndEvent(direction, r.messageType(), r.messageBytes(), router.now()));
    MessageUse u = use;
    use = MessageUse.FRAME_ONLY;
    if (u == MessageUse.FRAME_ONLY) {
      return;
    }
    if (u == MessageUse.EXCHANGE) {
      router.exchangeMessageEnd(direction, ignored, r.messageBytes());
      return;
    }
    if (ignored) {
      router.messageIgnored();
      if (buffer != null) {
        buffer.clear();
      }
      return;
    }
    router.messageEnd(direction, u, buffer(), r.messageStartNanos());
  }

  @Override
  public void onRawTlsRecord(PacketReassembler r, int contentType, int length) {
    router.rawTlsRecord(direction, contentType, r.packetStartNanos());
  }

  @Override
  public void onRawTls(PacketReassembler r, byte[] buf, int off, int len) {
    router.rawTls(direction, buf, off, len);
  }

  @Override
  public void onFramingError(PacketReassembler r, String reason) {
    router.framingError(direction, reason);
  }
}
