/**
 * The neutral, immutable event model pushed to a TdsEventListener.
 *
 * <p>After the login (or when joined mid-session) each exchange produces, in this order:
 *
 * <ol>
 *   <li>{@code MessageStart}/{@code MessageEnd} of the client message, then {@link
 *       io.tdsagent.tds.event.RequestEvent} (SqlBatch, RpcRequest, TransactionManagerRequest,
 *       BulkLoadRequest, AttentionRequest...);
 *   <li>{@code MessageStart} of the server message, then {@link
 *       io.tdsagent.tds.event.ResponseStartEvent};
 *   <li>in stream order, a {@link io.tdsagent.tds.event.TokenEvent} per decoded token (ColMetadata,
 *       Done, ServerMessage, EnvChange, ReturnStatus, ReturnValue, FeatureExtAck, OtherToken...;
 *       rows are only counted), with a {@link io.tdsagent.tds.event.ResultSetEvent} right after the
 *       DONE* that closes each result set;
 *   <li>{@code MessageEnd} of the server message holding the final DONE (after an Attention: the
 *       DONE_ATTN), then {@link io.tdsagent.tds.event.ResponseEndEvent} with the totals.
 * </ol>
 *
 * An Attention is a RequestEvent of its own; it does not open a new response but marks the
 * outstanding one ({@code cancelRequested}), which stays open until acknowledged. Problems are
 * DecodeErrorEvents (layers "request" and "token"); they never stop the conversation.
 *
 * <p>MARS ({@code ConnectionDecoder}): after a login that agreed on MARS, the connection carries
 * SMP. Then come {@link io.tdsagent.tds.event.SmpSessionEvent} OPENED at each SYN and CLOSED at the
 * second FIN (or when the connection ends), {@link io.tdsagent.tds.event.SmpWindowStallEvent} when
 * a sender waited for a window update, DecodeErrorEvents of layer "smp", and every event of a
 * session's own conversation, in the order above, wrapped in an {@link
 * io.tdsagent.tds.event.SmpTdsEvent} carrying its SID. Sessions interleave freely; within one SID
 * the order is the one above.
 */
package io.tdsagent.tds.event;
