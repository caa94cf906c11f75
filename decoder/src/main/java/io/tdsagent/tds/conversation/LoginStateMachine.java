package io.tdsagent.tds.conversation;

import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.Login7Event;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.Phase;
import io.tdsagent.tds.event.PhaseEvent;
import io.tdsagent.tds.event.PreloginEvent;
import io.tdsagent.tds.event.SspiEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.login.Login7;
import io.tdsagent.tds.login.Login7Accumulator;
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
 * The login's {@link Phase}s: PRELOGIN, the TLS handshake, LOGIN7, the SSPI legs of integrated
 * authentication and the login response, up to LOGGED_IN, FAILED or ENCRYPTED (the rest cannot be
 * read). Decides what each message is for while the login is under way and decodes the login
 * messages; afterwards it only answers {@link MessageUse#AFTER_LOGIN}.
 *
 * <p>Each SSPI blob (LOGIN7 SSPI field, SSPI token, SSPI message) gives an {@link SspiEvent}, and
 * each round trip an {@code AuthLegEvent} (delimited by {@link AuthLegTracker}).
 */
final class LoginStateMachine {
  private final EventSink sink;
  private final DecoderLimits limits;

  /** Drops the per-direction buffers once nothing of the login is left to decode. */
  private final Runnable releaseBuffers;

  private Phase phase = Phase.INITIAL;
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
  private AuthLegTracker auth = new AuthLegTracker();

  LoginStateMachine(EventSink sink, DecoderLimits limits, Runnable releaseBuffers) {
    this.sink = sink;
    this.limits = limits;
    this.releaseBuffers = releaseBuffers;
  }

  Phase phase() {
    return phase;
  }

  /** Skips the login: every message is a request or a response for this TDS version (0 unknown). */
  void alreadyLoggedIn(int version) {
    phase = Phase.LOGGED_IN;
    tdsVersion = version;
  }

  /** The conversation ended (STOPPED or CLOSED): nothing more is decoded. */
  void end(Phase last) {
    phase = last;
    release();
  }

  /** The TDS version the login negotiated (LOGINACK), else the one LOGIN7 asked for, else 0. */
  int tdsVersion() {
    return response != null && response.tdsVersion() != 0 ? response.tdsVersion() : tdsVersion;
  }

  boolean columnEncryption() {
    return response != null && response.columnEncryption();
  }

  int dataClassificationVersion() {
    return response != null ? response.dataClassificationVersion() : 1;
  }

  /** The connection closed: an ABORTED outcome if a login was under way. */
  void close(long timeNanos) {
    if (loginStarted && !outcomeSent && phase != Phase.ENCRYPTED) {
      sink.emit(auth.abort(timeNanos));
      outcomeSent = true;
      sink.emit((response != null ? response : new LoginResponseTracker()).aborted(timeNanos));
    }
  }

  /** Drops what only the login needs: the LOGIN7 being collected, the TLS tap, the buffers. */
  void release() {
    if (login7 != null) {
      login7.clear();
      login7 = null;
    }
    releaseBuffers.run();
    tls = null;
  }

  private boolean loginOver() {
    return phase == Phase.LOGGED_IN || phase == Phase.FAILED || phase == Phase.ENCRYPTED;
  }

  private TlsTap tls() {
    if (tls == null) {
      tls = new TlsTap(limits.maxTlsBytes(), sink);
    }
    return tls;
  }

  /**
   * An SSPI event, and a decode error too when its blob was malformed (the reason never holds
   * payload).
   */
  private void emitSspi(SspiEvent e) {
    sink.emit(e);
    if (e.message() instanceof UndecodedSspi && ((UndecodedSspi) e.message()).error() != null) {
      sink.error(
          e.direction(),
          "sspi",
          e.message().mechanism().label() + ": " + ((UndecodedSspi) e.message()).error());
    }
  }

  // ---- payload that streams by
  // -------------------------------------------------------------------

  void tlsPayload(Direction d, byte[] buf, int off, int len) {
    if (tls != null) {
      tls.stream(d).feed(buf, off, len);
    }
  }

  /** A bare TLS record's bytes: only the handshake's are read. */
  void rawTls(Direction d, byte[] buf, int off, int len) {
    if (phase == Phase.TLS_HANDSHAKE && tls != null) {
      tls.stream(d).feed(buf, off, len);
    }
  }

  /** False when the LOGIN7 grew past the limit and was dropped. */
  boolean login7Payload(Direction d, byte[] buf, int off, int len) {
    if (login7 != null && !login7.append(buf, off, len)) {
      sink.error(d, "login7", "LOGIN7 longer than " + limits.maxMessageBytes() + " bytes skipped");
      login7.clear();
      login7 = null;
      return false;
    }
    return true;
  }

  /** The sender cancelled the message under way. */
  void messageIgnored() {
    if (login7 != null) {
      login7.clear();
      login7 = null;
    }
  }

  /** PRELOGIN or TLS, from the first payload byte of a PRELOGIN packet; SKIP if out of place. */
  MessageUse preloginOrTls(Direction d, byte first, long packetStartNanos) {
    MessageUse use =
        d == Direction.CLIENT_TO_SERVER
            ? clientPreloginKind(first, packetStartNanos)
            : (tlsByte(first) ? MessageUse.TLS : MessageUse.PRELOGIN);
    if (use == MessageUse.TLS && tls == null) {
      sink.error(d, "tls", "TLS records before the PRELOGIN exchange completed");
      return MessageUse.SKIP;
    }
    return use;
  }

  private static boolean tlsByte(byte b) {
    int v = b & 0xFF;
    return v >= 20 && v <= 23;
  }

  // ---- client direction -------------------------------------------------------------------------

  MessageUse clientMessageStart(PacketType type, long start) {
    if (loginOver()) {
      return MessageUse.AFTER_LOGIN;
    }
    if (type == PacketType.SSPI && (phase == Phase.LOGIN7 || phase == Phase.LOGIN_RESPONSE)) {
      return MessageUse.SSPI; // the next leg of an integrated-auth exchange
    }
    switch (type) {
      case PRELOGIN:
        if (phase == Phase.INITIAL) {
          phase = Phase.PRELOGIN;
          loginStarted = true;
          preloginStartNanos = start;
        }
        return phase == Phase.PRELOGIN || phase == Phase.TLS_HANDSHAKE
            ? MessageUse.PRELOGIN_OR_TLS
            : MessageUse.FRAME_ONLY;
      case LOGIN7:
        if (phase == Phase.INITIAL || phase == Phase.PRELOGIN || phase == Phase.TLS_HANDSHAKE) {
          endTlsPhase();
          startLogin7(start);
          login7 = new Login7Accumulator(limits.maxMessageBytes());
          return MessageUse.LOGIN7;
        }
        return MessageUse.FRAME_ONLY;
      default:
        if (phase == Phase.INITIAL) {
          phase = Phase.LOGGED_IN; // captured or attached mid-session
          release();
          return MessageUse.AFTER_LOGIN;
        }
        return MessageUse.FRAME_ONLY;
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
      sink.emit(new PhaseEvent(Phase.TLS_HANDSHAKE, tls.firstRecordNanos(), tls.lastRecordNanos()));
    }
  }

  /**
   * First payload byte of a client PRELOGIN message: an option table, or TLS records after the
   * PRELOGIN exchange.
   */
  private MessageUse clientPreloginKind(byte first, long packetStart) {
    boolean tlsRecord = tlsByte(first);
    if (tlsRecord && (preloginAnswered || phase == Phase.TLS_HANDSHAKE)) {
      if (phase != Phase.TLS_HANDSHAKE) {
        phase = Phase.TLS_HANDSHAKE;
      }
      tls().noteStart(packetStart);
      return MessageUse.TLS;
    }
    return tlsRecord ? MessageUse.TLS : MessageUse.PRELOGIN;
  }

  /** A client message collected whole ended. */
  void clientMessageEnd(MessageUse use, BoundedBuffer buffer, long messageStart) {
    long now = sink.now();
    if (use == MessageUse.PRELOGIN) {
      Prelogin p = decodePrelogin(Direction.CLIENT_TO_SERVER, buffer);
      if (p != null) {
        sink.emit(new PreloginEvent(Direction.CLIENT_TO_SERVER, p, messageStart, now));
      }
    } else if (use == MessageUse.LOGIN7 && login7 != null) {
      Login7Accumulator acc = login7;
      login7 = null;
      try {
        Login7 l = acc.decodeAndClear();
        tdsVersion = l.tdsVersion();
        sink.emit(new Login7Event(l, messageStart, now));
        if (l.sspiMessage() != null) {
          emitSspi(
              auth.clientPayload(SspiEvent.Carrier.LOGIN7, l.sspiMessage(), messageStart, now));
        }
      } catch (DecodeException e) {
        sink.error(Direction.CLIENT_TO_SERVER, "login7", e.getMessage());
      }
    } else if (use == MessageUse.SSPI) {
      // the blob (an NTLM AUTHENTICATE is crackable) is decoded in place and wiped right away
      try {
        emitSspi(
            auth.clientPayload(
                SspiEvent.Carrier.SSPI_MESSAGE,
                SspiDecoder.decode(buffer.array(), 0, buffer.size()),
                messageStart,
                now));
      } finally {
        buffer.clear();
      }
    }
  }

  /**
   * A bare TLS record from the client (network capture): the encrypted LOGIN7, or a TDS 8
   * handshake.
   */
  void clientRawTlsRecord(int contentType, long start) {
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
        release();
      } else {
        startLogin7(start); // LOGIN7 inside TLS: timed, not decoded
        auth.unreadLogin7(start, start);
      }
    }
  }

  // ---- server direction -------------------------------------------------------------------------

  MessageUse serverMessageStart(PacketType type, long start) {
    switch (phase) {
      case INITIAL:
        phase = Phase.LOGGED_IN; // mid-session
        release();
        return MessageUse.AFTER_LOGIN;
      case PRELOGIN:
        return preloginAnswered ? MessageUse.FRAME_ONLY : MessageUse.PRELOGIN_OR_TLS;
      case TLS_HANDSHAKE:
        return type == PacketType.PRELOGIN || type == PacketType.TABULAR_RESULT
            ? MessageUse.TLS
            : MessageUse.FRAME_ONLY;
      case LOGIN7:
        sink.emit(new PhaseEvent(Phase.LOGIN7, login7StartNanos, start));
        phase = Phase.LOGIN_RESPONSE;
        responseStartNanos = start;
        auth.serverMessageStart(start);
        return MessageUse.TOKENS;
      case LOGIN_RESPONSE:
        auth.serverMessageStart(start);
        return MessageUse.TOKENS;
      default:
        return MessageUse.AFTER_LOGIN;
    }
  }

  /** A server message collected whole ended. */
  void serverMessageEnd(MessageUse use, BoundedBuffer buffer, long messageStart) {
    if (use == MessageUse.PRELOGIN) {
      Prelogin p = decodePrelogin(Direction.SERVER_TO_CLIENT, buffer);
      if (p != null) {
        sink.emit(new PreloginEvent(Direction.SERVER_TO_CLIENT, p, messageStart, sink.now()));
      }
      preloginAnswered = true;
      sink.emit(new PhaseEvent(Phase.PRELOGIN, preloginStartNanos, sink.now()));
    } else if (use == MessageUse.TOKENS) {
      decodeLoginResponse(buffer);
    }
  }

  private void decodeLoginResponse(BoundedBuffer buffer) {
    if (response == null) {
      response = new LoginResponseTracker();
    }
    LoginResponseTracker tracker = response;
    int version = tracker.tdsVersion() != 0 ? tracker.tdsVersion() : tdsVersion;
    TokenStreamDecoder.decode(
        buffer.array(),
        0,
        buffer.size(),
        version,
        new TokenSink() {
          @Override
          public void onToken(Token token) {
            tracker.onToken(token);
            sink.emit(new TokenEvent(Direction.SERVER_TO_CLIENT, token, sink.now()));
            if (token instanceof SspiToken) {
              emitSspi(auth.serverToken(((SspiToken) token).message(), sink.now()));
            }
          }

          @Override
          public void onError(String reason) {
            sink.error(Direction.SERVER_TO_CLIENT, "token", reason);
          }
        });
    buffer.clear();
    long now = sink.now();
    sink.emit(
        auth.serverMessageEnd(
            tracker.isConcluded(),
            tracker.outcome(now).outcome() != LoginOutcomeEvent.Outcome.FAILURE,
            now));
    if (tracker.isConcluded()) {
      sink.emit(new PhaseEvent(Phase.LOGIN_RESPONSE, responseStartNanos, now));
      outcomeSent = true;
      sink.emit(tracker.outcome(now));
      phase = tracker.succeeded() ? Phase.LOGGED_IN : Phase.FAILED;
      release();
    } else {
      tracker.onMessageEnd();
    }
  }

  void serverRawTlsRecord(int contentType) {
    if ((phase == Phase.LOGIN7 || phase == Phase.LOGIN_RESPONSE)
        && contentType == TlsRecordStream.APPLICATION_DATA) {
      // the login response itself is encrypted: nothing more can be learnt from this connection
      phase = Phase.ENCRYPTED;
      release();
    }
  }

  private Prelogin decodePrelogin(Direction d, BoundedBuffer buffer) {
    try {
      return PreloginDecoder.decode(buffer.array(), 0, buffer.size());
    } catch (DecodeException e) {
      sink.error(d, "prelogin", e.getMessage());
      return null;
    } finally {
      buffer.clear();
    }
  }
}
