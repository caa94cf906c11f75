package io.tdsagent.agent.trace;

import static io.tdsagent.agent.trace.TdsAttributes.*;

import io.tdsagent.tds.conversation.TdsEventListener;
import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.SspiEvent;
import io.tdsagent.tds.sspi.SspiAuthSummary;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.Login7Event;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.PhaseEvent;
import io.tdsagent.tds.event.PreloginEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TlsAlertEvent;
import io.tdsagent.tds.event.TlsHandshakeEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.login.Login7;
import io.tdsagent.tds.prelogin.EncryptionMode;
import io.tdsagent.tds.prelogin.Prelogin;
import io.tdsagent.tds.tls.ClientHello;
import io.tdsagent.tds.tls.ServerCertificate;
import io.tdsagent.tds.tls.ServerHello;
import io.tdsagent.tds.token.EnvChange;
import io.tdsagent.tds.token.LoginAck;
import io.tdsagent.tds.token.ServerMessage;
import io.tdsagent.tds.token.Token;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Collects what one connection attempt shows, from the driver hooks (TCP connect, the TLS
 * bracket) and from the decoder's events, and when the login ends turns it into one
 * {@code SQL Server login} span with a child per step. Runs on the driver's thread under the
 * tap's lock, so it only records values; the spans are made on the export thread. Its memory is
 * bounded: single values, and at most {@link #MAX_NOTES} server messages and decode errors.
 */
public final class LoginTraceBuilder implements TdsEventListener {
  static final String LOGIN_SPAN = "SQL Server login";
  private static final int MAX_NOTES = 16;

  private final Consumer<SpanPlan> sink;
  private final boolean midSession;
  private final String host;
  private final int port;
  private final long start;
  private final SpanPlan.RemoteParent parent;

  private long tcpEnd = -1;
  private Throwable tcpError;
  private InetSocketAddress peer;

  private long tlsStart = -1;
  private long tlsEnd = -1;
  private boolean strict;
  private Throwable tlsError;
  private boolean tlsBeforePrelogin;
  private String tlsVersion;
  private String tlsCipher;
  private String certSubject;
  private String certIssuer;
  private String certNotBefore;
  private String certNotAfter;
  private ClientHello clientHello;
  private ServerHello serverHello;
  private ServerCertificate wireCertificate;
  private String tlsAlert;

  private Prelogin preloginRequest;
  private Prelogin preloginResponse;
  private long preloginStart = -1;
  private long preloginEnd = -1;
  private long tlsPhaseStart = -1;
  private long tlsPhaseEnd = -1;
  private Login7 login7;
  private long login7Start = -1;
  private long login7End = -1;
  private long responseStart = -1;
  private long responseEnd = -1;

  private LoginAck loginAck;
  private String database;
  private String packetSize;
  private final List<ServerMessage> messages = new ArrayList<>();
  private final List<String> decodeErrors = new ArrayList<>();
  private final List<AuthLegEvent> authLegs = new ArrayList<>();
  private SspiAuthSummary authSummary;

  private boolean finished;
  private String clientError;
  private Throwable clientErrorCause;

  public LoginTraceBuilder(String host, int port, long startNanos, Consumer<SpanPlan> sink, SpanPlan.RemoteParent parent) {
    this(host, port, startNanos, sink, parent, false);
  }

  private LoginTraceBuilder(String host, int port, long startNanos, Consumer<SpanPlan> sink,
      SpanPlan.RemoteParent parent, boolean midSession) {
    this.host = host;
    this.port = port;
    this.start = startNanos;
    this.sink = sink;
    this.parent = parent;
    this.midSession = midSession;
  }

  /** A channel picked up after its login (capture switched on while it was open): no login span. */
  public static LoginTraceBuilder midSession(long nowNanos, Consumer<SpanPlan> sink) {
    return new LoginTraceBuilder(null, 0, nowNanos, sink, null, true);
  }

  // ---- from the driver hooks ----

  public void tcpConnected(long now, InetSocketAddress address, Throwable error) {
    tcpEnd = now;
    peer = address;
    tcpError = error;
    if (error != null) {
      finish(now, null, "tcp connect failed: " + error.getMessage(), error.getClass().getName());
    }
  }

  public void tlsStarted(long now, boolean tds8) {
    tlsStart = now;
    strict = tds8;
    tlsBeforePrelogin = preloginStart < 0;
  }

  public void tlsFinished(long now, Throwable error, String version, String cipher, String subject, String issuer,
      String notBefore, String notAfter) {
    tlsEnd = now;
    tlsError = error;
    tlsVersion = version;
    tlsCipher = cipher;
    certSubject = subject;
    certIssuer = issuer;
    certNotBefore = notBefore;
    certNotAfter = notAfter;
  }

  /** The driver gave up on its own side (e.g. no Kerberos ticket for the SPN); kept for the login span. */
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
      finish(now, outcome, "TLS handshake failed: " + tlsError.getMessage(), tlsError.getClass().getName());
    } else if (clientError != null) {
      finish(now, outcome, clientError + (clientErrorCause != null && clientErrorCause.getMessage() != null
          ? " (" + clientErrorCause.getMessage() + ")" : ""),
          clientErrorCause != null ? clientErrorCause.getClass().getName() : "client_error");
    } else {
      finish(now, outcome, "connection closed before the login completed", "connection_closed");
    }
  }

  // ---- from the decoder ----

  @Override
  public void onEvent(TdsEvent e) {
    if (finished && !(e instanceof DecodeErrorEvent)) {
      return;
    }
    if (e instanceof PreloginEvent) {
      PreloginEvent p = (PreloginEvent) e;
      if (p.direction() == Direction.CLIENT_TO_SERVER) {
        preloginRequest = p.prelogin();
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
      tlsAlert = String.valueOf(((TlsAlertEvent) e).alert());
    } else if (e instanceof Login7Event) {
      login7 = ((Login7Event) e).login7();
    } else if (e instanceof TokenEvent) {
      onToken(((TokenEvent) e).token());
    } else if (e instanceof AuthLegEvent) {
      AuthLegEvent leg = (AuthLegEvent) e;
      authSummary = leg.summary();
      if (authLegs.size() < MAX_NOTES) {
        authLegs.add(leg);
      }
    } else if (e instanceof SspiEvent) {
      authSummary = ((SspiEvent) e).summary() != null ? ((SspiEvent) e).summary() : authSummary;
    } else if (e instanceof LoginOutcomeEvent) {
      onOutcome((LoginOutcomeEvent) e);
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
      if (env.getEnvType() == null) {
        return;
      }
      switch (env.getEnvType()) {
        case DATABASE:
          database = env.getNewValue();
          break;
        case PACKETSIZE:
          packetSize = env.getNewValue();
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
      case FAILURE: {
        ServerMessage err = o.error();
        String type = err != null ? Long.toString(err.getNumber()) : "login_failed";
        finish(o.timeNanos(), o, err != null ? err.getMessage() : "login failed", type);
        break;
      }
      default:
        aborted(o.timeNanos(), o);
        break;
    }
  }

  // ---- the span tree ----

  private void finish(long end, LoginOutcomeEvent outcome, String errorDescription, String errorType) {
    if (finished || midSession) {
      finished = true;
      return;
    }
    finished = true;
    SpanPlan.Builder root = SpanPlan.builder(LOGIN_SPAN, start).kind(SpanPlan.Kind.CLIENT).parent(parent).end(end)
        .linkTarget()
        .attr(DB_SYSTEM_NAME, DB_SYSTEM_NAME_VALUE)
        .attr(SERVER_ADDRESS, host)
        .attr(SERVER_PORT, (long) port);
    if (peer != null && peer.getAddress() != null) {
      root.attr(NETWORK_PEER_ADDRESS, peer.getAddress().getHostAddress()).attr(NETWORK_PEER_PORT, (long) peer.getPort());
    }
    root.attr(DB_NAMESPACE, database != null ? database : login7 != null ? emptyToNull(login7.getDatabase()) : null);
    if (login7 != null) {
      root.attr(DB_USER, emptyToNull(login7.getUserName()) != null ? login7.getUserName() : AuthLegs.user(authLegs))
          .attr(APPLICATION_NAME, emptyToNull(login7.getAppName()))
          .attr(LIBRARY_NAME, emptyToNull(login7.getClientInterfaceName()))
          .attr(TDS_VERSION_REQUESTED, TdsNames.tdsVersion(login7.getTdsVersion()))
          .attr(AUTH_METHOD, AuthLegs.method(authSummary, authMethod(login7)));
    }
    if (authSummary != null && authSummary.isKerberosRequestedButNtlmUsed()) {
      root.attr("tds.auth.kerberos_fallback_to_ntlm", true);
    }
    if (authSummary != null && authSummary.isAnonymous()) {
      root.attr("tds.auth.anonymous", true);
    }
    if (preloginRequest != null && preloginRequest.getTraceId() != null) {
      root.attr(CLIENT_CONNECTION_ID, String.valueOf(preloginRequest.getTraceId().getConnectionId()));
    }
    encryptionAttributes(root);
    if (tlsVersion != null) {
      root.attr(TLS_PROTOCOL_VERSION, tlsVersion).attr(TLS_CIPHER, tlsCipher);
    }
    if (loginAck != null) {
      root.attr(TDS_VERSION, TdsNames.tdsVersion(loginAck.getTdsVersion()))
          .attr(SERVER_PRODUCT, loginAck.getProgName())
          .attr(SERVER_PRODUCT_VERSION, loginAck.getProgVersion());
    }
    if (packetSize != null) {
      root.attr(PACKET_SIZE, packetSize);
    }
    if (outcome != null) {
      root.attr(LOGIN_OUTCOME, outcome.outcome().name().toLowerCase(java.util.Locale.ROOT));
      if (outcome.routingServer() != null) {
        root.attr(ROUTING_SERVER, outcome.routingServer()).attr(ROUTING_PORT, (long) outcome.routingPort());
      }
    }
    if (!decodeErrors.isEmpty()) {
      root.attr(DECODE_ERROR, String.join("; ", decodeErrors));
    }
    ServerMessage error = outcome != null ? outcome.error() : null;
    if (errorDescription != null) {
      root.error(errorDescription).attr(ERROR_TYPE, errorType);
      if (error != null) {
        errorAttributes(root, error);
      }
    }
    for (ServerMessage m : messages) {
      if (!m.isError()) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put(MESSAGE_NUMBER, m.getNumber());
        a.put(MESSAGE_TEXT, m.getMessage());
        root.event("tds.info", responseStart > 0 ? responseStart : end, a);
      }
    }

    root.child(tcpSpan());
    if (tlsStart >= 0 && tlsBeforePrelogin) {
      root.child(tlsSpan());
    }
    if (preloginStart >= 0) {
      root.child(SpanPlan.builder("prelogin", preloginStart).end(preloginEnd)
          .attr(PRELOGIN_CLIENT_VERSION, preloginRequest != null ? String.valueOf(preloginRequest.getVersion()) : null)
          .attr(PRELOGIN_SERVER_VERSION, preloginResponse != null ? String.valueOf(preloginResponse.getVersion()) : null)
          .attr(ENCRYPTION_REQUESTED, encryptionName(preloginRequest))
          .attr(ENCRYPTION_OFFERED, encryptionName(preloginResponse))
          .attr(MARS_REQUESTED, preloginRequest != null ? preloginRequest.getMars() : null)
          .attr(INSTANCE, preloginRequest != null ? emptyToNull(preloginRequest.getInstance()) : null)
          .attr(FEDAUTH_REQUIRED, preloginRequest != null && preloginRequest.getFedAuthRequired() != null
              ? preloginRequest.getFedAuthRequired() != 0 : null)
          .attr(ACTIVITY_ID, preloginRequest != null && preloginRequest.getTraceId() != null
              ? String.valueOf(preloginRequest.getTraceId().getActivityId()) : null)
          .build());
    }
    if ((tlsStart >= 0 && !tlsBeforePrelogin) || (tlsStart < 0 && tlsPhaseStart >= 0)) {
      root.child(tlsSpan());
    }
    if (login7Start >= 0) {
      // With SSPI the first leg starts with LOGIN7: the login7 span then ends where that leg's answer begins.
      SpanPlan.Builder l = SpanPlan.builder("login7", login7Start).end(login7End);
      if (login7 != null) {
        l.attr(DB_USER, emptyToNull(login7.getUserName()))
            .attr(DATABASE_REQUESTED, emptyToNull(login7.getDatabase()))
            .attr(TDS_VERSION_REQUESTED, TdsNames.tdsVersion(login7.getTdsVersion()))
            .attr(PACKET_SIZE_REQUESTED, login7.getPacketSize())
            .attr(APPLICATION_NAME, emptyToNull(login7.getAppName()))
            .attr(LIBRARY_NAME, emptyToNull(login7.getClientInterfaceName()))
            .attr(CLIENT_HOST_NAME, emptyToNull(login7.getHostName()))
            .attr(CLIENT_PID, login7.getClientPid())
            .attr(READ_ONLY_INTENT, login7.isReadOnlyIntent())
            .attr(INTEGRATED_SECURITY, login7.isIntSecurity())
            .attr(CHANGE_PASSWORD, login7.isChangePassword())
            .attr(FEATURES, TdsNames.features(login7));
      }
      root.child(l.build());
    }
    AuthLegEvent slowest = null;
    for (AuthLegEvent leg : authLegs) {
      root.child(AuthLegs.span(leg));
      if (slowest == null || leg.durationNanos() > slowest.durationNanos()) {
        slowest = leg;
      }
    }
    if (slowest != null && authLegs.size() > 0) {
      root.attr("tds.auth.slowest_leg", slowest.name())
          .attr("tds.auth.slowest_leg.duration_ms", slowest.durationNanos() / 1_000_000.0);
    }
    if (responseStart >= 0) {
      boolean failed = error != null && errorDescription != null;
      // With SSPI the login response spans every leg: its own span is the answer to the last leg.
      long answerStart = responseStart;
      if (!authLegs.isEmpty()) {
        AuthLegEvent last = authLegs.get(authLegs.size() - 1);
        answerStart = Math.max(responseStart, last.firstResponseNanos() >= 0 ? last.firstResponseNanos() : last.startNanos());
      }
      SpanPlan.Builder r = SpanPlan.builder(failed ? "login error" : "loginack", answerStart).end(responseEnd);
      if (loginAck != null) {
        r.attr(TDS_VERSION, TdsNames.tdsVersion(loginAck.getTdsVersion()))
            .attr(SERVER_PRODUCT, loginAck.getProgName())
            .attr(SERVER_PRODUCT_VERSION, loginAck.getProgVersion())
            .attr(DB_NAMESPACE, database)
            .attr(PACKET_SIZE, packetSize);
      }
      if (failed) {
        r.error(error.getMessage()).attr(ERROR_TYPE, errorType);
        errorAttributes(r, error);
      }
      root.child(r.build());
    }
    sink.accept(root.build());
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
    loginAck = null;
    messages.clear();
    decodeErrors.clear();
    authLegs.clear();
    authSummary = null;
    clientErrorCause = null;
  }

  private SpanPlan tcpSpan() {
    SpanPlan.Builder b = SpanPlan.builder("tcp connect", start).end(tcpEnd >= 0 ? tcpEnd : start)
        .attr(SERVER_ADDRESS, host).attr(SERVER_PORT, (long) port);
    if (peer != null && peer.getAddress() != null) {
      b.attr(NETWORK_PEER_ADDRESS, peer.getAddress().getHostAddress()).attr(NETWORK_PEER_PORT, (long) peer.getPort());
    }
    if (tcpError != null) {
      b.error(tcpError.getMessage()).attr(ERROR_TYPE, tcpError.getClass().getName());
    }
    return b.build();
  }

  private SpanPlan tlsSpan() {
    long s = tlsStart >= 0 ? tlsStart : tlsPhaseStart;
    long e = tlsStart >= 0 ? (tlsEnd >= 0 ? tlsEnd : s) : tlsPhaseEnd;
    SpanPlan.Builder b = SpanPlan.builder("tls handshake", s).end(e)
        .attr(TLS_PROTOCOL_NAME, "tls")
        .attr(STRICT, strict)
        .attr(TLS_ESTABLISHED, tlsError == null && (tlsVersion != null || serverHello != null));
    if (tlsVersion != null) {
      b.attr(TLS_PROTOCOL_VERSION, tlsVersion).attr(TLS_CIPHER, tlsCipher);
    } else if (serverHello != null) {
      b.attr(TLS_PROTOCOL_VERSION, TdsNames.tlsVersion(serverHello.getSelectedVersionName()))
          .attr(TLS_CIPHER, serverHello.getCipherSuiteName());
    }
    if (clientHello != null) {
      b.attr(TLS_SERVER_NAME, clientHello.getServerName())
          .attr(TLS_CLIENT_OFFERED_VERSIONS, clientHello.getOfferedVersionNames())
          .attr(TLS_CLIENT_SUPPORTED_CIPHERS, clientHello.getCipherSuiteNames());
    }
    if (serverHello != null && serverHello.getAlpnProtocol() != null) {
      b.attr(TLS_NEXT_PROTOCOL, serverHello.getAlpnProtocol());
    }
    if (certSubject != null) {
      b.attr(TLS_SERVER_SUBJECT, certSubject).attr(TLS_SERVER_ISSUER, certIssuer)
          .attr(TLS_SERVER_NOT_BEFORE, certNotBefore).attr(TLS_SERVER_NOT_AFTER, certNotAfter);
    } else if (wireCertificate != null) {
      b.attr(TLS_SERVER_SUBJECT, wireCertificate.getSubject()).attr(TLS_SERVER_ISSUER, wireCertificate.getIssuer())
          .attr(TLS_SERVER_NOT_BEFORE, String.valueOf(wireCertificate.getNotBefore()))
          .attr(TLS_SERVER_NOT_AFTER, String.valueOf(wireCertificate.getNotAfter()));
    }
    if (tlsError != null) {
      b.error(tlsError.getMessage()).attr(ERROR_TYPE, tlsError.getClass().getName());
    } else if (tlsAlert != null) {
      b.attr("tds.tls.alert", tlsAlert);
    }
    return b.build();
  }

  private void encryptionAttributes(SpanPlan.Builder root) {
    root.attr(ENCRYPTION_REQUESTED, strict ? "STRICT" : encryptionName(preloginRequest))
        .attr(ENCRYPTION_NEGOTIATED, negotiatedEncryption())
        .attr(STRICT, strict);
  }

  /** MS-TDS 2.2.6.5: the client's and the server's ENCRYPTION values decide what is encrypted. */
  private String negotiatedEncryption() {
    if (strict) {
      return "strict";
    }
    if (preloginRequest == null || preloginResponse == null) {
      return null;
    }
    EncryptionMode c = preloginRequest.getEncryption();
    EncryptionMode s = preloginResponse.getEncryption();
    if (c == EncryptionMode.NOT_SUP || s == EncryptionMode.NOT_SUP) {
      return "off";
    }
    if (c == EncryptionMode.OFF && s == EncryptionMode.OFF) {
      return "login_only";
    }
    return "on";
  }

  private static String encryptionName(Prelogin p) {
    return p == null || p.getEncryption() == null ? null : p.getEncryption().name();
  }

  private static void errorAttributes(SpanPlan.Builder b, ServerMessage error) {
    b.attr("tds.error.reason", LoginFailures.reason(error.getNumber(), error.getState()))
        .attr(DB_RESPONSE_STATUS_CODE, Long.toString(error.getNumber()))
        .attr(ERROR_STATE, (long) error.getState())
        .attr(ERROR_CLASS, (long) error.getSeverity())
        .attr(ERROR_MESSAGE, error.getMessage())
        .attr(ERROR_SERVER, emptyToNull(error.getServerName()))
        .attr(ERROR_LINE, error.getLineNumber());
  }

  private static String authMethod(Login7 l) {
    if (TdsNames.hasFedAuth(l)) {
      return "fedauth";
    }
    return l.isIntSecurity() ? "integrated" : "sql";
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
