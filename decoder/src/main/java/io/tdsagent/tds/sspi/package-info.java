/**
 * SSPI payloads: {@link io.tdsagent.tds.sspi.SspiDecoder} classifies a blob (NTLM, SPNEGO,
 * Kerberos) and decodes it into an immutable {@link io.tdsagent.tds.sspi.mechanism.SspiMessage}
 * that keeps names, flags and lengths but never a credential-derived value. Mechanisms live in
 * subpackages, sharing the base types in {@code mechanism}; {@code der} is the DER reader SPNEGO
 * and Kerberos share.
 */
package io.tdsagent.tds.sspi;
