/**
 * What every SSPI mechanism decoder shares: the {@link
 * io.tdsagent.tds.sspi.mechanism.SspiMechanism} a blob belongs to, the GSS-API object identifiers
 * that name them, and {@link io.tdsagent.tds.sspi.mechanism.SspiMessage}, the base of every decoded
 * token. Kept apart from {@code tds.sspi} so the mechanism subpackages do not depend on the
 * classifier that dispatches to them.
 */
package io.tdsagent.tds.sspi.mechanism;
