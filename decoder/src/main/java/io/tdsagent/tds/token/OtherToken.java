package io.tdsagent.tds.token;

/**
 * A token whose length is known but whose content this decoder does not interpret (RETURNSTATUS,
 * ORDER...).
 */
public final class OtherToken extends Token {
  private final int rawType;
  private final int length;

  public OtherToken(int rawType, int length) {
    super(TokenType.fromCode(rawType));
    this.rawType = rawType;
    this.length = length;
  }

  public int rawType() {
    return rawType;
  }

  /** Bytes after the token type byte. */
  public int length() {
    return length;
  }

  @Override
  public String toString() {
    return "OtherToken{"
        + type()
        + "(0x"
        + Integer.toHexString(rawType)
        + "), length="
        + length
        + '}';
  }
}
