package io.tdsagent.lab.token;

/** DONE status bits and CurCmd values (MS-TDS 2.2.7.6). */
public final class Done {
  public static final int FINAL = 0x0000;
  public static final int MORE = 0x0001;
  public static final int ERROR = 0x0002;
  public static final int INXACT = 0x0004;
  public static final int COUNT = 0x0010;
  public static final int ATTN = 0x0020;
  public static final int SRVERROR = 0x0100;

  /** CurCmd of a SELECT statement. */
  public static final int CMD_SELECT = 0xC1;

  public static final int CMD_NONE = 0x00;
  public static final int CMD_INSERT = 0xC3;
  public static final int CMD_DELETE = 0xC4;
  public static final int CMD_UPDATE = 0xC5;

  /** CurCmd of EXEC (a stored procedure call). */
  public static final int CMD_EXECUTE = 0xE0;

  private Done() {}
}
