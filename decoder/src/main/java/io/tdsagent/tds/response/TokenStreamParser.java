package io.tdsagent.tds.response;

import io.tdsagent.tds.login.TdsVersion;
import io.tdsagent.tds.token.AltMetadata;
import io.tdsagent.tds.token.ColMetadata;
import io.tdsagent.tds.token.Column;
import io.tdsagent.tds.token.CryptoMetadata;
import io.tdsagent.tds.token.Done;
import io.tdsagent.tds.token.FeatureExtAck;
import io.tdsagent.tds.token.OtherToken;
import io.tdsagent.tds.token.ReturnStatus;
import io.tdsagent.tds.token.ReturnValue;
import io.tdsagent.tds.token.Token;
import io.tdsagent.tds.token.TokenSink;
import io.tdsagent.tds.token.TokenStreamDecoder;
import io.tdsagent.tds.token.TokenType;
import io.tdsagent.tds.types.TypeInfo;
import io.tdsagent.tds.types.TypeInfoReader;
import io.tdsagent.tds.types.ValueSkipper;
import io.tdsagent.tds.wire.BoundedBuffer;
import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import io.tdsagent.tds.wire.ElementCarry;
import io.tdsagent.tds.wire.ShortReadException;
import java.util.ArrayList;
import java.util.List;

/**
 * A token stream (MS-TDS 2.2.7) decoded as it arrives, in pieces of any size, with bounded memory.
 *
 * <p>Three ways of consuming bytes, chosen per token:
 *
 * <ul>
 *   <li>rows are stepped over column by column straight from the caller's buffer, using the value
 *       layout derived from the last COLMETADATA; a value cut by a chunk boundary continues in a
 *       {@link ValueSkipper} that keeps counters only, so a multi-megabyte PLP value costs nothing;
 *   <li>tokens whose content is not needed (ORDER, TABNAME, COLINFO, SESSIONSTATE...) are skipped
 *       by length;
 *   <li>tokens that are decoded (COLMETADATA, DONE, ERROR, ENVCHANGE, RETURNVALUE's header...) are
 *       parsed from the chunk in place; one cut by a boundary is collected in a carry-over buffer
 *       capped by {@code maxCarryBytes} and parsed again when more bytes arrive.
 * </ul>
 *
 * Call {@link #endOfMessage()} at the end of each TABULAR_RESULT message. Never throws: malformed
 * input reports {@link TokenHandler#onError} and the rest of the message is ignored. Not
 * thread-safe.
 */
public final class TokenStreamParser {
  private static final int TOKEN = 0;
  private static final int ELEMENT = 1;
  private static final int SKIP = 2;
  private static final int ROW = 3;
  private static final int VALUE = 4;
  private static final int FAILED = 5;

  private static final int ROW_TOKEN = 0xD1;
  private static final int NBCROW_TOKEN = 0xD2;
  private static final int ALTROW_TOKEN = 0xD3;

  /** COMPUTE clauses per result set are few; more ALTMETADATA ids than this are an error. */
  private static final int MAX_ALT_IDS = 64;

  private static final int TDS_7_1 = 0x71000001;
  private static final int NARROW_DONE_SIZE = 9;
  private static final byte[] NO_BYTES = new byte[0];

  private final TokenHandler handler;

  /**
   * Tokens parsed whole; one cut by a chunk boundary is held and parsed again (see {@link
   * #retryPoint}).
   */
  private final ElementCarry elements;

  private final BoundedBuffer carry;
  private final ValueSkipper value = new ValueSkipper();

  private int tdsVersion;
  private boolean columnEncryption;
  private int dataClassificationVersion = 1;

  private int state = TOKEN;
  private long skip;

  // value layout of the current result set, reused across responses for NoMetaData
  private int[] kinds = new int[0];
  private int columnCount = -1;
  private final int[] altIds = new int[MAX_ALT_IDS];
  private final int[][] altKinds = new int[MAX_ALT_IDS][];
  private int altCount;

  // the row being stepped over
  private int[] rowKinds;
  private int rowColumns;
  private int rowToken;
  private boolean nbc;
  private byte[] nullBitmap = new byte[0];
  private int column;

  // where the element being parsed lives (for reusing TokenStreamDecoder on whole tokens)
  private byte[] elementBuf;
  private int elementOff;

