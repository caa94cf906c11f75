package io.tdsagent.lab.auth;

import io.tdsagent.lab.auth.fedauth.FedAuthAcceptor;
import io.tdsagent.lab.auth.kerberos.KerberosAcceptor;
import io.tdsagent.lab.auth.ntlm.NtlmAcceptor;
import io.tdsagent.lab.auth.ntlm.NtlmMessages;
import io.tdsagent.lab.login.Authenticator;
import io.tdsagent.lab.login.FeatureId;
import io.tdsagent.lab.login.Login7;
import io.tdsagent.lab.login.LoginExchange;
import io.tdsagent.lab.login.LoginOutcome;
import io.tdsagent.lab.token.ServerMessage;
import java.io.IOException;
import java.util.List;

/**
 * The lab's authenticator: picks the leg from what LOGIN7 asks for. FEDAUTH feature → {@link
 * FedAuthAcceptor}; fIntSecurity with an NTLM NEGOTIATE → {@link NtlmAcceptor}; with a GSS token
 * (krb5 or SPNEGO) → {@link KerberosAcceptor}; otherwise SQL authentication. Then the database, as
 * for SQL logins.
 */
public final class LabAuthenticator implements Authenticator {
  private final Authenticator sql;
  private final NtlmAcceptor ntlm;
  private final KerberosAcceptor kerberos;
  private final FedAuthAcceptor fedAuth;
  private final List<String> databases;
  private final String defaultDatabase;

  /** Any acceptor may be null (that leg is then refused with 18452). */
  public LabAuthenticator(
      Authenticator sql,
      NtlmAcceptor ntlm,
      KerberosAcceptor kerberos,
      FedAuthAcceptor fedAuth,
      List<String> databases,
      String defaultDatabase) {
    this.sql = sql;
    this.ntlm = ntlm;
    this.kerberos = kerberos;
    this.fedAuth = fedAuth;
    this.databases = List.copyOf(databases);
    this.defaultDatabase = defaultDatabase;
  }

  @Override
  public int preloginFedAuthRequired() {
    return fedAuth != null ? 1 : 0;
  }

  @Override
  public LoginOutcome authenticate(Login7 login) {
    if (login.integratedSecurity() || login.features().containsKey(FeatureId.FEDAUTH)) {
      return LoginOutcome.failure(AuthErrors.untrustedDomain());
    }
    return sql.authenticate(login);
  }

  @Override
  public LoginOutcome authenticate(Login7 login, LoginExchange exchange) throws IOException {
    LoginOutcome who;
    byte[] fedAuthData = login.features().get(FeatureId.FEDAUTH);
    if (fedAuthData != null) {
      if (fedAuth == null) {
        return LoginOutcome.failure(AuthErrors.tokenRejected());
      }
      who = fedAuth.accept(fedAuthData, preloginFedAuthRequired(), exchange);
    } else if (login.integratedSecurity()) {
      byte[] token = login.sspi();
      if (ntlm != null && NtlmMessages.isNtlm(token)) {
        who = ntlm.accept(token, exchange);
      } else if (kerberos != null && KerberosAcceptor.isGssToken(token)) {
        who = kerberos.accept(token, exchange);
      } else {
        return LoginOutcome.failure(AuthErrors.untrustedDomain());
      }
    } else {
      return sql.authenticate(login, exchange);
    }
    return who.succeeded() ? openDatabase(who, login.database()) : who;
  }

  private LoginOutcome openDatabase(LoginOutcome who, String requested) {
    if (requested == null || requested.isEmpty()) {
      return who.withDatabase(defaultDatabase);
    }
    for (String db : databases) {
      if (db.equalsIgnoreCase(requested)) {
        return who.withDatabase(db);
      }
    }
    return LoginOutcome.failure(
        new ServerMessage(
            4060,
            1,
            11,
            "Cannot open database \"" + requested + "\" requested by the login. The login failed."),
        AuthErrors.loginFailed(who.login(), 38));
  }
}
