package io.tdsagent.tds.tls;

import io.tdsagent.tds.wire.BoundedBuffer;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;

/**
 * One direction of a TLS connection, recognised without decrypting: reassembles records from
 * arbitrary chunks and handshake messages across records (both bounded), parses the clear handshake
 * messages, and once the direction is encrypted only counts records (their bodies are skipped, not
 * buffered).
 */
public final class TlsRecordStream {
  public static final int CHANGE_CIPHER_SPEC = 20;
  public static final int ALERT = 21;
  public static final int HANDSHAKE = 22;
  public static final int APPLICATION_DATA = 23;

  private static final int HEADER = 5;

  /** Largest legal record: 2^14 plaintext + 2048 expansion (RFC 5246 6.2.3). */
  private static final int MAX_RECORD = 16384 + 2048;

  private final TlsSession session;
  private final TlsListener listener;
  private final BoundedBuffer record;
  private final BoundedBuffer handshake;
  private final byte[] header = new byte[HEADER];
  private int headerFill;
  private int contentType;
  private int bodyRemaining;
  private boolean skipping;
  private boolean encrypted;
  private boolean failed;
  private long records;
  private long encryptedRecords;
  private long bytes;

  TlsRecordStream(TlsSession session, int maxBytes, TlsListener listener) {
    this.session = session;
    this.listener = listener;
    // A ClientHello fits; a server's certificate grows them once or twice.
    this.record = new BoundedBuffer(512, Math.min(maxBytes, MAX_RECORD));
    this.handshake = new BoundedBuffer(512, maxBytes);
  }

  public void feed(byte[] buf, int off, int len) {
    int end = off + len;
    int p = off;
    bytes += len;
    while (p < end && !failed) {
      if (headerFill < HEADER) {
        int n = Math.min(HEADER - headerFill, end - p);
        System.arraycopy(buf, p, header, headerFill, n);
        headerFill += n;
        p += n;
        if (headerFill == HEADER) {
          startRecord();
        }
        continue;
      }
      int n = Math.min(bodyRemaining, end - p);
      if (!skipping) {
        record.append(buf, p, n);
      }
      bodyRemaining -= n;
      p += n;
      if (bodyRemaining == 0) {
        endRecord();
      }
    }
  }

  private void startRecord() {
    contentType = header[0] & 0xFF;
    int length = (header[3] & 0xFF) << 8 | (header[4] & 0xFF);
    if (contentType < CHANGE_CIPHER_SPEC || contentType > APPLICATION_DATA || header[1] != 3) {
      fail("not a TLS record header (content type " + contentType + ")");
      return;
    }
    if (length > MAX_RECORD || length > record.cap()) {
      fail("TLS record of " + length + " bytes exceeds the limit");
      return;
    }
    // application_data is opaque by definition; anything after our side turned encrypted too
    skipping = encrypted || contentType == APPLICATION_DATA;
    bodyRemaining = length;
    record.clear();
    if (length == 0) {
      endRecord();
    }
  }

  private void endRecord() {
    headerFill = 0;
    records++;
    int length = (header[3] & 0xFF) << 8 | (header[4] & 0xFF);
    if (skipping) {
      encryptedRecords++;
      listener.onRecord(contentType, length, true);
      return;
    }
    try {
      switch (contentType) {
        case CHANGE_CIPHER_SPEC:
          encrypted = true;
          break;
        case ALERT:
          {
            ByteReader r = record.reader();
            while (r.remaining() >= 2) {
              listener.onAlert(new TlsAlert(r.u8(), r.u8()));
            }
            break;
          }
        case HANDSHAKE:
          if (!handshake.append(record.array(), 0, record.size())) {
            fail("TLS handshake message exceeds " + handshake.cap() + " bytes");
            return;
          }
          drainHandshakes();
          break;
        default:
          break;
      }
    } catch (DecodeException e) {
      fail("malformed TLS " + TlsNames.contentType(contentType) + ": " + e.getMessage());
      return;
    } finally {
      record.clear();
    }
    listener.onRecord(contentType, length, false);
  }

  private void drainHandshakes() {
    while (handshake.size() >= 4 && !encrypted) {
      byte[] a = handshake.array();
      int type = a[0] & 0xFF;
      int len = (a[1] & 0xFF) << 16 | (a[2] & 0xFF) << 8 | (a[3] & 0xFF);
      if (len > handshake.cap() - 4) {
        fail("TLS handshake message of " + len + " bytes exceeds the limit");
        return;
      }
      if (handshake.size() < 4 + len) {
        return;
      }
      TlsHandshakeMessage m =
          TlsHandshakeParser.parse(type, new ByteReader(a, 4, len), session.isTls13());
      handshake.discard(4 + len);
      if (m instanceof ServerHello) {
        session.onServerHello((ServerHello) m);
      }
      listener.onHandshake(m);
    }
  }

  /** From now on records in this direction are only counted. */
  void markEncrypted() {
    encrypted = true;
    handshake.clear();
  }

  private void fail(String reason) {
    failed = true;
    record.clear();
    handshake.clear();
    listener.onError(reason);
  }

  public boolean isEncrypted() {
    return encrypted;
  }

  public boolean isFailed() {
    return failed;
  }

  /** True between records (no partial record pending). */
  public boolean atRecordBoundary() {
    return headerFill == 0;
  }

  public long records() {
    return records;
  }

  public long encryptedRecords() {
    return encryptedRecords;
  }

  public long bytes() {
    return bytes;
  }
}
