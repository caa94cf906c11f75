package io.tdsagent.tds.token;

/** A decoded data stream token. Subclasses are immutable. */
public abstract class Token {
  private final TokenType type;

  protected Token(TokenType type) {
    this.type = type;
  }

  public TokenType type() {
    return type;
  }
}
