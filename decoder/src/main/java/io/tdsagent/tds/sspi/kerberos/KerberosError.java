package io.tdsagent.tds.sspi.kerberos;

import io.tdsagent.tds.sspi.mechanism.GssOid;
import java.time.Instant;

/** KRB_ERROR (RFC 4120 5.9.1) as the service returns it to a bad AP-REQ. e-data is not kept. */
public final class KerberosError extends KerberosMessage {
  private final int errorCode;
  private final String realm;
  private final PrincipalName sname;
  private final String eText;
  private final Instant stime;
  private final Instant ctime;

  KerberosError(
      int length,
      GssOid gssOid,
      int errorCode,
      String realm,
      PrincipalName sname,
      String eText,
      Instant stime,
      Instant ctime) {
    super(length, gssOid);
    this.errorCode = errorCode;
    this.realm = realm;
    this.sname = sname;
    this.eText = eText;
    this.stime = stime;
    this.ctime = ctime;
  }

  @Override
  public int msgType() {
    return KRB_ERROR;
  }

  @Override
  public String messageName() {
    return "krb-error";
  }

  public int errorCode() {
    return errorCode;
  }

  /** e.g. KRB_AP_ERR_SKEW, KRB_AP_ERR_MODIFIED, KDC_ERR_S_PRINCIPAL_UNKNOWN. */
  public String errorName() {
    return KerberosNames.errorCode(errorCode);
  }

  public String realm() {
    return realm;
  }

  public PrincipalName sname() {
    return sname;
  }

  /** e-text, or null. */
  public String eText() {
    return eText;
  }

  /** The server's clock when it answered (compare with ctime for KRB_AP_ERR_SKEW). */
  public Instant stime() {
    return stime;
  }

  /** The client's time echoed back, or null. */
  public Instant ctime() {
    return ctime;
  }

  @Override
  public String toString() {
    return "KerberosError{"
        + framing()
        + ", errorCode="
        + errorCode
        + " ("
        + errorName()
        + "), realm="
        + realm
        + ", sname="
        + sname
        + (eText != null ? ", eText='" + eText + "'" : "")
        + ", stime="
        + stime
        + (ctime != null ? ", ctime=" + ctime : "")
        + '}';
  }
}
