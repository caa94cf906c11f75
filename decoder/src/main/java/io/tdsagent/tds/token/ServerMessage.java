package io.tdsagent.tds.token;

/** ERROR (0xAA) and INFO (0xAB): same layout, told apart by {@link #isError()}. */
public final class ServerMessage extends Token {
  private final long number;
  private final int state;
  private final int severity;
  private final String message;
  private final String serverName;
  private final String procName;
  private final long lineNumber;

  public ServerMessage(
      boolean error,
      long number,
      int state,
      int severity,
      String message,
      String serverName,
      String procName,
      long lineNumber) {
    super(error ? TokenType.ERROR : TokenType.INFO);
    this.number = number;
    this.state = state;
    this.severity = severity;
    this.message = message;
    this.serverName = serverName;
    this.procName = procName;
    this.lineNumber = lineNumber;
  }

  public boolean isError() {
    return type() == TokenType.ERROR;
  }

  public long number() {
    return number;
  }

  public int state() {
    return state;
  }

  /** Class (severity): 0-10 informational, 11+ errors. */
  public int severity() {
    return severity;
  }

  /** Same as {@link #severity()}, the spec's name. */
  public int messageClass() {
    return severity;
  }

  public String message() {
    return message;
  }

  public String serverName() {
    return serverName;
  }

  public String procName() {
    return procName;
  }

  public long lineNumber() {
    return lineNumber;
  }

  @Override
  public String toString() {
    return (isError() ? "Error" : "Info")
        + "{number="
        + number
        + ", state="
        + state
        + ", class="
        + severity
        + ", message='"
        + message
        + "', serverName='"
        + serverName
        + "', procName='"
        + procName
        + "', lineNumber="
        + lineNumber
        + '}';
  }
}
