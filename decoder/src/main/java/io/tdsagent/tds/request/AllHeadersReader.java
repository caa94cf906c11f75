package io.tdsagent.tds.request;

import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import java.util.UUID;

/**
 * Reads ALL_HEADERS (MS-TDS 2.2.5.3) at the start of a SQLBatch, RPC or Transaction Manager
 * request.
 */
final class AllHeadersReader {
  /** ALL_HEADERS larger than this are taken for batch text (a 7.1-style batch without headers). */
  private static final int MAX_ALL_HEADERS = 64 * 1024;

  private AllHeadersReader() {}

  /**
   * ALL_HEADERS is mandatory from TDS 7.2 but absent before: tell it from UTF-16 text or a
   * procedure name.
   */
  static boolean looksLikeAllHeaders(ByteReader r, long total) {
    if (total < 4 || total > MAX_ALL_HEADERS) {
      return false;
    }
    if (total == 4) {
      return true;
    }
    long first = r.u32le();
    int headerType = r.u16le();
    r.seek(4);
    return first >= 6 && first <= total - 4 && headerType >= 1 && headerType <= 3;
  }

  static AllHeaders parseAllHeaders(ByteReader r) {
    long txn = 0;
    long outstanding = 0;
    UUID activity = null;
    long sequence = 0;
    boolean notification = false;
    long timeout = -1;
    while (r.hasRemaining()) {
      long len = r.u32le();
      if (len < 6 || len - 4 > r.remaining()) {
        throw new DecodeException("ALL_HEADERS header length " + len);
      }
      ByteReader h = r.slice((int) len - 4);
      int headerType = h.u16le();
      switch (headerType) {
        case 1:
          notification = true;
          h.skip(h.u16le()); // NotifyId
          h.skip(h.u16le()); // SSBDeployment
          if (h.remaining() >= 4) {
            timeout = h.u32le();
          }
          break;
        case 2:
          txn = h.i64le();
          outstanding = h.u32le();
          break;
        case 3:
          activity = h.guid();
          sequence = h.u32le();
          break;
        default:
          break; // unknown header: its length lets us step over it
      }
    }
    return new AllHeaders(txn, outstanding, activity, sequence, notification, timeout);
  }
}
