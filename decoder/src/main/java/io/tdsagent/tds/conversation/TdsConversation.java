package io.tdsagent.tds.conversation;

import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.Phase;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TdsEventListener;
import io.tdsagent.tds.packet.PacketType;
import io.tdsagent.tds.wire.BoundedBuffer;
import io.tdsagent.tds.wire.DecodeException;

/**
 * The decoder of one connection, driven with the bytes it wrote and read. Three parts, each in its
 * own class:
 *
 * <ul>
 *   <li>{@link MessageAssembler}, one per direction: framing into messages, and collecting each
 *       message for its use;
 *   <li>{@link LoginStateMachine}: the login's phases (PRELOGIN, TLS, LOGIN7, SSPI legs, login
 *       response), which decide each message's use while the login is under way;
 *   <li>{@link ExchangeTracker}: after a successful (or unseen) login, requests paired with their
 *       responses.
 * </ul>
 *
 * This class routes between them and keeps the rules every part relies on. Framing runs for every
 * byte; the login buffers are released once the login is over, after which only message start/end
 * events remain unless the exchange tracker takes the message.
 *
 * <p>Never throws: decoding problems become {@link DecodeErrorEvent}s; a framing error stops the
 * conversation. Not thread-safe. Memory is bounded by {@link DecoderLimits}.
 */
public final class TdsConversation {
  private final TdsEventListener listener;
  private final DecoderLimits limits;
  private final Router router = new Router();
  private final MessageAssembler client;
  private final MessageAssembler server;
  private final LoginStateMachine login;

  private boolean stopped;
  private long now;

  /** Requests and responses after the login; created with the first of them. */
  private ExchangeTracker exchange;

  public TdsConversation(TdsEventListener listener) {
    this(listener, DecoderLimits.defaults());
  }

  public TdsConversation(TdsEventListener listener, DecoderLimits limits) {
    this.listener = listener;
    this.limits = limits;
    this.client =
        new MessageAssembler(Direction.CLIENT_TO_SERVER, router, limits.maxMessageBytes());
    this.server =
        new MessageAssembler(Direction.SERVER_TO_CLIENT, router, limits.maxMessageBytes());
    this.login =
        new LoginStateMachine(
            router,
            limits,
            () -> {
              client.releaseBuffer();
              server.releaseBuffer();
            });
  }

  /**
   * A conversation whose login is already over, e.g. a MARS session's own TDS stream: every message
   * is a request or a response, decoded for the TDS version the login negotiated (0 if unknown).
   */
  public static TdsConversation afterLogin(
      TdsEventListener listener, DecoderLimits limits, int tdsVersion) {
    TdsConversation c = new TdsConversation(listener, limits);
    c.login.alreadyLoggedIn(tdsVersion);
    return c;
  }

  /** Whether either direction holds a message buffer (visible for tests). */
  boolean holdsBuffers() {
    return client.holdsBuffer() || server.holdsBuffer();
  }

  /** Bytes the client wrote (plaintext as the driver sees them). */
  public void onClientBytes(byte[] buf, int off, int len, long timeNanos) {
    feed(client, Direction.CLIENT_TO_SERVER, buf, off, len, timeNanos);
  }

  /** Bytes the client read. */
  public void onServerBytes(byte[] buf, int off, int len, long timeNanos) {
    feed(server, Direction.SERVER_TO_CLIENT, buf, off, len, timeNanos);
  }

  /** The connection closed: emits an ABORTED outcome if a login was under way. */
  public void onClose(long timeNanos) {
    now = timeNanos;
    try {
      login.close(timeNanos);
      if (exchange != null) {
        exchange.close(server.inMessage() ? server.messageBytes() : 0);
      }
    } catch (RuntimeException e) {
      internalError(e);
    }
    login.end(Phase.CLOSED);
    stopped = true;
  }

  public Phase phase() {
    return login.phase();
  }

  public boolean isStopped() {
    return stopped;
  }

  /** Whether direction d stopped inside a TDS message (its EOM packet not yet complete). */
  public boolean isMidMessage(Direction d) {
    return (d == Direction.CLIENT_TO_SERVER ? client : server).inMessage();
  }

