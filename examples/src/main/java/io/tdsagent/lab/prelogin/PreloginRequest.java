package io.tdsagent.lab.prelogin;

import io.tdsagent.lab.wire.TdsCursor;
import io.tdsagent.lab.wire.TdsProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A client's PRELOGIN options (MS-TDS 2.2.6.5). */
public final class PreloginRequest {
  private final Map<Integer, byte[]> options;

  private PreloginRequest(Map<Integer, byte[]> options) {
    this.options = options;
  }

  public static PreloginRequest parse(byte[] payload) throws TdsProtocolException {
    TdsCursor c = new TdsCursor(payload);
    Map<Integer, byte[]> options = new LinkedHashMap<>();
    while (true) {
      int token = c.uint8();
      if (token == PreloginOption.TERMINATOR) {
        break;
      }
      int offset = c.uint16BigEndian();
      int length = c.uint16BigEndian();
      if (options.isEmpty() && token != PreloginOption.VERSION) {
        throw new TdsProtocolException("PRELOGIN must start with VERSION, got option " + token);
      }
      options.put(token, c.bytesAt(offset, length));
    }
    if (!options.containsKey(PreloginOption.VERSION)) {
      throw new TdsProtocolException("PRELOGIN without VERSION");
    }
    return new PreloginRequest(options);
  }

  public Map<Integer, byte[]> options() {
    return Collections.unmodifiableMap(options);
  }

  public boolean has(int option) {
    return options.containsKey(option);
  }

  /** B_FENCRYPTION; ENCRYPT_OFF if the client did not send the option. */
  public int encryption() {
    byte[] v = options.get(PreloginOption.ENCRYPTION);
    return v == null || v.length == 0 ? PreloginOption.ENCRYPT_OFF : v[0] & 0xFF;
  }

  /** Instance name from INSTOPT (NUL-terminated MBCS), empty if absent. */
  public String instance() {
    byte[] v = options.get(PreloginOption.INSTOPT);
    if (v == null) {
      return "";
    }
    int end = 0;
    while (end < v.length && v[end] != 0) {
      end++;
    }
    return new String(v, 0, end, StandardCharsets.ISO_8859_1);
  }

  public boolean marsRequested() {
    byte[] v = options.get(PreloginOption.MARS);
    return v != null && v.length > 0 && v[0] == 1;
  }

  public boolean fedAuthRequiredOption() {
    return options.containsKey(PreloginOption.FEDAUTHREQUIRED);
  }

  /** Client version as "major.minor.build.subbuild" (UL_VERSION big-endian, US_SUBBUILD). */
  public String clientVersion() {
    byte[] v = options.get(PreloginOption.VERSION);
    if (v == null || v.length < 6) {
      return "?";
    }
    return (v[0] & 0xFF)
        + "."
        + (v[1] & 0xFF)
        + "."
        + (((v[2] & 0xFF) << 8) | (v[3] & 0xFF))
        + "."
        + (((v[4] & 0xFF) << 8) | (v[5] & 0xFF));
  }
}
