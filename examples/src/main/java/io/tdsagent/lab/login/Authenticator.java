package io.tdsagent.lab.login;

import java.io.IOException;

/**
 * Decides a LOGIN7. {@link SqlLoginAuthenticator} checks SQL logins; {@code
 * io.tdsagent.lab.auth.LabAuthenticator} adds NTLM, Kerberos and FEDAUTH, which need round trips on
 * the connection ({@link LoginExchange}).
 */
public interface Authenticator {
  LoginOutcome authenticate(Login7 login);

  /**
   * Decides a LOGIN7 with the connection at hand; the session calls this one. Default: no round
   * trips.
   */
  default LoginOutcome authenticate(Login7 login, LoginExchange exchange) throws IOException {
    return authenticate(login);
  }

  /**
   * The PRELOGIN FEDAUTHREQUIRED answer when the client sent the option (MS-TDS 2.2.6.5): 1 if the
   * server wants federated authentication; the client echoes it in the LOGIN7 FEDAUTH feature.
   */
  default int preloginFedAuthRequired() {
    return 0;
  }
}
