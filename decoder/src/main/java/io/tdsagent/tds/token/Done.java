package io.tdsagent.tds.token;

/** DONE (0xFD), DONEPROC (0xFE), DONEINPROC (0xFF). */
public final class Done extends Token {
  public static final int STATUS_FINAL = 0x00;
  public static final int STATUS_MORE = 0x01;
  public static final int STATUS_ERROR = 0x02;
  public static final int STATUS_INXACT = 0x04;
  public static final int STATUS_COUNT = 0x10;
  public static final int STATUS_ATTN = 0x20;
  public static final int STATUS_SRVERROR = 0x100;

  private final int status;
  private final int curCmd;
  private final long rowCount;

  public Done(TokenType type, int status, int curCmd, long rowCount) {
    super(type);
    this.status = status;
    this.curCmd = curCmd;
    this.rowCount = rowCount;
  }

  public int status() {
    return status;
  }

  public int curCmd() {
    return curCmd;
  }

  /** DoneRowCount; meaningful when {@link #isCount()}. */
  public long rowCount() {
    return rowCount;
  }

  public boolean isMore() {
    return (status & STATUS_MORE) != 0;
  }

  public boolean isError() {
    return (status & STATUS_ERROR) != 0;
  }

  public boolean isInXact() {
    return (status & STATUS_INXACT) != 0;
  }

  public boolean isCount() {
    return (status & STATUS_COUNT) != 0;
  }

  public boolean isAttn() {
    return (status & STATUS_ATTN) != 0;
  }

  public boolean isSrvError() {
    return (status & STATUS_SRVERROR) != 0;
  }

  @Override
  public String toString() {
    return type()
        + "{status=0x"
        + Integer.toHexString(status)
        + ", curCmd="
        + curCmd
        + ", rowCount="
        + rowCount
        + '}';
  }
}
