package io.tdsagent.tds.sspi.kerberos;

import io.tdsagent.tds.sspi.der.DerReader;
import io.tdsagent.tds.sspi.mechanism.GssOid;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import java.time.Instant;

/**
 * Decodes krb5 GSS tokens (RFC 4121 4.1: 0x60 framing, mechanism OID, two-byte TOK_ID, then the
 * message) and bare AP-REQ/AP-REP/KRB-ERROR (RFC 4120 5.5, 5.9). Encrypted parts are walked over,
 * never copied.
 */
public final class KerberosDecoder {
  public static final int TOK_ID_AP_REQ = 0x0100;
  public static final int TOK_ID_AP_REP = 0x0200;
  public static final int TOK_ID_KRB_ERROR = 0x0300;

  private KerberosDecoder() {}

  /** Whether the first byte starts a bare AP-REQ, AP-REP or KRB-ERROR. */
  public static boolean isBareMessage(int firstByte) {
    return firstByte == DerReader.application(KerberosMessage.AP_REQ)
        || firstByte == DerReader.application(KerberosMessage.AP_REP)
        || firstByte == DerReader.application(KerberosMessage.KRB_ERROR);
  }

  /**
   * @param inner what follows the mechanism OID inside the 0x60 framing
   * @param oid the framing's OID
   */
  public static KerberosMessage decodeFramed(ByteReader inner, GssOid oid, int length) {
    int tokId = inner.u16be();
    KerberosMessage m = decodeBare(inner, oid, length);
    int expected =
        m.msgType() == KerberosMessage.AP_REQ
            ? TOK_ID_AP_REQ
            : m.msgType() == KerberosMessage.AP_REP ? TOK_ID_AP_REP : TOK_ID_KRB_ERROR;
    if (tokId != expected) {
      throw new DecodeException(
          "krb5 TOK_ID 0x" + Integer.toHexString(tokId) + " for msg-type " + m.msgType());
    }
    return m;
  }

  public static KerberosMessage decodeBare(ByteReader r, GssOid oid, int length) {
    DerReader top = new DerReader(r);
    int tag = top.peekTag();
    if (tag == DerReader.application(KerberosMessage.AP_REQ)) {
      return apReq(top.next().expect(DerReader.SEQUENCE), oid, length);
    }
    if (tag == DerReader.application(KerberosMessage.AP_REP)) {
      return apRep(top.next().expect(DerReader.SEQUENCE), oid, length);
    }
    if (tag == DerReader.application(KerberosMessage.KRB_ERROR)) {
      return krbError(top.next().expect(DerReader.SEQUENCE), oid, length);
    }
    throw new DecodeException(
        "not a Kerberos AP-REQ, AP-REP or KRB-ERROR (tag 0x" + Integer.toHexString(tag) + ")");
  }

  private static void header(DerReader seq, int msgType) {
    long pvno = seq.explicit(0).integer();
    long type = seq.explicit(1).integer();
    if (pvno != 5 || type != msgType) {
      throw new DecodeException(
          "Kerberos pvno " + pvno + " msg-type " + type + ", expected 5/" + msgType);
    }
  }

  private static KerberosApReq apReq(DerReader seq, GssOid oid, int length) {
    header(seq, KerberosMessage.AP_REQ);
    int options = seq.explicit(2).expect(DerReader.BIT_STRING).bitStringContent();
    DerReader ticket = seq.explicit(3).expect(DerReader.application(1)).expect(DerReader.SEQUENCE);
    long tktVno = ticket.explicit(0).integer();
    if (tktVno != 5) {
      throw new DecodeException("ticket tkt-vno " + tktVno);
    }
    String realm = ticket.explicit(1).string();
    PrincipalName sname = PrincipalName.read(ticket.explicit(2).expect(DerReader.SEQUENCE));
    DerReader ticketEnc = ticket.explicit(3).expect(DerReader.SEQUENCE);
    int etype = (int) ticketEnc.explicit(0).integer();
    DerReader kvnoField = ticketEnc.optional(DerReader.context(1));
    long kvno = kvnoField != null ? kvnoField.integer() : -1;
    DerReader authenticator = seq.explicit(4).expect(DerReader.SEQUENCE);
    int authEtype = (int) authenticator.explicit(0).integer();
    return new KerberosApReq(length, oid, options, realm, sname, etype, kvno, authEtype);
  }

  private static KerberosApRep apRep(DerReader seq, GssOid oid, int length) {
    header(seq, KerberosMessage.AP_REP);
    int etype = (int) seq.explicit(2).expect(DerReader.SEQUENCE).explicit(0).integer();
    return new KerberosApRep(length, oid, etype);
  }

  private static KerberosError krbError(DerReader seq, GssOid oid, int length) {
    header(seq, KerberosMessage.KRB_ERROR);
    DerReader f = seq.optional(DerReader.context(2));
    Instant ctime = f != null ? f.expect(DerReader.GENERALIZED_TIME).kerberosTimeContent() : null;
    seq.optional(DerReader.context(3)); // cusec
    Instant stime = seq.explicit(4).expect(DerReader.GENERALIZED_TIME).kerberosTimeContent();
    seq.explicit(5); // susec
    int code = (int) seq.explicit(6).integer();
    seq.optional(DerReader.context(7)); // crealm
    seq.optional(DerReader.context(8)); // cname
    String realm = seq.explicit(9).string();
    PrincipalName sname = PrincipalName.read(seq.explicit(10).expect(DerReader.SEQUENCE));
    f = seq.optional(DerReader.context(11));
    String eText = f != null ? f.string() : null;
    return new KerberosError(length, oid, code, realm, sname, eText, stime, ctime);
  }
}
