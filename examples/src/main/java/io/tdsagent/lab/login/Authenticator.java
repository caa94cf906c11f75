package io.tdsagent.lab.login;

/**
 * Decides a LOGIN7. SQL authentication today; NTLM, Kerberos (SSPI) and FEDAUTH will be further implementations
 * (with more round trips) chosen from what the LOGIN7 asks for.
 */
public interface Authenticator {
    LoginOutcome authenticate(Login7 login);
}