  private void feed(
      MessageAssembler side, Direction d, byte[] buf, int off, int len, long timeNanos) {
    if (stopped || buf == null || len <= 0) {
      return;
    }
    if (off < 0 || off > buf.length - len) {
      emit(new DecodeErrorEvent(d, "internal", "chunk range outside its buffer", timeNanos));
      return;
    }
    now = timeNanos;
    try {
      side.feed(buf, off, len, timeNanos);
    } catch (RuntimeException | StackOverflowError e) {
      internalError(e);
    }
  }

  private void internalError(Throwable e) {
    // DecodeException messages never carry payload; other exceptions are reported by class only.
    String reason = e instanceof DecodeException ? e.getMessage() : e.getClass().getName();
    emit(new DecodeErrorEvent(null, "internal", reason, now));
    stop();
  }

  private void stop() {
    stopped = true;
    login.end(Phase.STOPPED);
  }

  private void emit(TdsEvent e) {
    if (e == null) {
      return;
    }
    try {
      listener.onEvent(e);
    } catch (RuntimeException ignored) {
      // a listener bug must not break decoding or the application
    }
  }

  /** A message of a finished login: the exchange tracker's if the login succeeded. */
  private MessageUse afterLogin(Direction d, PacketType type, long start) {
    if (login.phase() != Phase.LOGGED_IN) {
      return MessageUse.FRAME_ONLY;
    }
    if (exchange == null) {
      exchange =
          new ExchangeTracker(
              router,
              limits,
              login.tdsVersion(),
              login.columnEncryption(),
              login.dataClassificationVersion());
    }
    if (d == Direction.CLIENT_TO_SERVER) {
      exchange.clientMessageStart(type, start);
      return MessageUse.EXCHANGE;
    }
    return exchange.serverMessageStart(type, start) ? MessageUse.EXCHANGE : MessageUse.FRAME_ONLY;
  }

  /** Sends each direction's messages to the login state machine or the exchange tracker. */
  private final class Router implements MessageAssembler.Router {
    @Override
    public void emit(TdsEvent e) {
      TdsConversation.this.emit(e);
    }

    @Override
    public long now() {
      return now;
    }

    @Override
    public MessageUse messageStart(Direction d, PacketType type, long startNanos) {
      MessageUse use =
          d == Direction.CLIENT_TO_SERVER
              ? login.clientMessageStart(type, startNanos)
              : login.serverMessageStart(type, startNanos);
      return use == MessageUse.AFTER_LOGIN ? afterLogin(d, type, startNanos) : use;
    }

    @Override
    public MessageUse preloginOrTls(Direction d, byte first, long packetStartNanos) {
      return login.preloginOrTls(d, first, packetStartNanos);
    }

    @Override
    public void tlsPayload(Direction d, byte[] buf, int off, int len) {
      login.tlsPayload(d, buf, off, len);
    }

    @Override
    public boolean login7Payload(Direction d, byte[] buf, int off, int len) {
      return login.login7Payload(d, buf, off, len);
    }

    @Override
    public void exchangePayload(Direction d, byte[] buf, int off, int len) {
      if (d == Direction.CLIENT_TO_SERVER) {
        exchange.clientPayload(buf, off, len);
      } else {
        exchange.serverPayload(buf, off, len);
      }
    }

    @Override
    public void exchangeMessageEnd(Direction d, boolean ignored, long messageBytes) {
      if (d == Direction.CLIENT_TO_SERVER) {
        exchange.clientMessageEnd(ignored, messageBytes);
      } else {
        exchange.serverMessageEnd(messageBytes);
      }
    }

    @Override
    public void messageIgnored() {
      login.messageIgnored();
    }

    @Override
    public void messageEnd(
        Direction d, MessageUse use, BoundedBuffer buffer, long messageStartNanos) {
      if (d == Direction.CLIENT_TO_SERVER) {
        login.clientMessageEnd(use, buffer, messageStartNanos);
      } else {
        login.serverMessageEnd(use, buffer, messageStartNanos);
      }
    }

    @Override
    public void rawTlsRecord(Direction d, int contentType, long packetStartNanos) {
      if (d == Direction.CLIENT_TO_SERVER) {
        login.clientRawTlsRecord(contentType, packetStartNanos);
      } else {
        login.serverRawTlsRecord(contentType);
      }
    }

    @Override
    public void rawTls(Direction d, byte[] buf, int off, int len) {
      login.rawTls(d, buf, off, len);
    }

    @Override
    public void framingError(Direction d, String reason) {
      error(d, "packet", reason);
      stop();
    }
  }
}
