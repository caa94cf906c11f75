package io.tdsagent.tds.event;

import io.tdsagent.tds.token.LoginAck;
import io.tdsagent.tds.token.ServerMessage;

/** How the login ended. Fired once per conversation that saw a login. */
public final class LoginOutcomeEvent extends TdsEvent {

  public enum Outcome {
    SUCCESS,
    FAILURE,
    /** The server sent a ROUTING ENVCHANGE: the client is to reconnect elsewhere. */
    ROUTED,
    /** The connection closed before the login response ended. */
    ABORTED
  }

  private final Outcome outcome;
  private final LoginAck ack;
  private final ServerMessage error;
  private final String routingServer;
  private final int routingPort;

  public LoginOutcomeEvent(
      Outcome outcome,
      LoginAck ack,
      ServerMessage error,
      String routingServer,
      int routingPort,
      long timeNanos) {
    super(timeNanos);
    this.outcome = outcome;
    this.ack = ack;
    this.error = error;
    this.routingServer = routingServer;
    this.routingPort = routingPort;
  }

  public Outcome outcome() {
    return outcome;
  }

  /** The LOGINACK, or null. */
  public LoginAck ack() {
    return ack;
  }

  /** The first ERROR with class >= 11, or null. */
  public ServerMessage error() {
    return error;
  }

  /** ROUTING AlternateServer, or null. */
  public String routingServer() {
    return routingServer;
  }

  /** ROUTING port, or -1. */
  public int routingPort() {
    return routingPort;
  }

  @Override
  public String toString() {
    return "LoginOutcome{"
        + outcome
        + (ack != null ? ", " + ack : "")
        + (error != null ? ", " + error : "")
        + (routingServer != null ? ", routing=" + routingServer + ":" + routingPort : "")
        + ", t="
        + timeNanos()
        + '}';
  }
}
