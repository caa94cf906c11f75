package io.tdsagent.lab.token;

/** An ERROR or INFO token's content. */
public final class ServerMessage {
  private final int number;
  private final int state;
  private final int severityClass;
  private final String text;

  public ServerMessage(int number, int state, int severityClass, String text) {
    this.number = number;
    this.state = state;
    this.severityClass = severityClass;
    this.text = text;
  }

  public int number() {
    return number;
  }

  public int state() {
    return state;
  }

  public int severityClass() {
    return severityClass;
  }

  public String text() {
    return text;
  }

  public void writeAsError(TokenWriter w) {
    w.error(number, state, severityClass, text);
  }

  public void writeAsInfo(TokenWriter w) {
    w.info(number, state, severityClass, text);
  }

  @Override
  public String toString() {
    return "Msg " + number + ", Level " + severityClass + ", State " + state + ": " + text;
  }
}