  public TokenStreamParser(TokenHandler handler, int maxCarryBytes) {
    this.handler = handler;
    this.elements =
        new ElementCarry(
            new ElementCarry.Owner() {
              @Override
              public boolean parse(ByteReader r, byte[] buf, int off) {
                return parseWholeToken(r, buf, off);
              }

              @Override
              public long retryPoint(int code, int held, long needed) {
                return TokenStreamParser.retryPoint(code, held, needed);
              }

              @Override
              public void tooLong(int code) {
                fail(
                    "token 0x"
                        + Integer.toHexString(code)
                        + " longer than "
                        + carry.cap()
                        + " bytes");
              }

              @Override
              public void refeed(byte[] rest) {
                feed(rest, 0, rest.length);
              }
            },
            maxCarryBytes);
    this.carry = elements.buffer();
  }

  /** Negotiated TDS version (LOGINACK); 0 if unknown, decoded as 7.2 or later. */
  public TokenStreamParser tdsVersion(int version) {
    this.tdsVersion = version;
    return this;
  }

  /**
   * COLUMNENCRYPTION was acknowledged: COLMETADATA carries a CEK table and per-column crypto
   * metadata.
   */
  public TokenStreamParser columnEncryption(boolean on) {
    this.columnEncryption = on;
    return this;
  }

  /** DATACLASSIFICATION_VERSION acknowledged at login (2 adds sensitivity ranks). */
  public TokenStreamParser dataClassificationVersion(int version) {
    this.dataClassificationVersion = version;
    return this;
  }

  private boolean tds72() {
    return tdsVersion == 0 || TdsVersion.atLeast72(tdsVersion);
  }

  /** Bytes held over from an element cut by a chunk boundary. */
  public int carriedBytes() {
    return carry.size();
  }

  /** True between tokens (nothing partially consumed). */
  public boolean atTokenBoundary() {
    return state == TOKEN && carry.size() == 0;
  }

  public void feed(byte[] buf, int off, int len) {
    int p = off;
    int end = off + len;
    try {
      while (p < end) {
        switch (state) {
          case TOKEN:
            p = token(buf, p, end);
            break;
          case ROW:
            p = row(buf, p, end);
            break;
          case SKIP:
            {
              long n = Math.min(skip, end - p);
              p += (int) n;
              skip -= n;
              if (skip == 0) {
                state = TOKEN;
              }
              break;
            }
          case ELEMENT:
            p = element(buf, p, end);
            break;
          case VALUE:
            p = value.feed(buf, p, end);
            if (value.done()) {
              state = TOKEN;
            }
            break;
          default:
            return; // FAILED: ignore the rest of the message
        }
      }
    } catch (RuntimeException e) {
      // a bug must not take the application down: give up on this message
      fail(e instanceof DecodeException ? e.getMessage() : "internal: " + e.getClass().getName());
    }
  }

  /**
   * Bytes read by element parses so far, failed attempts included (for tests of the cost's
   * linearity).
   */
  long bytesExamined() {
    return elements.examined();
  }

  /** The message ended: anything half-decoded is an error; the next message starts at a token. */
  public void endOfMessage() {
    if (state == ELEMENT && carry.size() > 0 && carry.size() < elements.retryAt()) {
      elements.resetRetry(); // a held element that may be whole: its last chance
      try {
        element(NO_BYTES, 0, 0);
      } catch (RuntimeException e) {
        fail(e instanceof DecodeException ? e.getMessage() : "internal: " + e.getClass().getName());
      }
    }
    if (state == ELEMENT
        && tdsVersion == 0
        && carry.size() == NARROW_DONE_SIZE
        && (carry.array()[0] & 0xFF) >= 0xFD) {
      // a DONE of a pre-7.2 server ending the message: the 8-byte reading ran past the end
      tdsVersion = TDS_7_1;
      try {
        elementBuf = carry.array();
        elementOff = 0;
        state = parseElement(carry.reader());
      } catch (RuntimeException e) {
        handler.onError("DONE: " + e.getMessage());
      }
      carry.clear();
    }
    if (state != TOKEN && state != FAILED || carry.size() > 0) {
      handler.onError("message ended inside " + describeState());
    }
    state = TOKEN;
    carry.clear();
    elements.resetRetry();
    value.reset();
    skip = 0;
  }

  private String describeState() {
    switch (state) {
      case ROW:
        return "a row (column " + column + " of " + rowColumns + ")";
      case VALUE:
        return "a RETURNVALUE value";
      case SKIP:
        return "a token (" + skip + " bytes missing)";
      default:
        return "a token (" + carry.size() + " bytes held)";
    }
  }

