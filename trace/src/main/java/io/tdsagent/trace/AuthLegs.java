package io.tdsagent.trace;

import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.sspi.SspiAuthSummary;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import io.tdsagent.tds.sspi.kerberos.KerberosApRep;
import io.tdsagent.tds.sspi.kerberos.KerberosApReq;
import io.tdsagent.tds.sspi.kerberos.KerberosError;
import io.tdsagent.tds.sspi.ntlm.NtlmAuthenticate;
import io.tdsagent.tds.sspi.ntlm.NtlmAvPairs;
import io.tdsagent.tds.sspi.ntlm.NtlmChallenge;
import io.tdsagent.tds.sspi.ntlm.NtlmNegotiate;
import io.tdsagent.tds.sspi.spnego.NegTokenInit;
import io.tdsagent.tds.sspi.spnego.NegTokenResp;

/**
 * One span per authentication round trip (client payload, server answer), named after the
 * mechanism and messages ({@code ntlm negotiate/challenge}, {@code kerberos ap-req}), with what
 * the decoded SSPI messages safely show: names, flags, target information, Kerberos realm,
 * service principal and ticket encryption type, KRB-ERROR codes. Never a response, challenge,
 * ticket or key: the decoder keeps none.
 */
final class AuthLegs {
  private AuthLegs() {}

  static SpanPlan span(AuthLegEvent leg) {
    SpanPlan.Builder b = SpanPlan.builder(leg.name(), leg.startNanos()).end(leg.endNanos())
        .attr("tds.auth.leg", (long) leg.index())
        .attr("tds.auth.mechanism", leg.mechanism())
        .attr("tds.auth.leg.result", leg.result().name().toLowerCase(java.util.Locale.ROOT));
    if (leg.firstResponseNanos() >= 0) {
      b.event("tds.response.first_byte", leg.firstResponseNanos(), java.util.Collections.emptyMap());
    }
    describe(b, leg.request(), "tds.auth.request");
    describe(b, leg.response(), "tds.auth.response");
    if (leg.result() == AuthLegEvent.Result.REJECTED) {
      b.error("the server rejected this authentication step");
    }
    SspiMessage answer = leg.response() == null ? null : leg.response().getInnermost();
    if (answer instanceof KerberosError) {
      KerberosError e = (KerberosError) answer;
      b.error("Kerberos error " + e.getErrorCode() + " " + e.getErrorName())
          .attr(TdsAttributes.ERROR_TYPE, e.getErrorName());
    }
    return b.build();
  }

  /** DOMAIN\\user from an NTLM AUTHENTICATE, for integrated logins whose LOGIN7 names no user. */
  static String user(java.util.List<AuthLegEvent> legs) {
    for (AuthLegEvent leg : legs) {
      SspiMessage m = leg.request() == null ? null : leg.request().getInnermost();
      if (m instanceof NtlmAuthenticate) {
        NtlmAuthenticate a = (NtlmAuthenticate) m;
        String user = blankToNull(a.getUserName());
        String domain = blankToNull(a.getDomainName());
        return user == null ? null : domain == null ? user : domain + "\\" + user;
      }
    }
    return null;
  }

  /** The login span's {@code tds.auth.method} from what the legs carried. */
  static String method(SspiAuthSummary s, String fallback) {
    if (s == null) {
      return fallback;
    }
    if (s.isSpnego()) {
      return "negotiate";
    }
    if (s.isKerberosUsed()) {
      return "kerberos";
    }
    if (s.isNtlmUsed()) {
      return "ntlm";
    }
    return fallback;
  }

  private static void describe(SpanPlan.Builder b, SspiMessage m, String prefix) {
    if (m == null) {
      return;
    }
    b.attr(prefix + ".message", m.getDescription());
    if (m instanceof NegTokenInit) {
      NegTokenInit init = (NegTokenInit) m;
      b.attr("tds.spnego.offers_kerberos", init.offersKerberos()).attr("tds.spnego.offers_ntlm", init.offersNtlm());
    } else if (m instanceof NegTokenResp && ((NegTokenResp) m).getNegState() != null) {
      b.attr("tds.spnego.neg_state", ((NegTokenResp) m).getNegState().label());
    }
    SspiMessage inner = m.getInnermost();
    if (inner instanceof NtlmNegotiate) {
      NtlmNegotiate n = (NtlmNegotiate) inner;
      b.attr("tds.ntlm.negotiate.domain", blankToNull(n.getDomainName()))
          .attr("tds.ntlm.negotiate.workstation", blankToNull(n.getWorkstation()))
          .attr("tds.ntlm.negotiate.flags", n.getFlagNames());
    } else if (inner instanceof NtlmChallenge) {
      NtlmChallenge c = (NtlmChallenge) inner;
      b.attr("tds.ntlm.target_name", blankToNull(c.getTargetName()));
      NtlmAvPairs t = c.getTargetInfo();
      if (t != null) {
        b.attr("tds.ntlm.server.netbios_computer", t.getNbComputerName())
            .attr("tds.ntlm.server.netbios_domain", t.getNbDomainName())
            .attr("tds.ntlm.server.dns_computer", t.getDnsComputerName())
            .attr("tds.ntlm.server.dns_domain", t.getDnsDomainName())
            .attr("tds.ntlm.server.timestamp", t.getTimestamp() == null ? null : t.getTimestamp().toString());
      }
    } else if (inner instanceof NtlmAuthenticate) {
      NtlmAuthenticate a = (NtlmAuthenticate) inner;
      b.attr("tds.ntlm.domain", blankToNull(a.getDomainName()))
          .attr("tds.ntlm.user", blankToNull(a.getUserName()))
          .attr("tds.ntlm.workstation", blankToNull(a.getWorkstation()))
          .attr("tds.ntlm.version", a.isNtlmV2() ? "NTLMv2" : "NTLMv1")
          .attr("tds.ntlm.mic", a.getResponseAvPairs() != null && (a.getResponseAvPairs().getFlags() & 0x2) != 0)
          .attr("tds.ntlm.channel_bindings", a.hasChannelBindings())
          .attr("tds.ntlm.anonymous", a.isAnonymous());
    } else if (inner instanceof KerberosApReq) {
      KerberosApReq r = (KerberosApReq) inner;
      b.attr("tds.kerberos.realm", r.getRealm())
          .attr("tds.kerberos.service_principal", r.getServicePrincipal())
          .attr("tds.kerberos.ticket_etype", r.getTicketEtypeName())
          .attr("tds.kerberos.mutual_required", r.isMutualRequired());
    } else if (inner instanceof KerberosApRep) {
      b.attr("tds.kerberos.ap_rep_etype", ((KerberosApRep) inner).getEncPartEtypeName());
    } else if (inner instanceof KerberosError) {
      KerberosError e = (KerberosError) inner;
      b.attr("tds.kerberos.error_code", (long) e.getErrorCode())
          .attr("tds.kerberos.error_name", e.getErrorName())
          .attr("tds.kerberos.realm", e.getRealm())
          .attr("tds.kerberos.service_principal", e.getSname() == null ? null : e.getSname().toString())
          .attr("tds.kerberos.e_text", e.getEText());
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
