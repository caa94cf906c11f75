/**
 * SSPI payloads: {@link io.tdsagent.tds.sspi.SspiDecoder} classifies a blob (NTLM, SPNEGO, Kerberos) and decodes it
 * into an immutable {@link io.tdsagent.tds.sspi.SspiMessage} that keeps names, flags and lengths but never a
 * credential-derived value. Mechanisms live in subpackages; {@code der} is the DER reader SPNEGO and Kerberos share.
 */
package io.tdsagent.tds.sspi;
