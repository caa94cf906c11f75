package io.tdsagent.tds.conversation;

/** Caps that bound a conversation's memory whatever the peer sends. */
public final class DecoderLimits {
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
    public static final int DEFAULT_MAX_TLS_BYTES = 64 * 1024;

    private static final DecoderLimits DEFAULTS = new DecoderLimits(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_TLS_BYTES);

    private final int maxMessageBytes;
    private final int maxTlsBytes;

    /**
     * @param maxMessageBytes largest PRELOGIN, LOGIN7 or login-response message buffered for decoding
     * @param maxTlsBytes     largest TLS handshake message reassembled (records are capped at 18 KiB regardless)
     */
    public DecoderLimits(int maxMessageBytes, int maxTlsBytes) {
        if (maxMessageBytes < 1024 || maxTlsBytes < 1024) {
            throw new IllegalArgumentException("limits below 1 KiB");
        }
        this.maxMessageBytes = maxMessageBytes;
        this.maxTlsBytes = maxTlsBytes;
    }

    public static DecoderLimits defaults() {
        return DEFAULTS;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public int maxTlsBytes() {
        return maxTlsBytes;
    }

    @Override
    public String toString() {
        return "DecoderLimits{maxMessageBytes=" + maxMessageBytes + ", maxTlsBytes=" + maxTlsBytes + '}';
    }
}
