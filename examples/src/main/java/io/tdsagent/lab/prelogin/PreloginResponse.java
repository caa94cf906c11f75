package io.tdsagent.lab.prelogin;

import io.tdsagent.lab.wire.TdsBuffer;
import java.util.ArrayList;
import java.util.List;

/** Builds the server's PRELOGIN answer: option table, TERMINATOR, then option data. */
public final class PreloginResponse {
  private final List<Integer> order = new ArrayList<>();
  private final List<byte[]> data = new ArrayList<>();

  public PreloginResponse option(int token, byte... value) {
    order.add(token);
    data.add(value);
    return this;
  }

  /** VERSION: UL_VERSION (major, minor, build big-endian) then US_SUBBUILD. */
  public PreloginResponse version(int major, int minor, int build, int subBuild) {
    return option(
        PreloginOption.VERSION,
        (byte) major,
        (byte) minor,
        (byte) (build >>> 8),
        (byte) build,
        (byte) (subBuild >>> 8),
        (byte) subBuild);
  }

  public TdsBuffer encode() {
    TdsBuffer out = new TdsBuffer(64);
    int offset = order.size() * 5 + 1;
    for (int i = 0; i < order.size(); i++) {
      out.byte1(order.get(i)).uint16BigEndian(offset).uint16BigEndian(data.get(i).length);
      offset += data.get(i).length;
    }
    out.byte1(PreloginOption.TERMINATOR);
    for (byte[] d : data) {
      out.bytes(d);
    }
    return out;
  }
}
