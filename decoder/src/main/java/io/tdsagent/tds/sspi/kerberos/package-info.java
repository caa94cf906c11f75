/** Kerberos AP-REQ, AP-REP and KRB-ERROR (RFC 4120) in krb5 GSS framing (RFC 4121) or bare. */
package io.tdsagent.tds.sspi.kerberos;
