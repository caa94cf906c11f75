package io.tdsagent.tds.token;

/** Receives tokens as {@link TokenStreamDecoder} walks a stream. */
public interface TokenSink {
  void onToken(Token token);

  /** Decoding stopped: the rest of the stream is skipped. */
  void onError(String reason);
}
