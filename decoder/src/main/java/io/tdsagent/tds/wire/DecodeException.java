package io.tdsagent.tds.wire;

/** Input did not match the format being decoded (truncated, out of range, inconsistent). Never carries payload bytes. */
public final class DecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DecodeException(String message) {
        super(message);
    }
}
