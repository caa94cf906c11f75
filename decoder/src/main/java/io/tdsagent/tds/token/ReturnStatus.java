package io.tdsagent.tds.token;

/** RETURNSTATUS (0x79): the procedure's return value. */
public final class ReturnStatus extends Token {
  private final int value;

  public ReturnStatus(int value) {
    super(TokenType.RETURNSTATUS);
    this.value = value;
  }

  public int value() {
    return value;
  }

  @Override
  public String toString() {
    return "ReturnStatus{" + value + '}';
  }
}
