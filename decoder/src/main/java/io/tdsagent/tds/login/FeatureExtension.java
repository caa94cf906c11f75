package io.tdsagent.tds.login;

import io.tdsagent.tds.wire.Hex;

/**
 * One LOGIN7 FeatureExt entry. For FEDAUTH only the first data byte (library and echo flags) is
 * kept: the rest can be an access token, a credential like the password.
 */
public final class FeatureExtension {
  private final int rawId;
  private final byte[] data;
  private final int dataLength;

  FeatureExtension(int rawId, byte[] data, int dataLength) {
    this.rawId = rawId;
    this.data = data.clone();
    this.dataLength = dataLength;
  }

  public FeatureId id() {
    return FeatureId.fromByte(rawId);
  }

  public int rawId() {
    return rawId;
  }

  /** The kept data (for FEDAUTH, truncated to its options byte). */
  public byte[] data() {
    return data.clone();
  }

  /** FeatureDataLen as sent. */
  public int dataLength() {
    return dataLength;
  }

  @Override
  public String toString() {
    return "FeatureExtension{"
        + id()
        + "(0x"
        + Integer.toHexString(rawId)
        + "), length="
        + dataLength
        + ", data="
        + Hex.brief(data)
        + '}';
  }
}
