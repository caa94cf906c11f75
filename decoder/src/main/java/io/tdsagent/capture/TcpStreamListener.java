package io.tdsagent.capture;

import io.tdsagent.tds.event.Direction;

/** In-order TCP payload per connection and direction, as {@link TcpReassembler} delivers it. */
public interface TcpStreamListener {
    void onData(TcpConnection connection, Direction direction, byte[] buf, int off, int len, long timestampNanos);

    /** Bytes that never appeared in the capture were skipped (the stream continues after them). */
    default void onGap(TcpConnection connection, Direction direction, long missingBytes, long timestampNanos) {
    }

    /** FIN or RST seen, or the capture ended. Called once per connection. */
    default void onClose(TcpConnection connection, long timestampNanos) {
    }
}
