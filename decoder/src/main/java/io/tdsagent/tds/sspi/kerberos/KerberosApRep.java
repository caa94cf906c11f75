package io.tdsagent.tds.sspi.kerberos;

import io.tdsagent.tds.sspi.mechanism.GssOid;

/**
 * KRB_AP_REP (RFC 4120 5.5.2): the service proved itself (mutual authentication). Only the
 * enc-part's enctype is kept.
 */
public final class KerberosApRep extends KerberosMessage {
  private final int encPartEtype;

  KerberosApRep(int length, GssOid gssOid, int encPartEtype) {
    super(length, gssOid);
    this.encPartEtype = encPartEtype;
  }

  @Override
  public int msgType() {
    return AP_REP;
  }

  @Override
  public String messageName() {
    return "ap-rep";
  }

  public int encPartEtype() {
    return encPartEtype;
  }

  public String encPartEtypeName() {
    return KerberosNames.enctype(encPartEtype);
  }

  @Override
  public String toString() {
    return "KerberosApRep{"
        + framing()
        + ", encPartEtype="
        + encPartEtype
        + " ("
        + encPartEtypeName()
        + ")}";
  }
}
