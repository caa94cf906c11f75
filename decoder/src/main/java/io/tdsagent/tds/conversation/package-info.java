/**
 * One connection's decoder, the part the agent and the replay tool drive with bytes.
 *
 * <ul>
 *   <li>{@link io.tdsagent.tds.conversation.TdsConversation}: the public entry point for one TDS
 *       stream; routes between the parts below and never throws.
 *   <li>{@code MessageAssembler}: one per direction; frames bytes into messages and collects each
 *       for its {@code MessageUse}.
 *   <li>{@code LoginStateMachine}: the login phases (PRELOGIN, TLS handshake, LOGIN7, SSPI legs,
 *       login response), with {@code LoginResponseTracker} (the outcome), {@code AuthLegTracker}
 *       (authentication round trips) and {@code TlsTap} (TLS handshake events).
 *   <li>{@code ExchangeTracker}: after the login, each request paired with its response.
 *   <li>{@link io.tdsagent.tds.conversation.ConnectionDecoder}: a whole connection, MARS (SMP)
 *       sessions included, one TdsConversation per session.
 *   <li>{@link io.tdsagent.tds.conversation.DecoderLimits}: the memory bounds of all of them.
 * </ul>
 */
package io.tdsagent.tds.conversation;
