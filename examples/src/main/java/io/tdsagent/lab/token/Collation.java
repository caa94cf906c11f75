package io.tdsagent.lab.token;

/** 5-byte TDS COLLATION values (MS-TDS 2.2.5.1.2). */
public final class Collation {
  /** SQL_Latin1_General_CP1_CI_AS: LCID 0x0409, flags CI/AS/KS/WS bits, sort id 52. */
  public static final byte[] SQL_LATIN1_GENERAL_CP1_CI_AS = {0x09, 0x04, (byte) 0xD0, 0x00, 0x34};

  private Collation() {}
}
