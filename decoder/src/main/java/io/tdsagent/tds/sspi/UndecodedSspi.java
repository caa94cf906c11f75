package io.tdsagent.tds.sspi;

import io.tdsagent.tds.sspi.mechanism.SspiMechanism;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;

/**
 * A blob that is not a known token ({@code error == null}), or one whose decoding failed: then the
 * mechanism is what the classifier recognised and {@code error} says why (never payload bytes).
 */
public final class UndecodedSspi extends SspiMessage {
  private final SspiMechanism mechanism;
  private final int firstByte;
  private final String error;

  UndecodedSspi(SspiMechanism mechanism, int length, int firstByte, String error) {
    super(length);
    this.mechanism = mechanism;
    this.firstByte = firstByte;
    this.error = error;
  }

  @Override
  public SspiMechanism mechanism() {
    return mechanism;
  }

  @Override
  public String messageName() {
    return error != null ? "malformed" : "unknown";
  }

  @Override
  public boolean isDecoded() {
    return false;
  }

  /** First byte of the blob (-1 if empty): enough to tell what it was without keeping any of it. */
  public int firstByte() {
    return firstByte;
  }

  /** Why decoding failed, or null for a blob of an unknown format. */
  public String error() {
    return error;
  }

  @Override
  public String toString() {
    return "UndecodedSspi{"
        + mechanism.label()
        + ", length="
        + length()
        + (firstByte >= 0 ? ", firstByte=0x" + Integer.toHexString(firstByte) : "")
        + (error != null ? ", error=" + error : "")
        + '}';
  }
}
