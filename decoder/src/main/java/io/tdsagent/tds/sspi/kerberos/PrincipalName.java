package io.tdsagent.tds.sspi.kerberos;

import io.tdsagent.tds.sspi.der.DerReader;
import io.tdsagent.tds.wire.DecodeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * PrincipalName (RFC 4120 5.2.2): name-type and components, shown joined by '/' (e.g.
 * "MSSQLSvc/host:1433").
 */
public final class PrincipalName {
  private static final int MAX_COMPONENTS = 16;

  private final int nameType;
  private final List<String> components;

  PrincipalName(int nameType, List<String> components) {
    this.nameType = nameType;
    this.components = Collections.unmodifiableList(new ArrayList<>(components));
  }

  /** Reads the content of a PrincipalName SEQUENCE. */
  static PrincipalName read(DerReader seq) {
    int type = (int) seq.explicit(0).integer();
    DerReader names = seq.explicit(1).expect(DerReader.SEQUENCE);
    List<String> parts = new ArrayList<>();
    while (names.hasRemaining()) {
      if (parts.size() == MAX_COMPONENTS) {
        throw new DecodeException("PrincipalName with more than " + MAX_COMPONENTS + " components");
      }
      parts.add(names.string());
    }
    return new PrincipalName(type, parts);
  }

  /** NT-PRINCIPAL 1, NT-SRV-INST 2, NT-SRV-HST 3, NT-ENTERPRISE 10... */
  public int nameType() {
    return nameType;
  }

  public List<String> components() {
    return components;
  }

  @Override
  public String toString() {
    return String.join("/", components);
  }
}
