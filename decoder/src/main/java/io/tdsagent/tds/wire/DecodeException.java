package io.tdsagent.tds.wire;

/**
 * Input did not match the format being decoded (truncated, out of range, inconsistent). Never
 * carries payload bytes.
 */
public class DecodeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DecodeException(String message) {
    super(message);
  }

  /** For subclasses used as cheap control flow: no stack trace. */
  protected DecodeException(String message, boolean stackTrace) {
    super(message, null, false, stackTrace);
  }
}
