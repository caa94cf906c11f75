package io.tdsagent.tds.tls;

/** Receives what one direction's {@link TlsRecordStream} recognises. */
public interface TlsListener {
  void onHandshake(TlsHandshakeMessage message);

  void onAlert(TlsAlert alert);

  /** A whole record went by (in clear or not). */
  default void onRecord(int contentType, int length, boolean encrypted) {}

  /** The stream stopped decoding; further bytes are ignored. */
  void onError(String reason);
}
