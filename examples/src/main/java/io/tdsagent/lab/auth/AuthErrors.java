package io.tdsagent.lab.auth;

import io.tdsagent.lab.token.ServerMessage;

/**
 * SQL Server's login errors for integrated and federated authentication. States are the telling
 * error-log states (a real server shows the client state 1): 5 unknown login, 8 wrong password, 11
 * valid Windows login without server access (here: anonymous).
 */
public final class AuthErrors {
  private AuthErrors() {}

  /** 18456, "Login failed for user 'NAME'." */
  public static ServerMessage loginFailed(String user, int state) {
    return new ServerMessage(18456, state, 14, "Login failed for user '" + user + "'.");
  }

  /**
   * 18452: the SSPI handshake failed (bad or foreign token, Kerberos failure, no such mechanism).
   */
  public static ServerMessage untrustedDomain() {
    return new ServerMessage(
        18452,
        1,
        14,
        "Login failed. The login is from an untrusted domain and cannot be "
            + "used with Integrated authentication.");
  }

  /** 18456 for a rejected access token, as Azure SQL reports it. */
  public static ServerMessage tokenRejected() {
    return loginFailed("<token-identified principal>", 1);
  }
}
