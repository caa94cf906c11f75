package io.tdsagent.lab.token;

/** ENVCHANGE types (MS-TDS 2.2.7.9). */
public final class EnvChange {
  public static final int DATABASE = 1;
  public static final int LANGUAGE = 2;
  public static final int CHARSET = 3;
  public static final int PACKET_SIZE = 4;
  public static final int SQL_COLLATION = 7;
  public static final int RESET_CONNECTION_ACK = 18;
  public static final int ROUTING = 20;

  private EnvChange() {}
}
