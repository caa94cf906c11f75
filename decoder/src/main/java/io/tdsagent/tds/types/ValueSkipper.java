package io.tdsagent.tds.types;

/**
 * Steps over one TYPE_VARBYTE value fed in arbitrary pieces, keeping only counters: the length
 * prefix being assembled (at most 8 bytes), the bytes left to skip, the PLP chunk state. A PLP
 * value of gigabytes costs the same memory as an int. Data bytes can optionally be handed to a
 * {@link Sink} (bounded captures).
 *
 * <p>Value kinds are ints: the low byte is one of the {@code K_} constants, the fixed size sits
 * above it.
 */
public final class ValueSkipper {
  /** Fixed size, no prefix. */
  public static final int K_FIXED = 0;

  /** BYTELEN prefix; 0 is NULL. */
  public static final int K_BYTELEN = 1;

  /** USHORTCHARBINLEN prefix; 0xFFFF is NULL. */
  public static final int K_USHORTLEN = 2;

  /** LONGLEN prefix (sql_variant); 0 or 0xFFFFFFFF is NULL. */
  public static final int K_LONGLEN = 3;

  /** PLP body: ULONGLONGLEN then chunks to a zero terminator. */
  public static final int K_PLP = 4;

  /** text/ntext/image: B_VARBYTE TextPointer (0 is NULL), 8-byte timestamp, LONGLEN data. */
  public static final int K_TEXTPTR = 5;

  /** A type this skipper cannot step over (TVP, unknown). */
  public static final int K_UNSUPPORTED = 6;

  /**
   * text/ntext/image outside ROW data (RPC parameters, TVP rows): LONGLEN data, 0xFFFFFFFF is NULL.
   */
  public static final int K_LONGCHARBIN = 7;

  /** Receives data bytes (never length prefixes) of the value being skipped. */
  public interface Sink {
    void onData(byte[] buf, int off, int len);
  }

  private static final int IDLE = 0;
  private static final int LENGTH = 1;
  private static final int DATA = 2;
  private static final int PLP_TOTAL = 3;
  private static final int PLP_CHUNK = 4;
  private static final int TEXTPTR_LENGTH = 5;
  private static final int TEXTPTR_BODY = 6;
  private static final int TEXT_LENGTH = 7;

  private int state = IDLE;
  private int kind;
  private long acc;
  private int accHave;
  private int accNeed;
  private long remaining;
  private boolean plpData;
  private boolean isNull;
  private long dataLength;
  private Sink sink;

  public static int kindOf(TdsDataType t, long maxLength) {
    switch (t.lengthClass()) {
      case FIXED:
        return K_FIXED | t.fixedLength() << 8;
      case BYTELEN:
        return K_BYTELEN;
      case USHORTLEN:
        boolean maxType =
            t == TdsDataType.BIGVARCHAR
                || t == TdsDataType.BIGVARBINARY
                || t == TdsDataType.NVARCHAR;
        return maxType && maxLength == 0xFFFF ? K_PLP : K_USHORTLEN;
      case LONGLEN:
        return t == TdsDataType.SSVARIANT ? K_LONGLEN : K_TEXTPTR;
      case PLP:
        return K_PLP;
      default:
        return K_UNSUPPORTED;
    }
  }

  /**
   * The kind of a value that is TYPE_VARBYTE alone (RPC parameters, RETURNVALUE, TVP rows): text,
   * ntext and image carry a TextPointer and Timestamp only in ROW and NBCROW data (MS-TDS
   * 2.2.5.2.3, 2.2.7.20, 2.2.7.24).
   */
  public static int withoutTextPointer(int kind) {
    return (kind & 0xFF) == K_TEXTPTR ? K_LONGCHARBIN : kind;
  }

