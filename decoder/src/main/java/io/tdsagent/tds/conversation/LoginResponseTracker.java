package io.tdsagent.tds.conversation;

import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.LoginOutcomeEvent.Outcome;
import io.tdsagent.tds.login.FeatureId;
import io.tdsagent.tds.token.Done;
import io.tdsagent.tds.token.EnvChange;
import io.tdsagent.tds.token.EnvChangeType;
import io.tdsagent.tds.token.FeatureExtAck;
import io.tdsagent.tds.token.LoginAck;
import io.tdsagent.tds.token.ServerMessage;
import io.tdsagent.tds.token.Token;
import io.tdsagent.tds.token.TokenType;

/** Remembers what the login response said so far and decides its outcome. */
final class LoginResponseTracker {
  /** Errors of class 11 and above are failures; 10 and below are informational. */
  private static final int ERROR_CLASS = 11;

  private LoginAck ack;
  private ServerMessage error;
  private String routingServer;
  private int routingPort = -1;
  private boolean finalDone;
  private boolean authContinues;
  private boolean columnEncryption;
  private int dataClassificationVersion = 1;

  void onToken(Token t) {
    if (t instanceof LoginAck) {
      ack = (LoginAck) t;
    } else if (t instanceof ServerMessage) {
      ServerMessage m = (ServerMessage) t;
      if (m.isError() && m.severity() >= ERROR_CLASS && error == null) {
        error = m;
      }
    } else if (t instanceof EnvChange) {
      EnvChange e = (EnvChange) t;
      if (e.envType() == EnvChangeType.ROUTING) {
        routingServer = e.routingServer();
        routingPort = e.routingPort();
      }
    } else if (t instanceof Done) {
      if (t.type() == TokenType.DONE && !((Done) t).isMore()) {
        finalDone = true;
      }
    } else if (t instanceof FeatureExtAck) {
      noteFeature((FeatureExtAck) t);
    } else if (t.type() == TokenType.SSPI || t.type() == TokenType.FEDAUTHINFO) {
      authContinues = true;
    }
  }

  /**
   * Features that change the token stream after the login (COLMETADATA layout, DATACLASSIFICATION).
   */
  private void noteFeature(FeatureExtAck a) {
    byte[] data = a.data();
    if (a.featureId() == FeatureId.COLUMNENCRYPTION) {
      columnEncryption = data.length > 0 && data[0] != 0;
    } else if (a.featureId() == FeatureId.DATACLASSIFICATION && data.length > 0) {
      dataClassificationVersion = data[0];
    }
  }

  boolean columnEncryption() {
    return columnEncryption;
  }

  int dataClassificationVersion() {
    return dataClassificationVersion;
  }

  /**
   * Whether the login response is over after a server message ended: a final DONE, or (lenient, for
   * streams we could not fully decode) a LOGINACK or an error without a pending SSPI/FEDAUTH
   * exchange.
   */
  boolean isConcluded() {
    return finalDone || ((ack != null || error != null) && !authContinues);
  }

  /** A server message ended without concluding; the next one starts fresh for the auth exchange. */
  void onMessageEnd() {
    authContinues = false;
  }

  int tdsVersion() {
    return ack != null ? ack.tdsVersion() : 0;
  }

  LoginOutcomeEvent outcome(long timeNanos) {
    Outcome o;
    if (routingServer != null) {
      o = Outcome.ROUTED;
    } else if (ack != null && error == null) {
      o = Outcome.SUCCESS;
    } else {
      o = Outcome.FAILURE;
    }
    return new LoginOutcomeEvent(o, ack, error, routingServer, routingPort, timeNanos);
  }

  LoginOutcomeEvent aborted(long timeNanos) {
    return new LoginOutcomeEvent(
        Outcome.ABORTED, ack, error, routingServer, routingPort, timeNanos);
  }

  boolean succeeded() {
    return ack != null && error == null;
  }
}
