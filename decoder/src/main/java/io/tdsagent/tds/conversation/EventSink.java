package io.tdsagent.tds.conversation;

import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.TdsEvent;

/**
 * Where the parts of a conversation send their events, and the clock of the chunk being fed (so
 * that every event of one chunk carries that chunk's time).
 */
interface EventSink {
  void emit(TdsEvent e);

  long now();

  /** A decode problem of one layer; the reason never holds payload. */
  default void error(Direction d, String layer, String reason) {
    emit(new DecodeErrorEvent(d, layer, reason, now()));
  }
}
