package io.tdsagent.tds.prelogin;

import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;

/**
 * Decodes a PRELOGIN payload: a table of (token, BE offset, BE length) entries ended by 0xFF, then
 * the option data the offsets point to (offsets are from the start of the payload).
 */
public final class PreloginDecoder {
  /** Keeps a garbage table from spinning: the spec defines 8 options. */
  private static final int MAX_OPTIONS = 64;

  private PreloginDecoder() {}

  /** True when the payload begins like a TLS handshake record rather than an option table. */
  public static boolean looksLikeTls(byte[] buf, int off, int len) {
    return len >= 1
        && (buf[off] & 0xFF) >= 20
        && (buf[off] & 0xFF) <= 23
        && (len < 2 || buf[off + 1] == 3);
  }

  public static Prelogin decode(byte[] buf, int off, int len) {
    return decode(new ByteReader(buf, off, len));
  }

  public static Prelogin decode(ByteReader r) {
    Prelogin.Builder b = new Prelogin.Builder();
    int count = 0;
    while (true) {
      int token = r.u8();
      if (token == PreloginOptionToken.TERMINATOR.value()) {
        break;
      }
      if (++count > MAX_OPTIONS) {
        throw new DecodeException("more than " + MAX_OPTIONS + " PRELOGIN options");
      }
      int offset = r.u16be();
      int length = r.u16be();
      ByteReader data = r.sliceAt(offset, length);
      PreloginOptionToken t = PreloginOptionToken.fromByte(token);
      b.seen(t);
      if (length == 0 && t != PreloginOptionToken.INSTOPT) {
        continue; // servers answer some options (e.g. TRACEID) with an empty entry: present, no
        // value
      }
      switch (t) {
        case VERSION:
          // UL_VERSION: major, minor, build (big-endian); US_SUBBUILD (big-endian as sent by SQL
          // Server)
          int major = data.u8();
          int minor = data.u8();
          int build = data.u16be();
          int sub = data.remaining() >= 2 ? data.u16be() : 0;
          b.version(new PreloginVersion(major, minor, build, sub));
          break;
        case ENCRYPTION:
          b.encryptionRaw(data.u8());
          break;
        case INSTOPT:
          b.instance(data.nulTerminatedAscii());
          break;
        case THREADID:
          // Clients may send an empty THREADID in responses; only a full 4 bytes is a value.
          if (data.remaining() >= 4) {
            b.threadId(data.u32be());
          }
          break;
        case MARS:
          b.mars(data.u8() != 0);
          break;
        case TRACEID:
          b.traceId(new TraceId(data.guid(), data.guid(), data.u32le()));
          break;
        case FEDAUTHREQUIRED:
          b.fedAuthRequired(data.u8());
          break;
        case NONCEOPT:
          b.nonce(true);
          break;
        default:
          b.unknown(new PreloginOption(token, data.bytes(data.remaining())));
          break;
      }
    }
    return b.build();
  }
}
