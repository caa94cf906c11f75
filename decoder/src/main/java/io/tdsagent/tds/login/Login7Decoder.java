package io.tdsagent.tds.login;

import io.tdsagent.tds.sspi.SspiDecoder;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import java.util.Arrays;

/**
 * Decodes a LOGIN7 payload (MS-TDS 2.2.6.4). All offsets (ib*) are from the start of the payload,
 * string lengths (cch*) are in UTF-16 code units.
 *
 * <p>Callers collecting a LOGIN7 must run {@link #scrubSecrets} over their buffer after every
 * append (as {@link Login7Accumulator} does), so the password never stays in memory longer than one
 * chunk copy; this decoder never reads the ibPassword or ibChangePassword ranges.
 */
public final class Login7Decoder {
  /** Fixed part up to cbSSPILong inclusive (TDS 7.2+); TDS 7.0/7.1 clients stop at 86. */
  static final int FIXED_72 = Login7Secrets.FIXED_72;

  static final int FIXED_71 = Login7Secrets.FIXED_71;

  private static final int OFF_IB_HOST = 36;
  private static final int MAX_FEATURES = 64;

  private Login7Decoder() {}

  /**
   * Zeroes the password and change-password byte ranges of a (possibly partial) LOGIN7 payload held
   * in {@code buf[0..size)}. Idempotent; call after each append.
   */
  public static void scrubSecrets(byte[] buf, int size) {
    Login7Secrets.scrubPasswords(buf, size);
  }

  static boolean hasExtendedFixedPart(byte[] b, int size) {
    return Login7Secrets.hasExtendedFixedPart(b, size);
  }

  public static Login7 decode(byte[] buf, int off, int len) {
    byte[] copy = Arrays.copyOfRange(buf, off, off + len);
    try {
      scrubSecrets(copy, copy.length);
      return decodeScrubbed(copy, copy.length);
    } finally {
      Arrays.fill(copy, (byte) 0);
    }
  }

  /** Decodes a buffer already passed through {@link #scrubSecrets}. */
  static Login7 decodeScrubbed(byte[] buf, int size) {
    if (size < FIXED_71) {
      throw new DecodeException("LOGIN7 of " + size + " bytes is shorter than its fixed part");
    }
    ByteReader r = new ByteReader(buf, 0, size);
    Login7.Builder b = new Login7.Builder();
    b.length(r.u32le());
    b.tdsVersion(r.i32le());
    b.packetSize(r.u32le());
    b.clientProgVersion(r.i32le());
    b.clientPid(r.u32le());
    b.connectionId(r.u32le());
    b.optionFlags1(r.u8());
    b.optionFlags2(r.u8());
    b.typeFlags(r.u8());
    int flags3 = r.u8();
    b.optionFlags3(flags3);
    b.clientTimeZone(r.i32le());
    b.clientLcid(r.u32le());
    r.seek(OFF_IB_HOST);
    b.hostName(string(r));
    b.userName(string(r));
    r.u16le(); // ibPassword: never followed
    b.password(r.u16le() > 0);
    b.appName(string(r));
    b.serverName(string(r));
    int ibExtension = r.u16le();
    int cbExtension = r.u16le();
    b.clientInterfaceName(string(r));
    b.language(string(r));
    b.database(string(r));
    b.clientId(r.bytes(6));
    int ibSspi = r.u16le();
    long cbSspi = r.u16le();
    b.attachDbFile(string(r));
    if (hasExtendedFixedPart(buf, size)) {
      r.u16le(); // ibChangePassword: never followed
      b.changePassword(r.u16le() > 0);
      long cbSspiLong = r.u32le();
      if (cbSspi == 0xFFFF && cbSspiLong > 0) {
        cbSspi = cbSspiLong;
      }
    }
    if (cbSspi > size) {
      throw new DecodeException("SSPI length " + cbSspi + " beyond LOGIN7 of " + size + " bytes");
    }
    if (cbSspi > 0) {
      // decoded in place: the blob is never copied out of the buffer the accumulator wipes
      b.sspi(SspiDecoder.decode(r.sliceAt(ibSspi, (int) cbSspi)), cbSspi);
    }
    if ((flags3 & Login7.F_EXTENSION) != 0 && cbExtension >= 4) {
      long featureOffset = r.sliceAt(ibExtension, 4).u32le();
      if (featureOffset > size) {
        throw new DecodeException(
            "FeatureExt offset " + featureOffset + " beyond LOGIN7 of " + size + " bytes");
      }
      readFeatures(r.sliceAt((int) featureOffset, size - (int) featureOffset), b);
    }
    return b.build();
  }

  /** Reads an (ib, cch) pair at the current position and the string it points to. */
  private static String string(ByteReader r) {
    int ib = r.u16le();
    int cch = r.u16le();
    return cch == 0 ? "" : r.sliceAt(ib, cch * 2).utf16le(cch);
  }

  private static void readFeatures(ByteReader r, Login7.Builder b) {
    for (int i = 0; i < MAX_FEATURES && r.hasRemaining(); i++) {
      int id = r.u8();
      if (id == FeatureId.TERMINATOR.value()) {
        return;
      }
      long len = r.u32le();
      if (len > r.remaining()) {
        throw new DecodeException(
            "feature 0x" + Integer.toHexString(id) + " length " + len + " beyond LOGIN7");
      }
      ByteReader data = r.slice((int) len);
      // FEDAUTH data after the options byte may be an access token: keep the options byte only.
      int keep =
          id == FeatureId.FEDAUTH.value()
              ? Math.min(Login7Secrets.FEDAUTH_KEPT_BYTES, (int) len)
              : (int) len;
      b.feature(new FeatureExtension(id, data.bytes(keep), (int) len));
    }
  }
}
