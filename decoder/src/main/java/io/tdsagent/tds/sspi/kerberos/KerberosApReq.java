package io.tdsagent.tds.sspi.kerberos;

import io.tdsagent.tds.sspi.mechanism.GssOid;

/**
 * KRB_AP_REQ (RFC 4120 5.5.1): the service ticket the client presents. Kept: realm, service name,
 * the ticket's enctype and kvno, the AP options. Not kept: the ticket's enc-part cipher (an offline
 * target when weakly keyed) and the authenticator.
 */
public final class KerberosApReq extends KerberosMessage {
  /** APOptions bits, numbered from the most significant bit of the BIT STRING. */
  public static final int AP_OPTION_USE_SESSION_KEY = 1 << 30;

  public static final int AP_OPTION_MUTUAL_REQUIRED = 1 << 29;

  private final int apOptions;
  private final String realm;
  private final PrincipalName sname;
  private final int ticketEtype;
  private final long ticketKvno;
  private final int authenticatorEtype;

  KerberosApReq(
      int length,
      GssOid gssOid,
      int apOptions,
      String realm,
      PrincipalName sname,
      int ticketEtype,
      long ticketKvno,
      int authenticatorEtype) {
    super(length, gssOid);
    this.apOptions = apOptions;
    this.realm = realm;
    this.sname = sname;
    this.ticketEtype = ticketEtype;
    this.ticketKvno = ticketKvno;
    this.authenticatorEtype = authenticatorEtype;
  }

  @Override
  public int msgType() {
    return AP_REQ;
  }

  @Override
  public String messageName() {
    return "ap-req";
  }

  /** The first 32 bits of ap-options, bit 0 most significant. */
  public int apOptions() {
    return apOptions;
  }

  /** mutual-required: the client expects an AP-REP back. */
  public boolean isMutualRequired() {
    return (apOptions & AP_OPTION_MUTUAL_REQUIRED) != 0;
  }

  public boolean isUseSessionKey() {
    return (apOptions & AP_OPTION_USE_SESSION_KEY) != 0;
  }

  /** The ticket's realm (the service's). */
  public String realm() {
    return realm;
  }

  /** The ticket's sname, e.g. MSSQLSvc/host.example.com:1433. */
  public PrincipalName sname() {
    return sname;
  }

  /** Service principal as text: "MSSQLSvc/host:1433@REALM". */
  public String servicePrincipal() {
    return sname + "@" + realm;
  }

  /** Enctype of the ticket's enc-part: 18 aes256-cts-hmac-sha1-96, 23 rc4-hmac... */
  public int ticketEtype() {
    return ticketEtype;
  }

  public String ticketEtypeName() {
    return KerberosNames.enctype(ticketEtype);
  }

  /** kvno of the service key the ticket is encrypted with, or -1 when absent. */
  public long ticketKvno() {
    return ticketKvno;
  }

  /** Enctype of the authenticator (the session key's type). */
  public int authenticatorEtype() {
    return authenticatorEtype;
  }

  public String authenticatorEtypeName() {
    return KerberosNames.enctype(authenticatorEtype);
  }

  @Override
  public String toString() {
    return "KerberosApReq{"
        + framing()
        + ", sname="
        + sname
        + ", realm="
        + realm
        + ", ticketEtype="
        + ticketEtype
        + " ("
        + ticketEtypeName()
        + "), kvno="
        + ticketKvno
        + ", authenticatorEtype="
        + authenticatorEtype
        + ", mutualRequired="
        + isMutualRequired()
        + ", apOptions=0x"
        + Integer.toHexString(apOptions)
        + '}';
  }
}
