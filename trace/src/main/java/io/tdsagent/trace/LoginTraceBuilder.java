package io.tdsagent.trace;

import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.Login7Event;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.MessageEndEvent;
import io.tdsagent.tds.event.PhaseEvent;
import io.tdsagent.tds.event.PreloginEvent;
import io.tdsagent.tds.event.SspiEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TdsEventListener;
import io.tdsagent.tds.event.TlsAlertEvent;
import io.tdsagent.tds.event.TlsHandshakeEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.login.Login7;
import io.tdsagent.tds.prelogin.Prelogin;
import io.tdsagent.tds.sspi.SspiAuthSummary;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import io.tdsagent.tds.tls.ClientHello;
import io.tdsagent.tds.tls.ServerCertificate;
import io.tdsagent.tds.tls.ServerHello;
import io.tdsagent.tds.token.EnvChange;
import io.tdsagent.tds.token.LoginAck;
import io.tdsagent.tds.token.ServerMessage;
import io.tdsagent.tds.token.Token;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects what one connection attempt shows, from the driver hooks (TCP connect, the TLS bracket)
 * and from the decoder's events, and when the login ends hands it over as one {@code SQL Server
 * login} span plan whose attributes and children (a span per step) are made on the export thread
 * from a {@link LoginRecord}. Runs on the driver's thread under the tap's lock, so it only records
 * values. Its memory is bounded: single values, and at most {@link #MAX_NOTES} server messages and
 * decode errors.
 */
public final class LoginTraceBuilder implements TdsEventListener {
  public static final String LOGIN_SPAN = "SQL Server login";
  private static final int MAX_NOTES = 16;

  private final Consumer<SpanPlan> sink;
  private final boolean midSession;
  // What the login span shows; package-private for LoginRecord, which copies them when the login
  // ends.
  final String host;
  final int port;
  final long start;

  /**
   * When the driver began its TCP connect; the login span starts earlier when the application asked
   * before.
   */
  final long tcpStart;

  final SpanPlan.RemoteParent parent;

  /**
   * Which attempt of one request for a connection this is; null when the driver's hooks cannot
   * tell.
   */
  final LoginAttempts.Attempt attempt;

  long tcpEnd = -1;
  Throwable tcpError;
  InetSocketAddress peer;

  long tlsStart = -1;
  long tlsEnd = -1;
  boolean strict;

  /**
   * LOGIN7 TDSVersion of TDS 8 (MS-TDS 2.2.6.4), which a client sends only under encrypt=strict.
   */
  private static final int TDS_8 = 0x08000000;

  Throwable tlsError;
  boolean tlsBeforePrelogin;
  String tlsVersion;
  String tlsCipher;
  X509Certificate certificate;
  ClientHello clientHello;
  ServerHello serverHello;
  ServerCertificate wireCertificate;
  String tlsAlert;

  Prelogin preloginRequest;
  Prelogin preloginResponse;
  long preloginStart = -1;
  long preloginEnd = -1;
  long tlsPhaseStart = -1;
  long tlsPhaseEnd = -1;
  Login7 login7;
  long login7Start = -1;
  long login7End = -1;

  /**
   * When LOGIN7's first byte went out; its phase (which ends as the answer begins) may never end.
   */
  private long login7FirstByte = -1;

  long responseStart = -1;
  long responseEnd = -1;

  LoginAck loginAck;
  String database;
  String packetSize;
  final List<ServerMessage> messages = new ArrayList<>();
  final List<String> decodeErrors = new ArrayList<>();
  final List<AuthLegEvent> authLegs = new ArrayList<>();

  /** The sockets of a connect raced over several addresses; empty for a connect to one address. */
  final List<ParallelConnect> parallelConnects = new ArrayList<>(0);

  SspiAuthSummary authSummary;

  /** The driver's login timeout (ms), or -1 when it cannot be read. */
  long loginTimeoutMillis = -1;

  /** When the client finished sending its PRELOGIN, LOGIN7 and last SSPI message (-1: not sent). */
  long preloginSent = -1;

  long login7Sent = -1;
  long sspiSent = -1;

  /**
   * The last SSPI message the client sent, e.g. "ntlm negotiate": the leg in flight until the
   * server answers.
   */
  String sspiSentName;

  /** When the last server message ended. */
  long serverMessageEnd = -1;

  /** The server's fatal TLS alert, when it sent one. */
  boolean tlsAlertFromServer;

  String tlsAlertDescription;

  /** When the driver read the end of the stream (the server closed first); -1: it did not. */
  long serverClosed = -1;

  String clientError;
  Throwable clientErrorCause;

  private boolean finished;

  public LoginTraceBuilder(
      String host,
      int port,
      long startNanos,
      Consumer<SpanPlan> sink,
      SpanPlan.RemoteParent parent) {
    this(host, port, startNanos, sink, parent, false, null);
  }

  /**
   * One attempt of a request for a connection ({@code attempt} may be null: unknown): its login
   * span starts at the attempt's start (for a first attempt, when the application asked), its tcp
   * connect at {@code tcpStartNanos}.
   */
  public LoginTraceBuilder(
      String host,
      int port,
      long tcpStartNanos,
      Consumer<SpanPlan> sink,
      SpanPlan.RemoteParent parent,
      LoginAttempts.Attempt attempt) {
    this(host, port, tcpStartNanos, sink, parent, false, attempt);
  }

  private LoginTraceBuilder(
      String host,
      int port,
      long tcpStartNanos,
      Consumer<SpanPlan> sink,
      SpanPlan.RemoteParent parent,
      boolean midSession,
      LoginAttempts.Attempt attempt) {
    this.host = host;
    this.port = port;
    this.tcpStart = tcpStartNanos;
    this.start = attempt != null ? Math.min(attempt.startNanos(), tcpStartNanos) : tcpStartNanos;
    this.sink = sink;
    this.parent = parent;
    this.midSession = midSession;
    this.attempt = attempt;
  }

  /** A channel picked up after its login (capture switched on while it was open): no login span. */
  public static LoginTraceBuilder midSession(long nowNanos, Consumer<SpanPlan> sink) {
    return new LoginTraceBuilder(null, 0, nowNanos, sink, null, true, null);
  }

  /** Picked up after its login: no login span. */
  boolean isMidSession() {
    return midSession;
  }

  // ---- from the driver hooks ----

  /** The address the TCP connect goes to, known before it ends: a failed connect still names it. */
  public void connectingTo(InetSocketAddress address) {
    if (tcpEnd < 0 && address != null && !address.isUnresolved()) {
      peer = address;
    }
  }

  public void tcpConnected(long now, InetSocketAddress address, Throwable error) {
    tcpEnd = now;
    if (address != null || error == null) {
      peer = address;
    }
    tcpError = error;
    if (error != null) {
      finish(now, null, "tcp connect failed: " + error.getMessage(), error.getClass().getName());
    }
  }

  /**
   * One socket of a connect raced over several addresses ended (a loser may end after the login
   * did: dropped).
   */
  public void parallelConnect(ParallelConnect socket) {
    if (!finished && parallelConnects.size() < MAX_NOTES) {
      parallelConnects.add(socket);
    }
  }

  public void tlsStarted(long now, boolean tds8) {
    tlsStart = now;
    strict = tds8;
    tlsBeforePrelogin = preloginStart < 0;
  }

  /**
   * {@code certificate}: the server's, from the driver's TLS session; its names are read on the
   * export thread.
   */
  public void tlsFinished(
      long now, Throwable error, String version, String cipher, X509Certificate certificate) {
    tlsEnd = now;
    tlsError = error;
    tlsVersion = version;
    tlsCipher = cipher;
    this.certificate = certificate;
  }

  public void loginTimeout(long millis) {
    loginTimeoutMillis = millis;
  }

  /** The driver read the end of the stream before the login ended. */
  public void serverClosed(long now) {
    if (serverClosed < 0) {
      serverClosed = now;
    }
  }

  /**
   * The driver gave up on its own side (e.g. no Kerberos ticket for the SPN); kept for the login
   * span.
   */
  public void clientError(String message, Throwable cause) {
    if (!finished && clientError == null) {
      clientError = message;
      clientErrorCause = cause;
    }
  }

  /** Capture was switched off before the login ended: nothing is reported for this attempt. */
  public void captureStopped(long now) {
    finished = true;
  }

  public void closed(long now) {
    if (!finished && !midSession) {
      aborted(now, null);
    }
    finished = true;
  }

  /** The attempt ended without an answer from the server: say the best reason known. */
  private void aborted(long now, LoginOutcomeEvent outcome) {
    if (tlsError != null) {
      finish(
          now,
          outcome,
          "TLS handshake failed: " + tlsError.getMessage(),
          tlsError.getClass().getName());
    } else if (clientError != null) {
      finish(
          now,
          outcome,
          clientError
              + (clientErrorCause != null && clientErrorCause.getMessage() != null
                  ? " (" + clientErrorCause.getMessage() + ")"
                  : ""),
          clientErrorCause != null ? clientErrorCause.getClass().getName() : "client_error");
    } else {
      finish(now, outcome, "connection closed before the login completed", "connection_closed");
    }
  }

  // ---- from the decoder ----

  @Override
  public void onEvent(TdsEvent e) {
    if (finished) {
      return; // the login's record is made: nothing after it changes the login span
    }
    if (e instanceof PreloginEvent) {
      PreloginEvent p = (PreloginEvent) e;
      if (p.direction() == Direction.CLIENT_TO_SERVER) {
        preloginRequest = p.prelogin();
        preloginSent = p.timeNanos();
      } else {
        preloginResponse = p.prelogin();
      }
    } else if (e instanceof PhaseEvent) {
      onPhase((PhaseEvent) e);
    } else if (e instanceof TlsHandshakeEvent) {
      Object m = ((TlsHandshakeEvent) e).message();
      if (m instanceof ClientHello) {
        clientHello = (ClientHello) m;
      } else if (m instanceof ServerHello) {
        serverHello = (ServerHello) m;
      } else if (m instanceof ServerCertificate) {
        wireCertificate = (ServerCertificate) m;
      }
    } else if (e instanceof TlsAlertEvent) {
      TlsAlertEvent a = (TlsAlertEvent) e;
      tlsAlert = String.valueOf(a.alert());
      if (a.direction() == Direction.SERVER_TO_CLIENT && a.alert().isFatal()) {
        tlsAlertFromServer = true;
        tlsAlertDescription = a.alert().descriptionName();
      }
    } else if (e instanceof Login7Event) {
      login7 = ((Login7Event) e).login7();
      login7Sent = e.timeNanos();
      if (tlsStart < 0 && login7 != null && login7.tdsVersion() == TDS_8) {
        // No driver hook said so (the agent's plaintext capture, with TLS below TDS): only
        // encrypt=strict asks for TDS 8.
        strict = true;
      }
      login7FirstByte = ((Login7Event) e).firstByteNanos();
    } else if (e instanceof TokenEvent) {
      onToken(((TokenEvent) e).token());
    } else if (e instanceof AuthLegEvent) {
      AuthLegEvent leg = (AuthLegEvent) e;
      authSummary = leg.summary();
      if (authLegs.size() < MAX_NOTES) {
        authLegs.add(leg);
      }
    } else if (e instanceof SspiEvent) {
      SspiEvent sspi = (SspiEvent) e;
      if (sspi.direction() == Direction.CLIENT_TO_SERVER && sspi.message() != null) {
        SspiMessage m = sspi.message().innermost();
        sspiSent = e.timeNanos();
        sspiSentName = m.mechanism().label() + " " + m.messageName();
      }
      authSummary = ((SspiEvent) e).summary() != null ? ((SspiEvent) e).summary() : authSummary;
    } else if (e instanceof LoginOutcomeEvent) {
      onOutcome((LoginOutcomeEvent) e);
    } else if (e instanceof MessageEndEvent
        && ((MessageEndEvent) e).direction() == Direction.SERVER_TO_CLIENT) {
      serverMessageEnd = e.timeNanos();
    } else if (e instanceof DecodeErrorEvent) {
      if (decodeErrors.size() < MAX_NOTES) {
        DecodeErrorEvent d = (DecodeErrorEvent) e;
        decodeErrors.add(d.layer() + ": " + d.reason());
      }
    }
  }

  private void onPhase(PhaseEvent p) {
    switch (p.phase()) {
      case PRELOGIN:
        preloginStart = p.startNanos();
        preloginEnd = p.endNanos();
        break;
      case TLS_HANDSHAKE:
        tlsPhaseStart = p.startNanos();
        tlsPhaseEnd = p.endNanos();
        if (tlsStart < 0 && preloginStart < 0) {
          // No driver hook said so (a capture): a TLS handshake before any PRELOGIN is TDS 8
          // (encrypt=strict).
          strict = true;
          tlsBeforePrelogin = true;
        }
        break;
      case LOGIN7:
        login7Start = p.startNanos();
        login7End = p.endNanos();
        break;
      case LOGIN_RESPONSE:
        responseStart = p.startNanos();
        responseEnd = p.endNanos();
        break;
      default:
        break;
    }
  }

  private void onToken(Token t) {
    if (t instanceof LoginAck) {
      loginAck = (LoginAck) t;
    } else if (t instanceof EnvChange) {
      EnvChange env = (EnvChange) t;
      if (env.envType() == null) {
        return;
      }
      switch (env.envType()) {
        case DATABASE:
          database = env.newValue();
          break;
        case PACKETSIZE:
          packetSize = env.newValue();
          break;
        default:
          break;
      }
    } else if (t instanceof ServerMessage && messages.size() < MAX_NOTES) {
      messages.add((ServerMessage) t);
    }
  }

  private void onOutcome(LoginOutcomeEvent o) {
    if (o.ack() != null) {
      loginAck = o.ack();
    }
    switch (o.outcome()) {
      case SUCCESS:
        finish(o.timeNanos(), o, null, null);
        break;
      case ROUTED:
        finish(o.timeNanos(), o, null, null);
        break;
      case FAILURE:
        {
          ServerMessage err = o.error();
          String type = err != null ? Long.toString(err.number()) : "login_failed";
          finish(o.timeNanos(), o, err != null ? err.message() : "login failed", type);
          break;
        }
      default:
        aborted(o.timeNanos(), o);
        break;
    }
  }

  // ---- the end of the login ----

  /**
   * One small record here; the span tree is made from it on the export thread ({@link
   * LoginRecord}).
   */
  private void finish(
      long end, LoginOutcomeEvent outcome, String errorDescription, String errorType) {
    if (finished || midSession) {
      finished = true;
      return;
    }
    finished = true;
    if (login7Start < 0 && login7FirstByte >= 0) {
      // LOGIN7 went out and was decoded, but nothing the decoder could follow answered it (garbage,
      // a cut): its
      // step lasts until the attempt ended
      login7Start = login7FirstByte;
      login7End = end;
    }
    LoginRecord record = new LoginRecord(this, end, outcome, errorDescription, errorType);
    sink.accept(
        SpanPlan.builder(LOGIN_SPAN, start)
            .kind(SpanPlan.Kind.CLIENT)
            .parent(parent)
            .end(end)
            .linkTarget(attempt != null ? attempt.key() : null)
            .link(attempt != null ? attempt.previous() : null)
            .deferred(record)
            .build());
    forgetLogin();
  }

  /** The login span is made: drop what it was made from (the connection may live for hours). */
  private void forgetLogin() {
    preloginRequest = null;
    preloginResponse = null;
    login7 = null;
    clientHello = null;
    serverHello = null;
    wireCertificate = null;
    certificate = null;
    loginAck = null;
    messages.clear();
    decodeErrors.clear();
    authLegs.clear();
    parallelConnects.clear();
    authSummary = null;
    clientErrorCause = null;
  }
}
