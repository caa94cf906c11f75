package io.tdsagent.trace;

import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.sspi.SspiAuthSummary;
import io.tdsagent.tds.sspi.kerberos.KerberosApRep;
import io.tdsagent.tds.sspi.kerberos.KerberosApReq;
import io.tdsagent.tds.sspi.kerberos.KerberosError;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import io.tdsagent.tds.sspi.ntlm.NtlmAuthenticate;
import io.tdsagent.tds.sspi.ntlm.NtlmAvPairs;
import io.tdsagent.tds.sspi.ntlm.NtlmChallenge;
import io.tdsagent.tds.sspi.ntlm.NtlmNegotiate;
import io.tdsagent.tds.sspi.spnego.NegTokenInit;
import io.tdsagent.tds.sspi.spnego.NegTokenResp;

/**
 * One span per authentication round trip (client payload, server answer), named after the mechanism
 * and messages ({@code ntlm negotiate/challenge}, {@code kerberos ap-req}), with what the decoded
 * SSPI messages safely show: names, flags, target information, Kerberos realm, service principal
 * and ticket encryption type, KRB-ERROR codes. Never a response, challenge, ticket or key: the
 * decoder keeps none.
 */
final class AuthLegs {
  private AuthLegs() {}

  static SpanPlan span(AuthLegEvent leg) {
    SpanPlan.Builder b =
        SpanPlan.builder(leg.name(), leg.startNanos())
            .end(leg.endNanos())
            .attr("tds.auth.leg", (long) leg.index())
            .attr("tds.auth.mechanism", leg.mechanism())
            .attr("tds.auth.leg.result", leg.result().name().toLowerCase(java.util.Locale.ROOT));
    if (leg.firstResponseNanos() >= 0) {
      b.event(
          "tds.response.first_byte", leg.firstResponseNanos(), java.util.Collections.emptyMap());
    }
    describe(b, leg.request(), "tds.auth.request");
    describe(b, leg.response(), "tds.auth.response");
    if (leg.result() == AuthLegEvent.Result.REJECTED) {
      b.error("the server rejected this authentication step");
    }
    SspiMessage answer = leg.response() == null ? null : leg.response().innermost();
    if (answer instanceof KerberosError) {
      KerberosError e = (KerberosError) answer;
      b.error("Kerberos error " + e.errorCode() + " " + e.errorName())
          .attr(TdsAttributes.ERROR_TYPE, e.errorName());
    }
    return b.build();
  }

  /** DOMAIN\\user from an NTLM AUTHENTICATE, for integrated logins whose LOGIN7 names no user. */
  static String user(java.util.List<AuthLegEvent> legs) {
    for (AuthLegEvent leg : legs) {
      SspiMessage m = leg.request() == null ? null : leg.request().innermost();
      if (m instanceof NtlmAuthenticate) {
        NtlmAuthenticate a = (NtlmAuthenticate) m;
        String user = blankToNull(a.userName());
        String domain = blankToNull(a.domainName());
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
    b.attr(prefix + ".message", m.description());
    if (m instanceof NegTokenInit) {
      NegTokenInit init = (NegTokenInit) m;
      b.attr("tds.spnego.offers_kerberos", init.offersKerberos())
          .attr("tds.spnego.offers_ntlm", init.offersNtlm());
    } else if (m instanceof NegTokenResp && ((NegTokenResp) m).negState() != null) {
      b.attr("tds.spnego.neg_state", ((NegTokenResp) m).negState().label());
    }
    SspiMessage inner = m.innermost();
    if (inner instanceof NtlmNegotiate) {
      NtlmNegotiate n = (NtlmNegotiate) inner;
      b.attr("tds.ntlm.negotiate.domain", blankToNull(n.domainName()))
          .attr("tds.ntlm.negotiate.workstation", blankToNull(n.workstation()))
          .attr("tds.ntlm.negotiate.flags", n.flagNames());
    } else if (inner instanceof NtlmChallenge) {
      NtlmChallenge c = (NtlmChallenge) inner;
      b.attr("tds.ntlm.target_name", blankToNull(c.targetName()));
      NtlmAvPairs t = c.targetInfo();
      if (t != null) {
        b.attr("tds.ntlm.server.netbios_computer", t.nbComputerName())
            .attr("tds.ntlm.server.netbios_domain", t.nbDomainName())
            .attr("tds.ntlm.server.dns_computer", t.dnsComputerName())
            .attr("tds.ntlm.server.dns_domain", t.dnsDomainName())
            .attr(
                "tds.ntlm.server.timestamp",
                t.timestamp() == null ? null : t.timestamp().toString());
      }
    } else if (inner instanceof NtlmAuthenticate) {
      NtlmAuthenticate a = (NtlmAuthenticate) inner;
      b.attr("tds.ntlm.domain", blankToNull(a.domainName()))
          .attr("tds.ntlm.user", blankToNull(a.userName()))
          .attr("tds.ntlm.workstation", blankToNull(a.workstation()))
          .attr("tds.ntlm.version", a.isNtlmV2() ? "NTLMv2" : "NTLMv1")
          .attr(
              "tds.ntlm.mic",
              a.responseAvPairs() != null && (a.responseAvPairs().flags() & 0x2) != 0)
          .attr("tds.ntlm.channel_bindings", a.hasChannelBindings())
          .attr("tds.ntlm.anonymous", a.isAnonymous());
    } else if (inner instanceof KerberosApReq) {
      KerberosApReq r = (KerberosApReq) inner;
      b.attr("tds.kerberos.realm", r.realm())
          .attr("tds.kerberos.service_principal", r.servicePrincipal())
          .attr("tds.kerberos.ticket_etype", r.ticketEtypeName())
          .attr("tds.kerberos.mutual_required", r.isMutualRequired());
    } else if (inner instanceof KerberosApRep) {
      b.attr("tds.kerberos.ap_rep_etype", ((KerberosApRep) inner).encPartEtypeName());
    } else if (inner instanceof KerberosError) {
      KerberosError e = (KerberosError) inner;
      b.attr("tds.kerberos.error_code", (long) e.errorCode())
          .attr("tds.kerberos.error_name", e.errorName())
          .attr("tds.kerberos.realm", e.realm())
          .attr("tds.kerberos.service_principal", e.sname() == null ? null : e.sname().toString())
          .attr("tds.kerberos.e_text", e.eText());
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
