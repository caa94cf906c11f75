package io.tdsagent.tds.response;

import io.tdsagent.tds.token.Token;

/** Receives what {@link TokenStreamParser} finds, synchronously and in stream order. */
public interface TokenHandler {
  /** A decoded token (everything except rows). */
  void onToken(Token token);

  /**
   * A ROW, NBCROW or ALTROW was stepped over. Called once per row on the hot path: implementations
   * should only count.
   *
   * @param tokenType 0xD1, 0xD2 or 0xD3
   */
  void onRow(int tokenType);

  /** The stream could not be followed; everything up to the end of the message is skipped. */
  void onError(String reason);
}
