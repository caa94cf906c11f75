package io.tdsagent.lab.login;

/** LOGIN7 FeatureExt ids (MS-TDS 2.2.6.4). */
public final class FeatureId {
  public static final int SESSIONRECOVERY = 0x01;
  public static final int FEDAUTH = 0x02;
  public static final int COLUMNENCRYPTION = 0x04;
  public static final int GLOBALTRANSACTIONS = 0x05;
  public static final int AZURESQLSUPPORT = 0x08;
  public static final int DATACLASSIFICATION = 0x09;
  public static final int UTF8_SUPPORT = 0x0A;
  public static final int AZURESQLDNSCACHING = 0x0B;
  public static final int JSONSUPPORT = 0x0D;
  public static final int VECTORSUPPORT = 0x0E;
  public static final int ENHANCEDROUTINGSUPPORT = 0x0F;

  /** Sent by recent mssql-jdbc versions; not in the spec revision we read. */
  public static final int USERAGENT = 0x10;

  public static final int TERMINATOR = 0xFF;

  private FeatureId() {}

  public static String name(int id) {
    switch (id) {
      case SESSIONRECOVERY:
        return "SESSIONRECOVERY";
      case FEDAUTH:
        return "FEDAUTH";
      case COLUMNENCRYPTION:
        return "COLUMNENCRYPTION";
      case GLOBALTRANSACTIONS:
        return "GLOBALTRANSACTIONS";
      case AZURESQLSUPPORT:
        return "AZURESQLSUPPORT";
      case DATACLASSIFICATION:
        return "DATACLASSIFICATION";
      case UTF8_SUPPORT:
        return "UTF8_SUPPORT";
      case AZURESQLDNSCACHING:
        return "AZURESQLDNSCACHING";
      case JSONSUPPORT:
        return "JSONSUPPORT";
      case VECTORSUPPORT:
        return "VECTORSUPPORT";
      case ENHANCEDROUTINGSUPPORT:
        return "ENHANCEDROUTINGSUPPORT";
      case USERAGENT:
        return "USERAGENT";
      default:
        return String.format("0x%02X", id);
    }
  }
}