  /** Starts a value of the given kind; {@code sink} may be null. */
  public void start(int valueKind, Sink sink) {
    this.kind = valueKind & 0xFF;
    this.sink = sink;
    this.isNull = false;
    this.dataLength = 0;
    switch (kind) {
      case K_FIXED:
        remaining = valueKind >>> 8;
        dataLength = remaining;
        plpData = false;
        state = remaining == 0 ? IDLE : DATA;
        break;
      case K_BYTELEN:
        length(LENGTH, 1);
        break;
      case K_USHORTLEN:
        length(LENGTH, 2);
        break;
      case K_LONGLEN:
      case K_LONGCHARBIN:
        length(LENGTH, 4);
        break;
      case K_PLP:
        length(PLP_TOTAL, 8);
        break;
      case K_TEXTPTR:
        length(TEXTPTR_LENGTH, 1);
        break;
      default:
        throw new IllegalArgumentException("value kind " + kind);
    }
  }

  private void length(int next, int bytes) {
    state = next;
    acc = 0;
    accHave = 0;
    accNeed = bytes;
  }

  /** True when no value is in progress. */
  public boolean done() {
    return state == IDLE;
  }

  /** After {@link #done()}: the value was NULL. */
  public boolean isNull() {
    return isNull;
  }

  /** After {@link #done()}: data bytes of the value (sum of PLP chunks). */
  public long dataLength() {
    return dataLength;
  }

  /** Abandons the value in progress. */
  public void reset() {
    state = IDLE;
    sink = null;
  }

  /**
   * Consumes from {@code buf[p, end)}; returns the new position ({@code end} unless the value
   * finished).
   */
  public int feed(byte[] buf, int p, int end) {
    while (state != IDLE) {
      if (state == DATA || state == TEXTPTR_BODY) {
        long n = Math.min(remaining, end - p);
        if (sink != null && state == DATA && n > 0) {
          sink.onData(buf, p, (int) n);
        }
        p += (int) n;
        remaining -= n;
        if (remaining > 0) {
          return p;
        }
        if (state == TEXTPTR_BODY) {
          length(TEXT_LENGTH, 4);
        } else if (plpData) {
          length(PLP_CHUNK, 4);
        } else {
          finish();
        }
        continue;
      }
      while (accHave < accNeed) {
        if (p == end) {
          return p;
        }
        acc |= (buf[p++] & 0xFFL) << (accHave << 3);
        accHave++;
      }
      onLength(acc);
    }
    return p;
  }

  private void onLength(long v) {
    switch (state) {
      case LENGTH:
        // GEN_NULL (0) for BYTELEN, CHARBIN_NULL for USHORTLEN; sql_variant uses 0 (and -1 is no
        // value either)
        boolean nul =
            kind == K_BYTELEN
                ? v == 0
                : kind == K_USHORTLEN
                    ? v == 0xFFFF
                    : kind == K_LONGCHARBIN ? v == 0xFFFFFFFFL : v == 0 || v == 0xFFFFFFFFL;
        if (nul) {
          isNull = true;
          finish();
          return;
        }
        data(v, false);
        return;
      case PLP_TOTAL:
        if (v == -1L) {
          isNull = true;
          finish();
          return;
        }
        length(PLP_CHUNK, 4);
        return;
      case PLP_CHUNK:
        if (v == 0) {
          finish(); // PLP_TERMINATOR
          return;
        }
        data(v, true);
        return;
      case TEXTPTR_LENGTH:
        if (v == 0) {
          isNull = true;
          finish();
          return;
        }
        state = TEXTPTR_BODY;
        remaining = v + 8; // TextPointer, then the 8-byte Timestamp
        return;
      case TEXT_LENGTH:
        if (v == 0xFFFFFFFFL) {
          isNull = true;
          finish();
          return;
        }
        data(v, false);
        return;
      default:
        throw new IllegalStateException("state " + state);
    }
  }

  private void data(long n, boolean plp) {
    plpData = plp;
    dataLength += n;
    remaining = n;
    if (n == 0) {
      if (plp) {
        length(PLP_CHUNK, 4);
      } else {
        finish();
      }
    } else {
      state = DATA;
    }
  }

  private void finish() {
    state = IDLE;
    sink = null;
  }
}
