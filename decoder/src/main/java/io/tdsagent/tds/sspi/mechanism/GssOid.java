package io.tdsagent.tds.sspi.mechanism;

import java.util.Objects;

/** A GSS-API mechanism OID with the name we know it by ("kerberos", "ntlm"...), or "unknown". */
public final class GssOid {
  public static final String SPNEGO = "1.3.6.1.5.5.2";
  public static final String KERBEROS = "1.2.840.113554.1.2.2";

  /**
   * The OID Windows announced for Kerberos by mistake (a truncated 1.2.840.113554); still sent
   * first by Windows.
   */
  public static final String MS_KERBEROS = "1.2.840.48018.1.2.2";

  public static final String KERBEROS_USER_TO_USER = "1.2.840.113554.1.2.2.3";
  public static final String NTLM = "1.3.6.1.4.1.311.2.2.10";
  public static final String NEGOEX = "1.3.6.1.4.1.311.2.2.30";

  private final String value;

  public GssOid(String value) {
    this.value = Objects.requireNonNull(value);
  }

  /** Dotted form. */
  public String value() {
    return value;
  }

  public String name() {
    switch (value) {
      case SPNEGO:
        return "spnego";
      case KERBEROS:
        return "kerberos";
      case MS_KERBEROS:
        return "ms-kerberos";
      case KERBEROS_USER_TO_USER:
        return "kerberos-user-to-user";
      case NTLM:
        return "ntlm";
      case NEGOEX:
        return "negoex";
      default:
        return "unknown";
    }
  }

  /** Either Kerberos OID (the standard one or Microsoft's). */
  public boolean isKerberos() {
    return value.equals(KERBEROS)
        || value.equals(MS_KERBEROS)
        || value.equals(KERBEROS_USER_TO_USER);
  }

  public boolean isNtlm() {
    return value.equals(NTLM);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GssOid && ((GssOid) o).value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return name() + "(" + value + ")";
  }
}
