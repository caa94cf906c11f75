package io.tdsagent.tds.conversation;

import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.Login7Event;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.MessageEndEvent;
import io.tdsagent.tds.event.MessageStartEvent;
import io.tdsagent.tds.event.Phase;
import io.tdsagent.tds.event.PhaseEvent;
import io.tdsagent.tds.event.PreloginEvent;
import io.tdsagent.tds.event.SspiEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TdsEventListener;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.login.Login7;
import io.tdsagent.tds.login.Login7Accumulator;
import io.tdsagent.tds.packet.PacketReassembler;
import io.tdsagent.tds.packet.PacketType;
import io.tdsagent.tds.prelogin.Prelogin;
import io.tdsagent.tds.prelogin.PreloginDecoder;
import io.tdsagent.tds.sspi.SspiDecoder;
import io.tdsagent.tds.sspi.UndecodedSspi;
import io.tdsagent.tds.tls.TlsRecordStream;
import io.tdsagent.tds.token.SspiToken;
import io.tdsagent.tds.token.Token;
import io.tdsagent.tds.token.TokenSink;
import io.tdsagent.tds.token.TokenStreamDecoder;
import io.tdsagent.tds.wire.BoundedBuffer;
import io.tdsagent.tds.wire.DecodeException;

/**
 * The connection set-up state machine the agent drives with the bytes one connection wrote and
 * read. Framing runs for every byte; PRELOGIN, TLS, LOGIN7 and the login response are decoded only
 * while the login is in progress, after which the buffers are released and only message start/end
 * events remain.
 *
 * <p>Integrated authentication: each SSPI blob (LOGIN7 SSPI field, SSPI token, SSPI message) gives
 * an {@link SspiEvent}, and each round trip an {@code AuthLegEvent} (delimited by {@code
 * AuthLegTracker}).
 *
 * <p>Never throws: decoding problems become {@link DecodeErrorEvent}s; a framing error stops the
 * conversation. Not thread-safe. Memory is bounded by {@link DecoderLimits}.
 */
public final class TdsConversation {

  /** What the current message of one direction is being used for. */
  private enum Mode {
    FRAME_ONLY,
    PRELOGIN_OR_TLS,
    PRELOGIN,
    TLS,
    LOGIN7,
    TOKENS,
    SSPI,
    SKIP,
    EXCHANGE
  }

  private final TdsEventListener listener;
  private final DecoderLimits limits;
  private final Side client;
  private final Side server;

  private Phase phase = Phase.INITIAL;
  private boolean stopped;
  private long now;

  private boolean preloginAnswered;
  private long preloginStartNanos;
  private TlsTap tls;
  private boolean rawTlsOnly;
  private Login7Accumulator login7;
  private int tdsVersion;
  private long login7StartNanos;
  private long responseStartNanos;
  private LoginResponseTracker response;
  private boolean loginStarted;
  private boolean outcomeSent;

  /** Requests and responses after the login (see ExchangeTracker). */
  private ExchangeTracker exchange;

  private AuthLegTracker auth = new AuthLegTracker();

  public TdsConversation(TdsEventListener listener) {
    this(listener, DecoderLimits.defaults());
  }

  public TdsConversation(TdsEventListener listener, DecoderLimits limits) {
    this.listener = listener;
    this.limits = limits;
    this.client = new Side(Direction.CLIENT_TO_SERVER);
    this.server = new Side(Direction.SERVER_TO_CLIENT);
  }

  /**
   * A conversation whose login is already over, e.g. a MARS session's own TDS stream: every message
   * is a request or a response, decoded for the TDS version the login negotiated (0 if unknown).
   */
  public static TdsConversation afterLogin(
      TdsEventListener listener, DecoderLimits limits, int tdsVersion) {
    TdsConversation c = new TdsConversation(listener, limits);
    c.phase = Phase.LOGGED_IN;
    c.tdsVersion = tdsVersion;
    return c;
  }

  /** Bytes the client wrote (plaintext as the driver sees them). */
  public void onClientBytes(byte[] buf, int off, int len, long timeNanos) {
    feed(client, buf, off, len, timeNanos);
  }

  /** Bytes the client read. */
  public void onServerBytes(byte[] buf, int off, int len, long timeNanos) {
    feed(server, buf, off, len, timeNanos);
  }