  private void fail(String reason) {
    state = FAILED;
    elements.resetRetry();
    carry.clear();
    value.reset();
    handler.onError(reason);
  }

  // ---- rows: the hot path --------------------------------------------------------------------

  private int token(byte[] buf, int p, int end) {
    int t = buf[p] & 0xFF;
    if (t == ROW_TOKEN) {
      if (columnCount < 0) {
        fail("ROW without COLMETADATA");
        return end;
      }
      startRow(ROW_TOKEN, kinds, columnCount, false);
      return row(buf, p + 1, end);
    }
    if (t == NBCROW_TOKEN && columnCount >= 0) {
      int bitmap = (columnCount + 7) >>> 3;
      if (end - p > bitmap) {
        System.arraycopy(buf, p + 1, nullBitmap, 0, bitmap);
        startRow(NBCROW_TOKEN, kinds, columnCount, true);
        return row(buf, p + 1 + bitmap, end);
      }
    }
    state = ELEMENT;
    return element(buf, p, end);
  }

  private void startRow(int token, int[] layout, int count, boolean nullBitmapped) {
    rowToken = token;
    rowKinds = layout;
    rowColumns = count;
    nbc = nullBitmapped;
    column = 0;
    state = ROW;
  }

  private int row(byte[] buf, int p, int end) {
    if (!value.done()) {
      p = value.feed(buf, p, end);
      if (!value.done()) {
        return p;
      }
    }
    final int[] k = rowKinds;
    final int n = rowColumns;
    final boolean bitmapped = nbc;
    final byte[] bitmap = nullBitmap;
    int c = column;
    for (; ; ) {
      while (c < n) {
        if (bitmapped && (bitmap[c >>> 3] & (1 << (c & 7))) != 0) {
          c++; // NULL: not on the wire
          continue;
        }
        int kind = k[c];
        int avail = end - p;
        switch (kind & 0xFF) {
          case ValueSkipper.K_FIXED:
            {
              int len = kind >>> 8;
              if (avail >= len) {
                p += len;
                c++;
                continue;
              }
              break;
            }
          case ValueSkipper.K_BYTELEN:
            if (avail > 0) {
              int len = buf[p] & 0xFF;
              if (avail > len) {
                p += len + 1;
                c++;
                continue;
              }
            }
            break;
          case ValueSkipper.K_USHORTLEN:
            if (avail >= 2) {
              int len = (buf[p] & 0xFF) | (buf[p + 1] & 0xFF) << 8;
              if (len == 0xFFFF) {
                len = 0; // CHARBIN_NULL
              }
              if (avail >= len + 2) {
                p += len + 2;
                c++;
                continue;
              }
            }
            break;
          default:
            break;
        }
        // cut by the chunk end, or a PLP/text/variant value: the resumable skipper takes over
        value.start(kind, null);
        c++;
        p = value.feed(buf, p, end);
        if (!value.done()) {
          column = c;
          return p;
        }
      }
      handler.onRow(rowToken);
      // A result set is rows after rows: the next ROW goes on here, without the round trip through
      // the
      // token state machine (a tenth of the time per row on a 10-column result).
      if (rowToken == ROW_TOKEN && p < end && (buf[p] & 0xFF) == ROW_TOKEN) {
        p++;
        c = 0;
        continue;
      }
      column = c;
      state = TOKEN;
      return p;
    }
  }

  // ---- elements: tokens parsed whole, with carry-over across chunks ----------------------------

  private int element(byte[] buf, int p, int end) {
    return elements.step(buf, p, end);
  }

  /** Parses the token at {@code buf[off]} from r and moves on to the state it leads to. */
  private boolean parseWholeToken(ByteReader r, byte[] buf, int off) {
    elementBuf = buf;
    elementOff = off;
    try {
      int next = parseElement(r);
      if (state == ELEMENT) {
        state = next;
      }
      return true;
    } catch (ShortReadException e) {
      throw e;
    } catch (DecodeException e) {
      fail("token 0x" + Integer.toHexString(elementBuf[elementOff] & 0xFF) + ": " + e.getMessage());
      return false;
    } finally {
      elementBuf = null;
    }
  }

