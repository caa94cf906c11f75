/** SPNEGO NegTokenInit and NegTokenResp (RFC 4178), with their inner tokens decoded. */
package io.tdsagent.tds.sspi.spnego;
