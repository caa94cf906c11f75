package io.tdsagent.trace;

import static io.tdsagent.trace.TdsAttributes.*;

import io.tdsagent.tds.diagnosis.LoginFailures;
import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.login.Login7;
import io.tdsagent.tds.prelogin.EncryptionMode;
import io.tdsagent.tds.prelogin.Prelogin;
import io.tdsagent.tds.sspi.SspiAuthSummary;
import io.tdsagent.tds.tls.ClientHello;
import io.tdsagent.tds.tls.ServerCertificate;
import io.tdsagent.tds.tls.ServerHello;
import io.tdsagent.tds.token.LoginAck;
import io.tdsagent.tds.token.ServerMessage;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One connection attempt as the driver's thread saw it when its login ended: the decoded messages,
 * the clock readings and the hooks' findings, nothing derived. The {@code SQL Server login} span's
 * attributes, events and children (one per step) are made from it on the export thread ({@link
 * #complete}), as request spans are from {@link RequestRecord}: the driver's thread pays for one
 * copy of the builder's fields, not for the span tree, nor for formatting the server certificate's
 * names.
 */
final class LoginRecord implements SpanPlan.Deferred {
  /** On a raced socket's tcp connect: how it ended ({@link ParallelConnect}). */
  static final String TCP_OUTCOME = "tds.tcp.outcome";

  final String host;
  final int port;
  final long start;
  final long tcpStart;
  final int attempt;
  final long end;
  final LoginOutcomeEvent outcome;
  final String errorDescription;
  final String errorType;

  final long tcpEnd;
  final Throwable tcpError;
  final InetSocketAddress peer;

  final long tlsStart;
  final long tlsEnd;
  final boolean strict;
  final Throwable tlsError;
  final boolean tlsBeforePrelogin;
  final String tlsVersion;
  final String tlsCipher;
  final X509Certificate certificate;
  final ClientHello clientHello;
  final ServerHello serverHello;
  final ServerCertificate wireCertificate;
  final String tlsAlert;

  final Prelogin preloginRequest;
  final Prelogin preloginResponse;
  final long preloginStart;
  final long preloginEnd;
  final long tlsPhaseStart;
  final long tlsPhaseEnd;
  final Login7 login7;
  final long login7Start;
  final long login7End;
  final long responseStart;
  final long responseEnd;

  final LoginAck loginAck;
  final String database;
  final String packetSize;
  final List<ServerMessage> messages;
  final List<String> decodeErrors;
  final List<AuthLegEvent> authLegs;
  final List<ParallelConnect> parallelConnects;
  final SspiAuthSummary authSummary;

  final long loginTimeoutMillis;
  final long preloginSent;
  final long login7Sent;
  final long sspiSent;
  final String sspiSentName;
  final long serverMessageEnd;
  final boolean tlsAlertFromServer;
  final String tlsAlertDescription;
  final long serverClosed;
  final String clientError;
  final Throwable clientErrorCause;

  /**
   * Takes the builder's values as they are now; its lists are copied (the builder is emptied
   * after).
   */
  LoginRecord(
      LoginTraceBuilder b,
      long end,
      LoginOutcomeEvent outcome,
      String errorDescription,
      String errorType) {
    this.host = b.host;
    this.port = b.port;
    this.start = b.start;
    this.tcpStart = b.tcpStart;
    this.attempt = b.attempt != null ? b.attempt.number() : 0;
    this.end = end;
    this.outcome = outcome;
    this.errorDescription = errorDescription;
    this.errorType = errorType;
    this.tcpEnd = b.tcpEnd;
    this.tcpError = b.tcpError;
    this.peer = b.peer;
    this.tlsStart = b.tlsStart;
    this.tlsEnd = b.tlsEnd;
    this.strict = b.strict;
    this.tlsError = b.tlsError;
    this.tlsBeforePrelogin = b.tlsBeforePrelogin;
    this.tlsVersion = b.tlsVersion;
    this.tlsCipher = b.tlsCipher;
    this.certificate = b.certificate;
    this.clientHello = b.clientHello;
    this.serverHello = b.serverHello;
    this.wireCertificate = b.wireCertificate;
    this.tlsAlert = b.tlsAlert;
    this.preloginRequest = b.preloginRequest;
    this.preloginResponse = b.preloginResponse;
    this.preloginStart = b.preloginStart;
    this.preloginEnd = b.preloginEnd;
    this.tlsPhaseStart = b.tlsPhaseStart;
    this.tlsPhaseEnd = b.tlsPhaseEnd;
    this.login7 = b.login7;
    this.login7Start = b.login7Start;
    this.login7End = b.login7End;
    this.responseStart = b.responseStart;
    this.responseEnd = b.responseEnd;
    this.loginAck = b.loginAck;
    this.database = b.database;
    this.packetSize = b.packetSize;
    this.messages = List.copyOf(b.messages);
    this.decodeErrors = List.copyOf(b.decodeErrors);
    this.authLegs = List.copyOf(b.authLegs);
    this.parallelConnects =
        b.parallelConnects.isEmpty() ? List.of() : List.copyOf(b.parallelConnects);
    this.authSummary = b.authSummary;
    this.loginTimeoutMillis = b.loginTimeoutMillis;
    this.preloginSent = b.preloginSent;
    this.login7Sent = b.login7Sent;
    this.sspiSent = b.sspiSent;
    this.sspiSentName = b.sspiSentName;
    this.serverMessageEnd = b.serverMessageEnd;
    this.tlsAlertFromServer = b.tlsAlertFromServer;
    this.tlsAlertDescription = b.tlsAlertDescription;
    this.serverClosed = b.serverClosed;
    this.clientError = b.clientError;
    this.clientErrorCause = b.clientErrorCause;
  }

  @Override
  public void complete(SpanPlan.Builder root) {
    root.attr(DB_SYSTEM_NAME, DB_SYSTEM_NAME_VALUE)
        .attr(SERVER_ADDRESS, host)
        .attr(SERVER_PORT, (long) port);
    if (attempt > 0) {
      root.attr(LoginAttempts.ATTEMPT, (long) attempt);
    }
    if (tcpStart > start) {
      // The application asked before the driver opened its socket: the driver's set-up (or a first
      // use's) is waited for too.
      root.attr(LoginAttempts.BEFORE_CONNECT_MS, (tcpStart - start) / 1_000_000.0);
    }
    if (peer != null && peer.getAddress() != null) {
      root.attr(NETWORK_PEER_ADDRESS, peer.getAddress().getHostAddress())
          .attr(NETWORK_PEER_PORT, (long) peer.getPort());
    }
    // The database entered (ENVCHANGE); before or without one, the requested one, which
    // tds.database.requested names.
    root.attr(
        DB_NAMESPACE,
        database != null ? database : login7 != null ? emptyToNull(login7.database()) : null);
    if (login7 != null) {
      root.attr(DATABASE_REQUESTED, emptyToNull(login7.database()));
      root.attr(
              DB_USER,
              emptyToNull(login7.userName()) != null ? login7.userName() : AuthLegs.user(authLegs))
          .attr(APPLICATION_NAME, emptyToNull(login7.appName()))
          .attr(LIBRARY_NAME, emptyToNull(login7.clientInterfaceName()))
          .attr(TDS_VERSION_REQUESTED, TdsNames.tdsVersion(login7.tdsVersion()))
          .attr(AUTH_METHOD, AuthLegs.method(authSummary, authMethod(login7)));
    }
    if (authSummary != null && authSummary.isKerberosRequestedButNtlmUsed()) {
      root.attr("tds.auth.kerberos_fallback_to_ntlm", true);
    }
    if (authSummary != null && authSummary.isAnonymous()) {
      root.attr("tds.auth.anonymous", true);
    }
    if (preloginRequest != null && preloginRequest.traceId() != null) {
      root.attr(CLIENT_CONNECTION_ID, String.valueOf(preloginRequest.traceId().connectionId()));
    }
    root.attr(ENCRYPTION_REQUESTED, strict ? "STRICT" : encryptionName(preloginRequest))
        .attr(ENCRYPTION_NEGOTIATED, negotiatedEncryption())
        .attr(STRICT, strict);
    if (tlsVersion != null) {
      root.attr(TLS_PROTOCOL_VERSION, tlsVersion).attr(TLS_CIPHER, tlsCipher);
    } else if (serverHello != null) {
      // no driver hook (a capture): the server's choice as the ServerHello says it
      root.attr(TLS_PROTOCOL_VERSION, TdsNames.tlsVersion(serverHello.selectedVersionName()))
          .attr(TLS_CIPHER, serverHello.cipherSuiteName());
    }
    if (loginAck != null) {
      root.attr(TDS_VERSION, TdsNames.tdsVersion(loginAck.tdsVersion()))
          .attr(SERVER_PRODUCT, loginAck.progName())
          .attr(SERVER_PRODUCT_VERSION, loginAck.progVersion());
    } else if (preloginResponse != null && preloginResponse.version() != null) {
      // A failed login has no LOGINACK; the server gave its version in PRELOGIN already.
      root.attr(SERVER_PRODUCT_VERSION, String.valueOf(preloginResponse.version()));
    }
    if (packetSize != null) {
      root.attr(PACKET_SIZE, packetSize);
    }
    if (outcome != null) {
      root.attr(LOGIN_OUTCOME, outcome.outcome().name().toLowerCase(Locale.ROOT));
      if (outcome.routingServer() != null) {
        root.attr(ROUTING_SERVER, outcome.routingServer())
            .attr(ROUTING_PORT, (long) outcome.routingPort());
      }
    }
    String certificateError =
        certificate == null && wireCertificate != null ? wireCertificate.parseError() : null;
    if (!decodeErrors.isEmpty() || certificateError != null) {
      List<String> all = new ArrayList<>(decodeErrors);
      if (certificateError != null) {
        all.add("tls: " + certificateError);
      }
      root.attr(DECODE_ERROR, String.join("; ", all));
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
        a.put(MESSAGE_NUMBER, m.number());
        a.put(MESSAGE_TEXT, m.message());
        root.event("tds.info", responseStart > 0 ? responseStart : end, a);
      }
    }

    if (parallelConnects.isEmpty()) {
      root.child(budgeted(tcpSpan()));
    } else {
      // raced over several addresses: one tcp connect per socket, siblings, each with its address
      // and outcome
      for (ParallelConnect p : parallelConnects) {
        root.child(budgeted(parallelTcpSpan(p)));
      }
    }
    boolean tls = tlsStart >= 0 || tlsPhaseStart >= 0;
    if (tls && tlsBeforePrelogin) {
      root.child(budgeted(tlsSpan()));
    }
    if (preloginStart >= 0) {
      root.child(budgeted(preloginSpan()));
    }
    if (tls && !tlsBeforePrelogin) {
      root.child(budgeted(tlsSpan()));
    }
    if (login7Start >= 0) {
      root.child(budgeted(login7Span()));
    }
    AuthLegEvent slowest = null;
    for (AuthLegEvent leg : authLegs) {
      root.child(budgeted(AuthLegs.span(leg)));
      if (slowest == null || leg.durationNanos() > slowest.durationNanos()) {
        slowest = leg;
      }
    }
    if (slowest != null) {
      root.attr("tds.auth.slowest_leg", slowest.name())
          .attr("tds.auth.slowest_leg.duration_ms", slowest.durationNanos() / 1_000_000.0);
    }
    if (responseStart >= 0) {
      root.child(budgeted(responseSpan(error)));
    }
    LoginVerdict.describe(this, root);
  }

  /**
   * {@code tds.login.budget_used}: the share of the driver's login timeout this step took (0.25 = a
   * quarter).
   */
  private SpanPlan budgeted(SpanPlan plan) {
    if (loginTimeoutMillis <= 0) {
      return plan;
    }
    return plan.withAttribute(
        LoginVerdict.BUDGET_USED,
        LoginVerdict.share(plan.endNanos() - plan.startNanos(), loginTimeoutMillis));
  }

  private SpanPlan tcpSpan() {
    SpanPlan.Builder b =
        SpanPlan.builder("tcp connect", tcpStart)
            .end(tcpEnd >= 0 ? tcpEnd : tcpStart)
            .attr(SERVER_ADDRESS, host)
            .attr(SERVER_PORT, (long) port);
    if (peer != null && peer.getAddress() != null) {
      b.attr(NETWORK_PEER_ADDRESS, peer.getAddress().getHostAddress())
          .attr(NETWORK_PEER_PORT, (long) peer.getPort());
    }
    if (tcpError != null) {
      b.error(tcpError.getMessage()).attr(ERROR_TYPE, tcpError.getClass().getName());
    }
    return b.build();
  }

  private SpanPlan parallelTcpSpan(ParallelConnect p) {
    SpanPlan.Builder b =
        SpanPlan.builder("tcp connect", p.start)
            .end(p.end)
            .attr(SERVER_ADDRESS, host)
            .attr(SERVER_PORT, (long) port)
            .attr(NETWORK_PEER_ADDRESS, p.address)
            .attr(NETWORK_PEER_PORT, (long) p.port)
            .attr(TCP_OUTCOME, p.outcome);
    if (p.error != null) {
      b.attr("tds.tcp.error", p.error);
    }
    if (ParallelConnect.FAILED.equals(p.outcome)) {
      b.error(p.error).attr(ERROR_TYPE, p.errorType);
    }
    return b.build();
  }

  private SpanPlan preloginSpan() {
    return SpanPlan.builder("prelogin", preloginStart)
        .end(preloginEnd)
        .attr(
            PRELOGIN_CLIENT_VERSION,
            preloginRequest != null ? String.valueOf(preloginRequest.version()) : null)
        .attr(
            PRELOGIN_SERVER_VERSION,
            preloginResponse != null ? String.valueOf(preloginResponse.version()) : null)
        .attr(ENCRYPTION_REQUESTED, encryptionName(preloginRequest))
        .attr(ENCRYPTION_OFFERED, encryptionName(preloginResponse))
        .attr(MARS_REQUESTED, preloginRequest != null ? preloginRequest.mars() : null)
        .attr(INSTANCE, preloginRequest != null ? emptyToNull(preloginRequest.instance()) : null)
        .attr(
            FEDAUTH_REQUIRED,
            preloginRequest != null && preloginRequest.fedAuthRequired() != null
                ? preloginRequest.fedAuthRequired() != 0
                : null)
        .attr(
            ACTIVITY_ID,
            preloginRequest != null && preloginRequest.traceId() != null
                ? String.valueOf(preloginRequest.traceId().activityId())
                : null)
        .build();
  }

  private SpanPlan tlsSpan() {
    long s = tlsStart >= 0 ? tlsStart : tlsPhaseStart;
    long e = tlsStart >= 0 ? (tlsEnd >= 0 ? tlsEnd : s) : tlsPhaseEnd;
    SpanPlan.Builder b =
        SpanPlan.builder("tls handshake", s)
            .end(e)
            .attr(TLS_PROTOCOL_NAME, "tls")
            .attr(STRICT, strict)
            .attr(TLS_ESTABLISHED, tlsError == null && (tlsVersion != null || serverHello != null));
    if (tlsVersion != null) {
      b.attr(TLS_PROTOCOL_VERSION, tlsVersion).attr(TLS_CIPHER, tlsCipher);
    } else if (serverHello != null) {
      b.attr(TLS_PROTOCOL_VERSION, TdsNames.tlsVersion(serverHello.selectedVersionName()))
          .attr(TLS_CIPHER, serverHello.cipherSuiteName());
    }
    if (clientHello != null) {
      b.attr(TLS_SERVER_NAME, clientHello.serverName())
          .attr(TLS_CLIENT_OFFERED_VERSIONS, clientHello.offeredVersionNames())
          .attr(TLS_CLIENT_SUPPORTED_CIPHERS, clientHello.cipherSuiteNames());
    }
    if (serverHello != null && serverHello.alpnProtocol() != null) {
      b.attr(TLS_NEXT_PROTOCOL, serverHello.alpnProtocol());
    }
    if (certificate != null) {
      // From the driver's TLS session (under TLS 1.3 the certificate is encrypted on the wire).
      b.attr(TLS_SERVER_SUBJECT, certificate.getSubjectX500Principal().getName())
          .attr(TLS_SERVER_ISSUER, certificate.getIssuerX500Principal().getName())
          .attr(TLS_SERVER_NOT_BEFORE, IsoTime.format(certificate.getNotBefore().getTime()))
          .attr(TLS_SERVER_NOT_AFTER, IsoTime.format(certificate.getNotAfter().getTime()));
    } else if (wireCertificate != null) {
      b.attr(TLS_SERVER_SUBJECT, wireCertificate.subject())
          .attr(TLS_SERVER_ISSUER, wireCertificate.issuer())
          .attr(TLS_SERVER_NOT_BEFORE, IsoTime.format(wireCertificate.notBefore()))
          .attr(TLS_SERVER_NOT_AFTER, IsoTime.format(wireCertificate.notAfter()));
    }
    if (tlsError != null) {
      b.error(tlsError.getMessage()).attr(ERROR_TYPE, tlsError.getClass().getName());
    } else if (tlsAlert != null) {
      b.attr("tds.tls.alert", tlsAlert);
    }
    return b.build();
  }

  /**
   * With SSPI the first leg starts with LOGIN7: the login7 span then ends where that leg's answer
   * begins.
   */
  private SpanPlan login7Span() {
    SpanPlan.Builder l = SpanPlan.builder("login7", login7Start).end(login7End);
    if (login7 != null) {
      l.attr(DB_USER, emptyToNull(login7.userName()))
          .attr(DATABASE_REQUESTED, emptyToNull(login7.database()))
          .attr(TDS_VERSION_REQUESTED, TdsNames.tdsVersion(login7.tdsVersion()))
          .attr(PACKET_SIZE_REQUESTED, login7.packetSize())
          .attr(APPLICATION_NAME, emptyToNull(login7.appName()))
          .attr(LIBRARY_NAME, emptyToNull(login7.clientInterfaceName()))
          .attr(CLIENT_HOST_NAME, emptyToNull(login7.hostName()))
          .attr(CLIENT_PID, login7.clientPid())
          .attr(READ_ONLY_INTENT, login7.isReadOnlyIntent())
          .attr(INTEGRATED_SECURITY, login7.isIntSecurity())
          .attr(CHANGE_PASSWORD, login7.isChangePassword())
          .attr(FEATURES, TdsNames.features(login7));
    }
    return l.build();
  }

  /** With SSPI the login response spans every leg: its own span is the answer to the last leg. */
  private SpanPlan responseSpan(ServerMessage error) {
    boolean failed = error != null && errorDescription != null;
    long answerStart = responseStart;
    if (!authLegs.isEmpty()) {
      AuthLegEvent last = authLegs.get(authLegs.size() - 1);
      answerStart =
          Math.max(
              responseStart,
              last.firstResponseNanos() >= 0 ? last.firstResponseNanos() : last.startNanos());
    }
    SpanPlan.Builder r =
        SpanPlan.builder(failed ? "login error" : "loginack", answerStart).end(responseEnd);
    if (loginAck != null) {
      r.attr(TDS_VERSION, TdsNames.tdsVersion(loginAck.tdsVersion()))
          .attr(SERVER_PRODUCT, loginAck.progName())
          .attr(SERVER_PRODUCT_VERSION, loginAck.progVersion())
          .attr(DB_NAMESPACE, database)
          .attr(PACKET_SIZE, packetSize);
    }
    if (failed) {
      r.error(error.message()).attr(ERROR_TYPE, errorType);
      errorAttributes(r, error);
    }
    return r.build();
  }

  /** MS-TDS 2.2.6.5: the client's and the server's ENCRYPTION values decide what is encrypted. */
  private String negotiatedEncryption() {
    if (strict) {
      return "strict";
    }
    if (preloginRequest == null || preloginResponse == null) {
      return null;
    }
    EncryptionMode c = preloginRequest.encryption();
    EncryptionMode s = preloginResponse.encryption();
    if (c == EncryptionMode.NOT_SUP || s == EncryptionMode.NOT_SUP) {
      return "off";
    }
    if (c == EncryptionMode.OFF && s == EncryptionMode.OFF) {
      return "login_only";
    }
    return "on";
  }

  private static String encryptionName(Prelogin p) {
    return p == null || p.encryption() == null ? null : p.encryption().name();
  }

  private static void errorAttributes(SpanPlan.Builder b, ServerMessage error) {
    b.attr("tds.error.reason", LoginFailures.reason(error.number(), error.state()))
        .attr(DB_RESPONSE_STATUS_CODE, Long.toString(error.number()))
        .attr(ERROR_STATE, (long) error.state())
        .attr(ERROR_CLASS, (long) error.severity())
        .attr(ERROR_MESSAGE, error.message())
        .attr(ERROR_SERVER, emptyToNull(error.serverName()))
        .attr(ERROR_LINE, error.lineNumber());
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