  /** The connection closed: emits an ABORTED outcome if a login was under way. */
  public void onClose(long timeNanos) {
    now = timeNanos;
    try {
      if (loginStarted && !outcomeSent && phase != Phase.ENCRYPTED) {
        emit(auth.abort(timeNanos));
        outcomeSent = true;
        emit((response != null ? response : new LoginResponseTracker()).aborted(timeNanos));
      }
      if (exchange != null) {
        exchange.close(server.framer.inMessage() ? server.framer.messageBytes() : 0);
      }
    } catch (RuntimeException e) {
      internalError(e);
    }
    releaseLoginState();
    phase = Phase.CLOSED;
    stopped = true;
  }

  public Phase phase() {
    return phase;
  }

  public boolean isStopped() {
    return stopped;
  }

  /** Whether direction d stopped inside a TDS message (its EOM packet not yet complete). */
  public boolean isMidMessage(Direction d) {
    return (d == Direction.CLIENT_TO_SERVER ? client : server).framer.inMessage();
  }

  private void feed(Side side, byte[] buf, int off, int len, long timeNanos) {
    if (stopped || buf == null || len <= 0) {
      return;
    }
    if (off < 0 || off > buf.length - len) {
      emit(
          new DecodeErrorEvent(
              side.direction, "internal", "chunk range outside its buffer", timeNanos));
      return;
    }
    now = timeNanos;
    try {
      side.framer.feed(buf, off, len, timeNanos);
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
    phase = Phase.STOPPED;
    releaseLoginState();
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

  /**
   * An SSPI event, and a decode error too when its blob was malformed (the reason never holds
   * payload).
   */
  private void emitSspi(SspiEvent e) {
    emit(e);
    if (e.message() instanceof UndecodedSspi && ((UndecodedSspi) e.message()).error() != null) {
      error(
          e.direction(),
          "sspi",
          e.message().mechanism().label() + ": " + ((UndecodedSspi) e.message()).error());
    }
  }

  private void error(Direction d, String layer, String reason) {
    emit(new DecodeErrorEvent(d, layer, reason, now));
  }

  private void releaseLoginState() {
    if (login7 != null) {
      login7.clear();
      login7 = null;
    }
    client.releaseBuffer();
    server.releaseBuffer();
    tls = null;
  }

  /** After a successful (or unseen) login every message goes to the exchange tracker. */
  private Mode postLogin(boolean fromClient, PacketType type, long start) {
    if (phase != Phase.LOGGED_IN) {
      return Mode.FRAME_ONLY;
    }
    if (exchange == null) {
      LoginResponseTracker login = response;
      exchange =
          new ExchangeTracker(
              new EventSink() {
                @Override
                public void emit(TdsEvent e) {
                  TdsConversation.this.emit(e);
                }

                @Override
                public long now() {
                  return now;
                }
              },
              limits,
              login != null && login.tdsVersion() != 0 ? login.tdsVersion() : tdsVersion,
              login != null && login.columnEncryption(),
              login != null ? login.dataClassificationVersion() : 1);
    }
    if (fromClient) {
      exchange.clientMessageStart(type, start);
      return Mode.EXCHANGE;
    }
    return exchange.serverMessageStart(type, start) ? Mode.EXCHANGE : Mode.FRAME_ONLY;
  }

  private TlsTap tls() {
    if (tls == null) {
      tls =
          new TlsTap(
              limits.maxTlsBytes(),
              new EventSink() {
                @Override
                public void emit(TdsEvent e) {
                  TdsConversation.this.emit(e);
                }

                @Override
                public long now() {
                  return now;
                }
              });
    }
    return tls;
  }

  private boolean loginOver() {
    return phase == Phase.LOGGED_IN || phase == Phase.FAILED || phase == Phase.ENCRYPTED;
  }

  // ---- client direction -------------------------------------------------------------------------

  private Mode clientMessageStart(PacketType type, long start) {
    if (loginOver()) {
      return postLogin(true, type, start);
    }
    if (type == PacketType.SSPI && (phase == Phase.LOGIN7 || phase == Phase.LOGIN_RESPONSE)) {
      return Mode.SSPI; // the next leg of an integrated-auth exchange
    }
    switch (type) {
      case PRELOGIN:
        if (phase == Phase.INITIAL) {
          phase = Phase.PRELOGIN;
          loginStarted = true;
          preloginStartNanos = start;
        }
        return phase == Phase.PRELOGIN || phase == Phase.TLS_HANDSHAKE
            ? Mode.PRELOGIN_OR_TLS
            : Mode.FRAME_ONLY;
      case LOGIN7:
        if (phase == Phase.INITIAL || phase == Phase.PRELOGIN || phase == Phase.TLS_HANDSHAKE) {
          endTlsPhase();
          startLogin7(start);
          login7 = new Login7Accumulator(limits.maxMessageBytes());
          return Mode.LOGIN7;
        }
        return Mode.FRAME_ONLY;
      default:
        if (phase == Phase.INITIAL) {
          phase = Phase.LOGGED_IN; // captured or attached mid-session
          releaseLoginState();
          return postLogin(true, type, start);
        }
        return Mode.FRAME_ONLY;
    }
  }

  private void startLogin7(long start) {
    phase = Phase.LOGIN7;
    loginStarted = true;
    login7StartNanos = start;
    response = new LoginResponseTracker();
    auth = new AuthLegTracker();
  }

  private void endTlsPhase() {
    if (phase == Phase.TLS_HANDSHAKE && tls != null) {
      emit(new PhaseEvent(Phase.TLS_HANDSHAKE, tls.firstRecordNanos(), tls.lastRecordNanos()));
    }
  }

  /**
   * First payload byte of a client PRELOGIN message: an option table, or TLS records after the
   * PRELOGIN exchange.
   */
  private Mode clientPreloginKind(byte first, long packetStart) {
    int b = first & 0xFF;
    boolean tlsRecord = b >= 20 && b <= 23;
    if (tlsRecord && (preloginAnswered || phase == Phase.TLS_HANDSHAKE)) {
      if (phase != Phase.TLS_HANDSHAKE) {
        phase = Phase.TLS_HANDSHAKE;
      }
      tls().noteStart(packetStart);
      return Mode.TLS;
    }
    return tlsRecord ? Mode.TLS : Mode.PRELOGIN;
  }

  private void clientMessageEnd(Side s, PacketReassembler r) {
    if (s.mode == Mode.PRELOGIN) {
      Prelogin p = decodePrelogin(s);
      if (p != null) {
        emit(new PreloginEvent(Direction.CLIENT_TO_SERVER, p, r.messageStartNanos(), now));
      }
    } else if (s.mode == Mode.LOGIN7 && login7 != null) {
      Login7Accumulator acc = login7;
      login7 = null;
      try {
        Login7 l = acc.decodeAndClear();
        tdsVersion = l.tdsVersion();
        emit(new Login7Event(l, r.messageStartNanos(), now));
        if (l.sspiMessage() != null) {
          emitSspi(
              auth.clientPayload(
                  SspiEvent.Carrier.LOGIN7, l.sspiMessage(), r.messageStartNanos(), now));
        }
      } catch (DecodeException e) {
        error(Direction.CLIENT_TO_SERVER, "login7", e.getMessage());
      }
    } else if (s.mode == Mode.SSPI) {
      // the blob (an NTLM AUTHENTICATE is crackable) is decoded in place and wiped right away
      try {
        emitSspi(
            auth.clientPayload(
                SspiEvent.Carrier.SSPI_MESSAGE,
                SspiDecoder.decode(s.buffer.array(), 0, s.buffer.size()),
                r.messageStartNanos(),
                now));
      } finally {
        s.buffer.clear();
      }
    }
  }

  /**
   * A bare TLS record from the client (network capture): the encrypted LOGIN7, or a TDS 8
   * handshake.
   */
  private void clientRawTlsRecord(int contentType, long start) {
    if (loginOver()) {
      return;
    }
    if (phase == Phase.INITIAL) {
      phase = Phase.TLS_HANDSHAKE; // TDS 8: TLS before any TDS byte
      loginStarted = true;
      rawTlsOnly = true;
      tls().noteStart(start);
    }
    if (contentType == TlsRecordStream.APPLICATION_DATA && phase == Phase.TLS_HANDSHAKE) {
      endTlsPhase();
      if (rawTlsOnly) {
        phase = Phase.ENCRYPTED;
        releaseLoginState();
      } else {
        startLogin7(start); // LOGIN7 inside TLS: timed, not decoded
        auth.unreadLogin7(start, start);
      }
    }
  }

  // ---- server direction -------------------------------------------------------------------------

  private Mode serverMessageStart(PacketType type, long start) {
    switch (phase) {
      case INITIAL:
        phase = Phase.LOGGED_IN; // mid-session
        releaseLoginState();
        return postLogin(false, type, start);
      case PRELOGIN:
        return preloginAnswered ? Mode.FRAME_ONLY : Mode.PRELOGIN_OR_TLS;
      case TLS_HANDSHAKE:
        return type == PacketType.PRELOGIN || type == PacketType.TABULAR_RESULT
            ? Mode.TLS
            : Mode.FRAME_ONLY;
      case LOGIN7:
        emit(new PhaseEvent(Phase.LOGIN7, login7StartNanos, start));
        phase = Phase.LOGIN_RESPONSE;
        responseStartNanos = start;
        auth.serverMessageStart(start);
        return Mode.TOKENS;
      case LOGIN_RESPONSE:
        auth.serverMessageStart(start);
        return Mode.TOKENS;
      default:
        return postLogin(false, type, start);
    }
  }

  private void serverMessageEnd(Side s, PacketReassembler r) {
    if (s.mode == Mode.PRELOGIN) {
      Prelogin p = decodePrelogin(s);
      if (p != null) {
        emit(new PreloginEvent(Direction.SERVER_TO_CLIENT, p, r.messageStartNanos(), now));
      }
      preloginAnswered = true;
      emit(new PhaseEvent(Phase.PRELOGIN, preloginStartNanos, now));
    } else if (s.mode == Mode.TOKENS) {
      decodeLoginResponse(s);
    }
  }

  private void decodeLoginResponse(Side s) {
    if (response == null) {
      response = new LoginResponseTracker();
    }
    LoginResponseTracker tracker = response;
    int version = tracker.tdsVersion() != 0 ? tracker.tdsVersion() : tdsVersion;
    TokenStreamDecoder.decode(
        s.buffer.array(),
        0,
        s.buffer.size(),
        version,
        new TokenSink() {
          @Override
          public void onToken(Token token) {
            tracker.onToken(token);
            emit(new TokenEvent(Direction.SERVER_TO_CLIENT, token, now));
            if (token instanceof SspiToken) {
              emitSspi(auth.serverToken(((SspiToken) token).message(), now));
            }
          }

          @Override
          public void onError(String reason) {
            error(Direction.SERVER_TO_CLIENT, "token", reason);
          }
        });
    s.buffer.clear();
    emit(
        auth.serverMessageEnd(
            tracker.isConcluded(),
            tracker.outcome(now).outcome() != LoginOutcomeEvent.Outcome.FAILURE,
            now));
    if (tracker.isConcluded()) {
      emit(new PhaseEvent(Phase.LOGIN_RESPONSE, responseStartNanos, now));
      outcomeSent = true;
      emit(tracker.outcome(now));
      phase = tracker.succeeded() ? Phase.LOGGED_IN : Phase.FAILED;
      releaseLoginState();
    } else {
      tracker.onMessageEnd();
    }
  }

  private void serverRawTlsRecord(int contentType) {
    if ((phase == Phase.LOGIN7 || phase == Phase.LOGIN_RESPONSE)
        && contentType == TlsRecordStream.APPLICATION_DATA) {
      // the login response itself is encrypted: nothing more can be learnt from this connection
      phase = Phase.ENCRYPTED;
      releaseLoginState();
    }
  }

  private Prelogin decodePrelogin(Side s) {
    try {
      return PreloginDecoder.decode(s.buffer.array(), 0, s.buffer.size());
    } catch (DecodeException e) {
      error(s.direction, "prelogin", e.getMessage());
      return null;
    } finally {
      s.buffer.clear();
    }
  }

  // ---- per-direction framing glue ---------------------------------------------------------------

  /** One direction: its framer and what its current message is being collected for. */
  private final class Side implements PacketReassembler.Sink {
    final Direction direction;
    final PacketReassembler framer;
    Mode mode = Mode.FRAME_ONLY;
    BoundedBuffer buffer;

    Side(Direction direction) {
      this.direction = direction;
      this.framer = new PacketReassembler(this);
      // TDS packet types never collide with TLS content types, so bare records can always be
      // recognised
      this.framer.setRawTlsAllowed(true);
    }

    boolean isClient() {
      return direction == Direction.CLIENT_TO_SERVER;
    }

    void releaseBuffer() {
      if (buffer != null) {
        buffer.clear();
        buffer = null;
      }
    }

    private BoundedBuffer buffer() {
      if (buffer == null) {
        // PRELOGIN messages and most login responses fit; larger ones grow by doubling.
        buffer = new BoundedBuffer(512, limits.maxMessageBytes());
      }
      return buffer;
    }

    @Override
    public void onMessageStart(PacketReassembler r) {
      PacketType type = r.type();
      emit(new MessageStartEvent(direction, type, r.messageStartNanos()));
      mode =
          isClient()
              ? clientMessageStart(type, r.messageStartNanos())
              : serverMessageStart(type, r.messageStartNanos());
      if (mode != Mode.FRAME_ONLY && mode != Mode.LOGIN7) {
        buffer().clear();
      }
    }

    @Override
    public void onPayload(PacketReassembler r, byte[] buf, int off, int len) {
      switch (mode) {
        case FRAME_ONLY:
        case SKIP:
          return;
        case EXCHANGE:
          if (isClient()) {
            exchange.clientPayload(buf, off, len);
          } else {
            exchange.serverPayload(buf, off, len);
          }
          return;
        case PRELOGIN_OR_TLS:
          mode =
              isClient()
                  ? clientPreloginKind(buf[off], r.packetStartNanos())
                  : (tlsByte(buf[off]) ? Mode.TLS : Mode.PRELOGIN);
          if (mode == Mode.TLS && tls == null) {
            error(direction, "tls", "TLS records before the PRELOGIN exchange completed");
            mode = Mode.SKIP;
            return;
          }
          onPayload(r, buf, off, len);
          return;
        case TLS:
          if (tls != null) {
            tls.stream(direction).feed(buf, off, len);
          }
          return;
        case LOGIN7:
          if (login7 != null && !login7.append(buf, off, len)) {
            error(
                direction,
                "login7",
                "LOGIN7 longer than " + limits.maxMessageBytes() + " bytes skipped");
            login7.clear();
            login7 = null;
            mode = Mode.SKIP;
          }
          return;
        default:
          if (!buffer().append(buf, off, len)) {
            error(
                direction,
                mode == Mode.TOKENS ? "token" : mode == Mode.SSPI ? "sspi" : "prelogin",
                "message longer than " + limits.maxMessageBytes() + " bytes skipped");
            buffer.clear();
            mode = Mode.SKIP;
          }
      }
    }

    @Override
    public void onMessageEnd(PacketReassembler r, boolean ignored) {
      emit(new MessageEndEvent(direction, r.messageType(), r.messageBytes(), now));
      Mode m = mode;
      mode = Mode.FRAME_ONLY;
      if (m == Mode.FRAME_ONLY) {
        return;
      }
      if (m == Mode.EXCHANGE) {
        if (isClient()) {
          exchange.clientMessageEnd(ignored, r.messageBytes());
        } else {
          exchange.serverMessageEnd(r.messageBytes());
        }
        return;
      }
      if (ignored) {
        // IGNORE: the sender cancelled this message; nothing in it counts
        if (login7 != null) {
          login7.clear();
          login7 = null;
        }
        if (buffer != null) {
          buffer.clear();
        }
        return;
      }
      mode = m;
      try {
        if (isClient()) {
          clientMessageEnd(this, r);
        } else {
          serverMessageEnd(this, r);
        }
      } finally {
        mode = Mode.FRAME_ONLY;
      }
    }

    @Override
    public void onRawTlsRecord(PacketReassembler r, int contentType, int length) {
      if (isClient()) {
        clientRawTlsRecord(contentType, r.packetStartNanos());
      } else {
        serverRawTlsRecord(contentType);
      }
    }

    @Override
    public void onRawTls(PacketReassembler r, byte[] buf, int off, int len) {
      if (phase == Phase.TLS_HANDSHAKE && tls != null) {
        tls.stream(direction).feed(buf, off, len);
      }
    }

    @Override
    public void onFramingError(PacketReassembler r, String reason) {
      error(direction, "packet", reason);
      stop();
    }
  }

  private static boolean tlsByte(byte b) {
    int v = b & 0xFF;
    return v >= 20 && v <= 23;
  }
}
