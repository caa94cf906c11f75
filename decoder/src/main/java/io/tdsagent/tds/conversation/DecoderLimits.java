package io.tdsagent.tds.conversation;

/**
 * Caps that bound a conversation's memory whatever the peer sends, and the opt-ins for keeping
 * values. Immutable; derive variants with the {@code with...} methods.
 */
public final class DecoderLimits {
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024;
  public static final int DEFAULT_MAX_TLS_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_QUERY_TEXT_CHARS = 64 * 1024;
  public static final int DEFAULT_MAX_RPC_PARAMETERS = 512;

  private static final DecoderLimits DEFAULTS =
      new DecoderLimits(DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_TLS_BYTES);

  private final int maxMessageBytes;
  private final int maxTlsBytes;
  private final int maxQueryTextChars;
  private final int maxParameterValueChars;
  private final int maxRpcParameters;

  /**
   * @param maxMessageBytes largest PRELOGIN, LOGIN7 or login-response message buffered for
   *     decoding; after the login, the largest single token (COLMETADATA...) held over a chunk
   *     boundary
   * @param maxTlsBytes largest TLS handshake message reassembled (records are capped at 18 KiB
   *     regardless)
   */
  public DecoderLimits(int maxMessageBytes, int maxTlsBytes) {
    this(maxMessageBytes, maxTlsBytes, DEFAULT_MAX_QUERY_TEXT_CHARS, 0, DEFAULT_MAX_RPC_PARAMETERS);
  }

  private DecoderLimits(
      int maxMessageBytes,
      int maxTlsBytes,
      int maxQueryTextChars,
      int maxParameterValueChars,
      int maxRpcParameters) {
    if (maxMessageBytes < 1024 || maxTlsBytes < 1024) {
      throw new IllegalArgumentException("limits below 1 KiB");
    }
    if (maxQueryTextChars < 0 || maxParameterValueChars < 0 || maxRpcParameters < 0) {
      throw new IllegalArgumentException("negative limit");
    }
    this.maxMessageBytes = maxMessageBytes;
    this.maxTlsBytes = maxTlsBytes;
    this.maxQueryTextChars = maxQueryTextChars;
    this.maxParameterValueChars = maxParameterValueChars;
    this.maxRpcParameters = maxRpcParameters;
  }

  public static DecoderLimits defaults() {
    return DEFAULTS;
  }

  /**
   * Characters of SQLBatch text (and of an RPC's statement parameter) kept; the rest is counted.
   */
  public DecoderLimits withMaxQueryTextChars(int chars) {
    return new DecoderLimits(
        maxMessageBytes, maxTlsBytes, chars, maxParameterValueChars, maxRpcParameters);
  }

  /**
   * Opt-in: keep a rendering of RPC parameter values of at most this many characters. 0 (the
   * default) means parameter values are skipped and never kept.
   */
  public DecoderLimits withMaxParameterValueChars(int chars) {
    return new DecoderLimits(
        maxMessageBytes, maxTlsBytes, maxQueryTextChars, chars, maxRpcParameters);
  }

  /** Parameters described per RPC (names, types); the rest are skipped and only counted. */
  public DecoderLimits withMaxRpcParameters(int n) {
    return new DecoderLimits(
        maxMessageBytes, maxTlsBytes, maxQueryTextChars, maxParameterValueChars, n);
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  public int maxTlsBytes() {
    return maxTlsBytes;
  }

  public int maxQueryTextChars() {
    return maxQueryTextChars;
  }

  public int maxParameterValueChars() {
    return maxParameterValueChars;
  }

  public int maxRpcParameters() {
    return maxRpcParameters;
  }

  @Override
  public String toString() {
    return "DecoderLimits{maxMessageBytes="
        + maxMessageBytes
        + ", maxTlsBytes="
        + maxTlsBytes
        + ", maxQueryTextChars="
        + maxQueryTextChars
        + ", maxParameterValueChars="
        + maxParameterValueChars
        + ", maxRpcParameters="
        + maxRpcParameters
        + '}';
  }
}
