package io.tdsagent.lab.login;

import io.tdsagent.lab.token.ServerMessage;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SQL Server authentication against configured logins, with SQL Server's error numbers. States
 * follow SQL Server's error-log states (5 unknown login, 8 wrong password, 38 database not
 * available); a real server reports state 1 to the client, the lab server reports the telling
 * state.
 */
public final class SqlLoginAuthenticator implements Authenticator {
  private final Map<String, String> passwordsByLowerCaseLogin;
  private final List<String> databases;
  private final String defaultDatabase;

  /**
   * @param passwordsByLowerCaseLogin login names (lower case) to passwords
   */
  public SqlLoginAuthenticator(
      Map<String, String> passwordsByLowerCaseLogin,
      List<String> databases,
      String defaultDatabase) {
    this.passwordsByLowerCaseLogin = passwordsByLowerCaseLogin;
    this.databases = databases;
    this.defaultDatabase = defaultDatabase;
  }

  public static ServerMessage loginFailed(String user, int state) {
    return new ServerMessage(18456, state, 14, "Login failed for user '" + user + "'.");
  }

  @Override
  public LoginOutcome authenticate(Login7 login) {
    String user = login.userName();
    if (login.integratedSecurity() || login.features().containsKey(FeatureId.FEDAUTH)) {
      return LoginOutcome.failure(
          new ServerMessage(
              18452,
              1,
              14,
              "Login failed. The login is from an untrusted domain and cannot be used with Integrated "
                  + "authentication."));
    }
    String expected = passwordsByLowerCaseLogin.get(user.toLowerCase(Locale.ROOT));
    if (expected == null) {
      return LoginOutcome.failure(loginFailed(user, 5));
    }
    if (!login.passwordMatches(expected)) {
      return LoginOutcome.failure(loginFailed(user, 8));
    }
    String requested = login.database();
    if (requested == null || requested.isEmpty()) {
      return LoginOutcome.success(user, defaultDatabase);
    }
    for (String db : databases) {
      if (db.equalsIgnoreCase(requested)) {
        return LoginOutcome.success(user, db);
      }
    }
    return LoginOutcome.failure(
        new ServerMessage(
            4060,
            1,
            11,
            "Cannot open database \"" + requested + "\" requested by the login. The login failed."),
        loginFailed(user, 38));
  }
}
