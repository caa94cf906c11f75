package io.tdsagent.tds.wire;

/**
 * A read ran past the end of the range. Streaming decoders that parse an element from the bytes
 * received so far catch it to mean "wait for more"; everyone else treats it as the {@link
 * DecodeException} it is. Stackless: it is thrown whenever an element straddles a chunk boundary.
 */
public final class ShortReadException extends DecodeException {
  private static final long serialVersionUID = 1L;

  private final long needed;

  /**
   * @param needed bytes from the start of the reader's range that the failed read needed at least
   */
  ShortReadException(String message, long needed) {
    super(message, false);
    this.needed = needed;
  }

  /**
   * Bytes from the start of the range needed at least: the end of the read that failed. Exact when
   * that read was the element's last (a declared length), a lower bound otherwise.
   */
  public long needed() {
    return needed;
  }
}
