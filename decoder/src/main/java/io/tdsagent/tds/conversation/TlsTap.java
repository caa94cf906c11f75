package io.tdsagent.tds.conversation;

import io.tdsagent.tds.event.DecodeErrorEvent;
import io.tdsagent.tds.event.Direction;
import io.tdsagent.tds.event.TlsAlertEvent;
import io.tdsagent.tds.event.TlsHandshakeEvent;
import io.tdsagent.tds.tls.TlsAlert;
import io.tdsagent.tds.tls.TlsHandshakeMessage;
import io.tdsagent.tds.tls.TlsListener;
import io.tdsagent.tds.tls.TlsRecordStream;
import io.tdsagent.tds.tls.TlsSession;

/** Adapts a {@link TlsSession} to conversation events and remembers when records went by. */
final class TlsTap {
  private final TlsSession session;
  private final EventSink sink;
  private long firstRecordNanos = -1;
  private long lastRecordNanos = -1;

  TlsTap(int maxBytes, EventSink sink) {
    this.sink = sink;
    this.session =
        new TlsSession(
            maxBytes, listener(Direction.CLIENT_TO_SERVER), listener(Direction.SERVER_TO_CLIENT));
  }

  private TlsListener listener(Direction d) {
    return new TlsListener() {
      @Override
      public void onHandshake(TlsHandshakeMessage message) {
        sink.emit(new TlsHandshakeEvent(d, message, sink.now()));
      }

      @Override
      public void onAlert(TlsAlert alert) {
        sink.emit(new TlsAlertEvent(d, alert, sink.now()));
      }

      @Override
      public void onRecord(int contentType, int length, boolean encrypted) {
        lastRecordNanos = sink.now();
      }

      @Override
      public void onError(String reason) {
        sink.emit(new DecodeErrorEvent(d, "tls", reason, sink.now()));
      }
    };
  }

  TlsRecordStream stream(Direction d) {
    return d == Direction.CLIENT_TO_SERVER ? session.client() : session.server();
  }

  void noteStart(long nanos) {
    if (firstRecordNanos < 0) {
      firstRecordNanos = nanos;
    }
  }

  long firstRecordNanos() {
    return firstRecordNanos;
  }

  /** End of the last complete record; the start if none completed. */
  long lastRecordNanos() {
    return lastRecordNanos >= 0 ? lastRecordNanos : firstRecordNanos;
  }
}
