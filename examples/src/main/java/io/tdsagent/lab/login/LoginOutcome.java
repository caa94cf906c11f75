package io.tdsagent.lab.login;

import io.tdsagent.lab.token.ServerMessage;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Result of checking a LOGIN7: the session's login and database, or the errors to send before
 * closing.
 */
public final class LoginOutcome {
  private final String login;
  private final String database;
  private final List<ServerMessage> errors;
  private final byte[] sspiToken;
  private final Map<Integer, byte[]> featureAcks;

  private LoginOutcome(
      String login,
      String database,
      List<ServerMessage> errors,
      byte[] sspiToken,
      Map<Integer, byte[]> featureAcks) {
    this.login = login;
    this.database = database;
    this.errors = errors;
    this.sspiToken = sspiToken;
    this.featureAcks = featureAcks;
  }

  private LoginOutcome(String login, String database, List<ServerMessage> errors) {
    this(login, database, errors, null, Collections.emptyMap());
  }

  /**
   * This success with a last SSPI token for the client (Kerberos mutual authentication: the
   * AP-REP).
   */
  public LoginOutcome withSspiToken(byte[] token) {
    return new LoginOutcome(
        login, database, errors, token == null ? null : token.clone(), featureAcks);
  }

  /** This success with a FEATUREEXTACK entry (e.g. FEDAUTH with no data). */
  public LoginOutcome withFeatureAck(int featureId, byte[] data) {
    Map<Integer, byte[]> acks = new LinkedHashMap<>(featureAcks);
    acks.put(featureId, data.clone());
    return new LoginOutcome(login, database, errors, sspiToken, Collections.unmodifiableMap(acks));
  }

  /**
   * A copy of this outcome with another database (after an authenticator checked who the user is).
   */
  public LoginOutcome withDatabase(String db) {
    return new LoginOutcome(login, db, errors, sspiToken, featureAcks);
  }

  public static LoginOutcome success(String login, String database) {
    return new LoginOutcome(login, database, Collections.emptyList());
  }

  public static LoginOutcome failure(ServerMessage... errors) {
    return new LoginOutcome(null, null, List.of(errors));
  }

  public boolean succeeded() {
    return errors.isEmpty();
  }

  public String login() {
    return login;
  }

  public String database() {
    return database;
  }

  public List<ServerMessage> errors() {
    return errors;
  }

  /** The SSPI token to send before LOGINACK, or null. */
  public byte[] sspiToken() {
    return sspiToken == null ? null : sspiToken.clone();
  }

  /** FEATUREEXTACK entries the authenticator adds (empty if none). */
  public Map<Integer, byte[]> featureAcks() {
    return featureAcks;
  }
}