  /**
   * When to parse a held element again, given the bytes held and what the failed read needed. A
   * token with a fixed size or a declared length is parsed again exactly when its bytes are in. One
   * without an overall length (COLMETADATA, RETURNVALUE, ALTMETADATA, FEATUREEXTACK,
   * DATACLASSIFICATION) only shows what its next field needs: it is parsed again when the bytes
   * held have at least doubled, so the parse attempts of one element cost at most about twice its
   * length, whatever the chunking.
   */
  private static long retryPoint(int code, int held, long needed) {
    long exact = Math.max(needed, held + 1L);
    switch (code) {
      case 0x81: // COLMETADATA
      case 0xAC: // RETURNVALUE
      case 0x88: // ALTMETADATA
      case 0xAE: // FEATUREEXTACK
      case 0xA3: // DATACLASSIFICATION
        return Math.max(exact, 2L * held);
      default:
        return exact;
    }
  }

  /** Reads one whole token; side effects only after its last read. Returns the next state. */
  private int parseElement(ByteReader r) {
    int code = r.u8();
    TokenType type = TokenType.fromCode(code);
    switch (type) {
      case COLMETADATA:
        return colMetadata(r);
      case NBCROW:
        {
          if (columnCount < 0) {
            throw new DecodeException("NBCROW without COLMETADATA");
          }
          int bitmap = (columnCount + 7) >>> 3;
          for (int i = 0; i < bitmap; i++) {
            nullBitmap[i] = (byte) r.u8(); // rewritten if the element is retried: harmless
          }
          startRow(NBCROW_TOKEN, kinds, columnCount, true);
          return ROW;
        }
      case ALTROW:
        {
          int id = r.u16le();
          for (int i = 0; i < altCount; i++) {
            if (altIds[i] == id) {
              startRow(ALTROW_TOKEN, altKinds[i], altKinds[i].length, false);
              return ROW;
            }
          }
          throw new DecodeException("ALTROW id " + id + " without ALTMETADATA");
        }
      case DONE:
      case DONEPROC:
      case DONEINPROC:
        {
          int status = r.u16le();
          int curCmd = r.u16le();
          long count = tdsVersion != 0 ? (tds72() ? r.i64le() : r.u32le()) : guessDoneCount(r);
          handler.onToken(new Done(type, status, curCmd, count));
          return TOKEN;
        }
      case RETURNSTATUS:
        handler.onToken(new ReturnStatus(r.i32le()));
        return TOKEN;
      case RETURNVALUE:
        return returnValue(r);
      case ERROR:
      case INFO:
      case ENVCHANGE:
      case LOGINACK:
        {
          int len = r.u16le();
          r.skip(len);
          wholeToken(r.position());
          return TOKEN;
        }
      case ORDER:
      case COLINFO:
      case TABNAME:
      case SSPI:
        return skipToken(code, r.u16le());
      case SESSIONSTATE:
      case FEDAUTHINFO:
        return skipToken(code, r.u32le());
      case OFFSET:
        r.skip(4);
        handler.onToken(new OtherToken(code, 4));
        return TOKEN;
      case FEATUREEXTACK:
        return featureExtAck(r);
      case ALTMETADATA:
        return altMetadata(r);
      case DATACLASSIFICATION:
        MetadataReader.dataClassification(r, dataClassificationVersion);
        handler.onToken(new OtherToken(code, r.position() - 1));
        return TOKEN;
      default:
        return unknown(code, r);
    }
  }

  /**
   * Version unknown (joined mid-session): DoneRowCount is 8 bytes from TDS 7.2, 4 before. A row
   * count never reaches 2^32 and a token type byte is never 0, so a non-zero high half means the
   * narrow form. The answer is kept for the rest of the conversation.
   */
  private long guessDoneCount(ByteReader r) {
    long lo = r.u32le();
    int at = r.position();
    long hi = r.u32le();
    if (hi != 0) {
      r.seek(at);
      tdsVersion = TDS_7_1;
      return lo;
    }
    tdsVersion = TokenStreamDecoder.TDS_7_2;
    return lo;
  }

  private int skipToken(int code, long len) {
    handler.onToken(new OtherToken(code, (int) Math.min(len, Integer.MAX_VALUE)));
    skip = len;
    return len == 0 ? TOKEN : SKIP;
  }

