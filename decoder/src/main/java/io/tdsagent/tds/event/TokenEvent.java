package io.tdsagent.tds.event;

import io.tdsagent.tds.token.Token;

/** A decoded token of a server response. */
public final class TokenEvent extends TdsEvent {
  private final Direction direction;
  private final Token token;

  public TokenEvent(Direction direction, Token token, long timeNanos) {
    super(timeNanos);
    this.direction = direction;
    this.token = token;
  }

  public Direction direction() {
    return direction;
  }

  public Token token() {
    return token;
  }

  @Override
  public String toString() {
    return "TokenEvent{" + direction + ", " + token + ", t=" + timeNanos() + '}';
  }
}
