package io.tdsagent.tds.login;

import java.util.Arrays;

/**
 * Where a LOGIN7 payload keeps its secrets, shared by the decoder (which scrubs the passwords out
 * of every buffer it collects) and by capture export (which must also hide what integrated and
 * federated authentication send). Offsets are those of MS-TDS 2.2.6.4, from the start of the
 * payload.
 *
 * <p>Every method works on a possibly partial payload {@code buf[0..size)}: ranges are clipped to
 * what is there, and nothing is ever read outside it.
 */
public final class Login7Secrets {
  /** Fixed part up to cbSSPILong inclusive (TDS 7.2+); TDS 7.0/7.1 clients stop at 86. */
  static final int FIXED_72 = 94;

  static final int FIXED_71 = 86;

  static final int OFF_OPTION_FLAGS3 = 27;
  static final int OFF_IB_PASSWORD = 44;
  static final int OFF_IB_EXTENSION = 56;
  static final int OFF_IB_SSPI = 78;
  static final int OFF_IB_CHANGE_PASSWORD = 86;
  static final int OFF_CB_SSPI_LONG = 90;

  /**
   * FEDAUTH feature data kept by both: the options byte (library, echo); the rest may be an access
   * token.
   */
  static final int FEDAUTH_KEPT_BYTES = 1;

  private static final int MAX_FEATURES = 64;

  private Login7Secrets() {}

  /**
   * Zeroes the password and change-password byte ranges. Idempotent; the decoder's collectors call
   * it after each append.
   */
  public static void scrubPasswords(byte[] buf, int size) {
    if (size >= OFF_IB_PASSWORD + 4) {
      fill(buf, size, u16(buf, OFF_IB_PASSWORD), u16(buf, OFF_IB_PASSWORD + 2) * 2);
    }
    if (size >= OFF_IB_CHANGE_PASSWORD + 4 && hasExtendedFixedPart(buf, size)) {
      fill(buf, size, u16(buf, OFF_IB_CHANGE_PASSWORD), u16(buf, OFF_IB_CHANGE_PASSWORD + 2) * 2);
    }
  }

  /**
   * Zeroes everything a LOGIN7 written to a file must not carry: the passwords, the SSPI blob (an
   * NTLM AUTHENTICATE can be cracked offline; a Kerberos AP-REQ carries a ticket) and the FEDAUTH
   * feature data after its options byte (an access token). Lengths and offsets stay as they were,
   * so the payload still parses. A feature block that cannot be walked is zeroed from where it
   * stops making sense to the end.
   */
  public static void maskForExport(byte[] buf, int size) {
    scrubPasswords(buf, size);
    long[] sspi = sspiRange(buf, size);
    if (sspi != null) {
      fill(buf, size, sspi[0], sspi[1]);
    }
    if (size > OFF_OPTION_FLAGS3
        && (buf[OFF_OPTION_FLAGS3] & Login7.F_EXTENSION) != 0
        && size >= OFF_IB_EXTENSION + 4
        && u16(buf, OFF_IB_EXTENSION + 2) >= 4) {
      int ib = u16(buf, OFF_IB_EXTENSION);
      if (ib + 4 <= size) {
        maskFeatures(buf, size, u32(buf, ib));
      }
    }
  }

  /**
   * Where the SSPI blob is, as {offset, length} from the start of the payload (the length may reach
   * past {@code size} when the payload is partial), or null when the fixed part does not reach
   * ibSSPI.
   */
  public static long[] sspiRange(byte[] buf, int size) {
    if (size < OFF_IB_SSPI + 4) {
      return null;
    }
    long cb = u16(buf, OFF_IB_SSPI + 2);
    if (cb == 0xFFFF && size >= OFF_CB_SSPI_LONG + 4 && hasExtendedFixedPart(buf, size)) {
      cb = u32(buf, OFF_CB_SSPI_LONG);
    }
    return new long[] {u16(buf, OFF_IB_SSPI), cb};
  }

  private static void maskFeatures(byte[] buf, int size, long at) {
    for (int i = 0; i < MAX_FEATURES && at < size; i++) {
      int id = buf[(int) at] & 0xFF;
      if (id == FeatureId.TERMINATOR.value()) {
        return;
      }
      if (at + 5 > size) {
        fill(buf, size, at + 1, size); // a truncated entry: nothing after it can be trusted
        return;
      }
      long len = u32(buf, (int) at + 1);
      long data = at + 5;
      if (len > size - data) {
        fill(buf, size, id == FeatureId.FEDAUTH.value() ? data + FEDAUTH_KEPT_BYTES : data, size);
        return;
      }
      if (id == FeatureId.FEDAUTH.value() && len > FEDAUTH_KEPT_BYTES) {
        fill(buf, size, data + FEDAUTH_KEPT_BYTES, len - FEDAUTH_KEPT_BYTES);
      }
      at = data + len;
    }
  }

  /**
   * Whether the fixed part includes ibChangePassword/cchChangePassword/cbSSPILong (94 bytes, TDS
   * 7.2+) rather than ending at 86: decided by where the variable data starts, which is what the
   * server does too.
   */
  static boolean hasExtendedFixedPart(byte[] b, int size) {
    if (size < FIXED_72) {
      return false;
    }
    int min = Integer.MAX_VALUE;
    // (ib, cch) pairs from ibHostName to ibDatabase, then ibSSPI and ibAtchDBFile
    int[] pairs = {36, 40, 44, 48, 52, 56, 60, 64, 68, 78, 82};
    for (int at : pairs) {
      if (u16(b, at + 2) > 0) {
        min = Math.min(min, u16(b, at));
      }
    }
    return min >= FIXED_72;
  }

  private static void fill(byte[] buf, int size, long from, long len) {
    long to = Math.min(size, from + len);
    if (from >= 0 && from < to) {
      Arrays.fill(buf, (int) from, (int) to, (byte) 0);
    }
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
  }

  private static long u32(byte[] b, int at) {
    return ((b[at] & 0xFF)
        | (b[at + 1] & 0xFF) << 8
        | (b[at + 2] & 0xFF) << 16
        | (long) (b[at + 3] & 0xFF) << 24);
  }
}
