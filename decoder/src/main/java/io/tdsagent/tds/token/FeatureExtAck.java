package io.tdsagent.tds.token;

import io.tdsagent.tds.login.FeatureId;
import io.tdsagent.tds.wire.Hex;

/**
 * One acknowledged feature of a FEATUREEXTACK (0xAE) token; the decoder emits one per
 * FeatureAckOpt.
 */
public final class FeatureExtAck extends Token {
  private final int rawId;
  private final byte[] data;

  public FeatureExtAck(int rawId, byte[] data) {
    super(TokenType.FEATUREEXTACK);
    this.rawId = rawId;
    this.data = data.clone();
  }

  public FeatureId featureId() {
    return FeatureId.fromByte(rawId);
  }

  public int rawFeatureId() {
    return rawId;
  }

  public byte[] data() {
    return data.clone();
  }

  @Override
  public String toString() {
    return "FeatureExtAck{"
        + featureId()
        + "(0x"
        + Integer.toHexString(rawId)
        + "), data="
        + Hex.brief(data)
        + '}';
  }
}
