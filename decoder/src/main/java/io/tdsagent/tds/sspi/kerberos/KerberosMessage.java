package io.tdsagent.tds.sspi.kerberos;

import io.tdsagent.tds.sspi.mechanism.GssOid;
import io.tdsagent.tds.sspi.mechanism.SspiMechanism;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;

/** A Kerberos message from a GSS krb5 token (RFC 4121 4.1) or bare. */
public abstract class KerberosMessage extends SspiMessage {
  public static final int AP_REQ = 14;
  public static final int AP_REP = 15;
  public static final int KRB_ERROR = 30;

  private final GssOid gssOid;

  KerberosMessage(int length, GssOid gssOid) {
    super(length);
    this.gssOid = gssOid;
  }

  @Override
  public SspiMechanism mechanism() {
    return SspiMechanism.KERBEROS;
  }

  /** msg-type: 14, 15 or 30. */
  public abstract int msgType();

  /** The mechanism OID of the GSS framing (krb5 or Microsoft's), or null for a bare message. */
  public GssOid gssOid() {
    return gssOid;
  }

  String framing() {
    return gssOid == null ? "bare" : gssOid.name();
  }
}