  /**
   * Length classes from the token type bits (MS-TDS 2.2.4.2) for tokens this parser does not know.
   */
  private int unknown(int code, ByteReader r) {
    switch (code & 0x30) {
      case 0x10:
        handler.onToken(new OtherToken(code, 0));
        return TOKEN;
      case 0x30:
        {
          int n = 1 << ((code >> 2) & 0x3);
          r.skip(n);
          handler.onToken(new OtherToken(code, n));
          return TOKEN;
        }
      case 0x20:
        return skipToken(code, r.u16le());
      default:
        throw new DecodeException(
            "unknown token 0x" + Integer.toHexString(code) + " of unknown length");
    }
  }

  /**
   * ERROR, INFO, ENVCHANGE, LOGINACK: complete in the element buffer, decoded by the login decoder.
   */
  private void wholeToken(int length) {
    TokenStreamDecoder.decode(
        elementBuf,
        elementOff,
        length,
        tdsVersion,
        new TokenSink() {
          @Override
          public void onToken(Token token) {
            handler.onToken(token);
          }

          @Override
          public void onError(String reason) {
            handler.onError(reason); // the token is skipped; its length was sound, so carry on
          }
        });
  }

  private int colMetadata(ByteReader r) {
    int count = r.u16le();
    int cek = columnEncryption ? MetadataReader.cekTable(r) : 0;
    if (count == 0xFFFF) {
      // NoMetaData: the rows follow the metadata of an earlier execution, which is what we still
      // hold
      handler.onToken(new ColMetadata(new ArrayList<>(), cek, true));
      return TOKEN;
    }
    List<Column> cols = new ArrayList<>(Math.min(count, 1024));
    for (int i = 0; i < count; i++) {
      cols.add(MetadataReader.column(r, true, tdsVersion, tds72(), columnEncryption));
    }
    int[] layout = kinds.length >= count ? kinds : new int[count];
    for (int i = 0; i < count; i++) {
      layout[i] = MetadataReader.valueKind(cols.get(i).typeInfo());
    }
    kinds = layout;
    columnCount = count;
    if (nullBitmap.length < (count + 7) >>> 3) {
      nullBitmap = new byte[(count + 7) >>> 3];
    }
    altCount = 0; // ALTMETADATA belongs to one result set
    handler.onToken(new ColMetadata(cols, cek, false));
    return TOKEN;
  }

  private int returnValue(ByteReader r) {
    int ordinal = r.u16le();
    String name = r.bVarchar();
    int status = r.u8();
    long userType = tds72() ? r.u32le() : r.u16le();
    int flags = r.u16le();
    TypeInfo ti = TypeInfoReader.read(r, false);
    CryptoMetadata crypto = null;
    if (columnEncryption && (flags & Column.FLAG_ENCRYPTED) != 0) {
      crypto = MetadataReader.crypto(r, -1, tds72());
    }
    int kind =
        ValueSkipper.withoutTextPointer(
            MetadataReader.valueKind(ti)); // RETURNVALUE's Value is TYPE_VARBYTE
    handler.onToken(new ReturnValue(ordinal, name, status, userType, flags, ti, crypto));
    value.start(kind, null);
    return VALUE;
  }

  private int altMetadata(ByteReader r) {
    int count = r.u16le();
    int id = r.u16le();
    int byCols = r.u8();
    r.skip(byCols * 2);
    List<Column> cols = new ArrayList<>(Math.min(count, 256));
    for (int i = 0; i < count; i++) {
      r.skip(1 + 2); // Op, Operand
      cols.add(MetadataReader.column(r, false, tdsVersion, tds72(), columnEncryption));
    }
    if (altCount == MAX_ALT_IDS) {
      throw new DecodeException("more than " + MAX_ALT_IDS + " ALTMETADATA ids");
    }
    int[] layout = new int[count];
    for (int i = 0; i < count; i++) {
      layout[i] = MetadataReader.valueKind(cols.get(i).typeInfo());
    }
    altIds[altCount] = id;
    altKinds[altCount++] = layout;
    handler.onToken(new AltMetadata(id, cols));
    return TOKEN;
  }

  private int featureExtAck(ByteReader r) {
    List<FeatureExtAck> acks = new ArrayList<>(2);
    while (true) {
      int id = r.u8();
      if (id == 0xFF) {
        break;
      }
      long n = r.u32le();
      if (n > 65536) {
        throw new DecodeException("FEATUREEXTACK data of " + n + " bytes");
      }
      acks.add(new FeatureExtAck(id, r.bytes((int) n)));
    }
    for (FeatureExtAck a : acks) {
      handler.onToken(a);
    }
    return TOKEN;
  }
}
