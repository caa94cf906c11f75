package io.tdsagent.capture;

import io.tdsagent.tds.event.Direction;

/** In-order TCP payload per connection and direction, as {@link TcpReassembler} delivers it. */
public interface TcpStreamListener {
  void onData(
      TcpConnection connection,
      Direction direction,
      byte[] buf,
      int off,
      int len,
      long timestampNanos);

  /** Bytes that never appeared in the capture were skipped (the stream continues after them). */
  default void onGap(
      TcpConnection connection, Direction direction, long missingBytes, long timestampNanos) {}

  /**
   * The three-way handshake completed: client SYN, server SYN-ACK, client ACK (capture timestamps).
   */
  default void onHandshake(
      TcpConnection connection, long synNanos, long synAckNanos, long ackNanos) {}

  /** A FIN from this direction, after the payload it carried was delivered. */
  default void onFin(TcpConnection connection, Direction direction, long timestampNanos) {}

  /** An RST from this direction; onClose follows. */
  default void onReset(TcpConnection connection, Direction direction, long timestampNanos) {}

  /** A segment whose payload had all been delivered already (a retransmission). */
  default void onRetransmission(
      TcpConnection connection, Direction direction, int bytes, long timestampNanos) {}

  /** FIN or RST seen, or the capture ended. Called once per connection. */
  default void onClose(TcpConnection connection, long timestampNanos) {}
}
