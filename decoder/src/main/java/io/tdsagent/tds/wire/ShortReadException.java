package io.tdsagent.tds.wire;

/**
 * A read ran past the end of the range. Streaming decoders that parse an element from the bytes received so
 * far catch it to mean "wait for more"; everyone else treats it as the {@link DecodeException} it is.
 * Stackless: it is thrown whenever an element straddles a chunk boundary.
 */
public final class ShortReadException extends DecodeException {
    private static final long serialVersionUID = 1L;

    public ShortReadException(String message) {
        super(message, false);
    }
}
