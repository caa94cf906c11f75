package io.tdsagent.tds.diagnosis;

/**
 * The reason for a login failure in words, from the error number and state as SQL Server documents
 * them (the state the client sees is often 1; the server's error log has the rest).
 */
public final class LoginFailures {
  private LoginFailures() {}

  public static String reason(long number, int state) {
    if (number == 18456) {
      switch (state) {
        case 1:
          return "login failed (the server hides the reason from clients; see its error log)";
        case 2:
        case 5:
          return "unknown login";
        case 6:
          return "a Windows login tried with SQL Server authentication";
        case 7:
          return "login disabled, and the password is wrong";
        case 8:
          return "wrong password";
        case 9:
          return "invalid password";
        case 11:
        case 12:
          return "valid login but no access to the server";
        case 13:
          return "SQL Server service paused";
        case 18:
          return "password must be changed";
        case 38:
        case 40:
          return "cannot open the requested or default database";
        case 58:
          return "SQL Server authentication is not allowed (Windows authentication only)";
        case 102:
        case 103:
        case 104:
        case 105:
        case 106:
        case 107:
        case 108:
        case 109:
        case 110:
        case 111:
          return "Azure AD / access token login failed";
        case 132:
        case 133:
          return "access token validation failed";
        default:
          return "login failed (state " + state + ")";
      }
    }
    if (number == 18452) {
      return "login from an untrusted domain (integrated authentication failed)";
    }
    if (number == 18470) {
      return "login disabled";
    }
    if (number == 18486) {
      return "login locked out";
    }
    if (number == 18487 || number == 18488) {
      return "password expired or must be changed";
    }
    if (number == 4060) {
      return "cannot open the requested database";
    }
    if (number == 4064) {
      return "cannot open the user's default database";
    }
    if (number == 40613) {
      return "database not currently available (Azure)";
    }
    if (number == 40532) {
      return "cannot open the server requested by the login (Azure)";
    }
    return null;
  }
}
