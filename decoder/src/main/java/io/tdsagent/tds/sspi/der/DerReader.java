package io.tdsagent.tds.sspi.der;

import io.tdsagent.tds.wire.ByteReader;
import io.tdsagent.tds.wire.DecodeException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Just enough DER (X.690) for SPNEGO and Kerberos: single-byte tags, definite lengths, and the few
 * universal types those protocols use. Each TLV's content is a new reader over the same bytes (no
 * copy), so skipping a field (a ticket's cipher, an authenticator) never copies it. Bounds come
 * from {@link ByteReader}: anything truncated or inconsistent throws {@link DecodeException}.
 */
public final class DerReader {
  public static final int INTEGER = 0x02;
  public static final int BIT_STRING = 0x03;
  public static final int OCTET_STRING = 0x04;
  public static final int OID = 0x06;
  public static final int ENUMERATED = 0x0A;
  public static final int UTF8_STRING = 0x0C;
  public static final int SEQUENCE = 0x30;
  public static final int GENERALIZED_TIME = 0x18;
  public static final int GENERAL_STRING = 0x1B;
  public static final int IA5_STRING = 0x16;

  private static final DateTimeFormatter KERBEROS_TIME =
      DateTimeFormatter.ofPattern("uuuuMMddHHmmss");

  private final ByteReader r;

  public DerReader(ByteReader r) {
    this.r = r;
  }

  public DerReader(byte[] buf, int off, int len) {
    this(new ByteReader(buf, off, len));
  }

  /** Tag of an [APPLICATION n] constructed encoding. */
  public static int application(int n) {
    return 0x60 | n;
  }

  /** Tag of a [n] (context-specific) constructed encoding. */
  public static int context(int n) {
    return 0xA0 | n;
  }

  public boolean hasRemaining() {
    return r.hasRemaining();
  }

  public int remaining() {
    return r.remaining();
  }

  /** The next tag byte, or -1 at the end. */
  public int peekTag() {
    return r.hasRemaining() ? r.peekU8() : -1;
  }

  /** Reads the next TLV, whatever its tag, and returns a reader over its content. */
  public DerReader next() {
    int tag = r.u8();
    if ((tag & 0x1F) == 0x1F) {
      throw new DecodeException("DER multi-byte tag at " + (r.position() - 1));
    }
    return new DerReader(r.slice(length()));
  }

  /** Reads the next TLV, which must carry {@code tag}. */
  public DerReader expect(int tag) {
    int t = peekTag();
    if (t != tag) {
      throw new DecodeException(
          "DER tag 0x"
              + Integer.toHexString(tag)
              + " expected at "
              + r.position()
              + (t < 0 ? ", at end" : ", found 0x" + Integer.toHexString(t)));
    }
    return next();
  }

  /** The next TLV's content if it carries {@code tag}; null (nothing consumed) otherwise. */
  public DerReader optional(int tag) {
    return peekTag() == tag ? next() : null;
  }

  /**
   * Skips TLVs until one with {@code tag} (fields of a SEQUENCE in order, some optional); null if
   * none.
   */
  public DerReader find(int tag) {
    while (hasRemaining()) {
      if (peekTag() == tag) {
        return next();
      }
      next();
    }
    return null;
  }

  private int length() {
    int first = r.u8();
    if (first < 0x80) {
      return first;
    }
    int n = first & 0x7F;
    if (n == 0 || n > 4) {
      throw new DecodeException("DER length of " + n + " bytes at " + (r.position() - 1));
    }
    long len = 0;
    for (int i = 0; i < n; i++) {
      len = len << 8 | r.u8();
    }
    if (len > r.remaining()) {
      throw new DecodeException(
          "DER length " + len + " beyond the " + r.remaining() + " bytes left");
    }
    return (int) len;
  }

  /**
   * The unread rest of this content as raw bytes (for a non-DER tail such as a GSS
   * innerContextToken).
   */
  public ByteReader rawRemaining() {
    return r.slice(r.remaining());
  }

  // ---- content decoders: call on the reader next()/expect() returned ----

  /** This content as a signed big-endian integer of at most 8 bytes. */
  public long integerContent() {
    int n = r.remaining();
    if (n == 0 || n > 8) {
      throw new DecodeException("DER INTEGER of " + n + " bytes");
    }
    long v = (byte) r.u8(); // sign-extend the first byte
    for (int i = 1; i < n; i++) {
      v = v << 8 | r.u8();
    }
    return v;
  }

  /** This content as a dotted OID string. */
  public String oidContent() {
    if (!r.hasRemaining()) {
      throw new DecodeException("empty DER OID");
    }
    StringBuilder sb = new StringBuilder();
    boolean first = true;
    while (r.hasRemaining()) {
      long v = 0;
      int b;
      int bytes = 0;
      do {
        b = r.u8();
        if (++bytes > 8) {
          throw new DecodeException("DER OID arc too long");
        }
        v = v << 7 | (b & 0x7F);
      } while ((b & 0x80) != 0);
      if (first) {
        long top = v < 40 ? 0 : v < 80 ? 1 : 2;
        sb.append(top).append('.').append(v - top * 40);
        first = false;
      } else {
        sb.append('.').append(v);
      }
    }
    return sb.toString();
  }

  /**
   * This content as text (GeneralString and IA5String are ASCII in practice; UTF-8 decodes both).
   */
  public String stringContent() {
    return new String(r.bytes(r.remaining()), StandardCharsets.UTF_8);
  }

  /** The first (up to) 32 bits of this BIT STRING content, bit 0 as the most significant. */
  public int bitStringContent() {
    int unused = r.u8();
    if (unused > 7) {
      throw new DecodeException("DER BIT STRING with " + unused + " unused bits");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v = v << 8 | (r.hasRemaining() ? r.u8() : 0);
    }
    return v;
  }

  /** This KerberosTime (GeneralizedTime "YYYYMMDDHHMMSSZ") content as an Instant. */
  public Instant kerberosTimeContent() {
    String s = stringContent();
    if (s.length() != 15 || s.charAt(14) != 'Z') {
      throw new DecodeException("KerberosTime of " + s.length() + " characters");
    }
    try {
      return LocalDateTime.parse(s.substring(0, 14), KERBEROS_TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new DecodeException("bad KerberosTime");
    }
  }

  // ---- shortcuts: read one TLV of the given type ----

  public long integer() {
    return expect(INTEGER).integerContent();
  }

  public String oid() {
    return expect(OID).oidContent();
  }

  /** Reads a KerberosString (GeneralString) or any other string type. */
  public String string() {
    return next().stringContent();
  }

  /** Reads an OCTET STRING and returns a reader over its bytes (no copy). */
  public ByteReader octetString() {
    DerReader d = expect(OCTET_STRING);
    return d.r.slice(d.r.remaining());
  }

  /** [n] EXPLICIT wrapper: the content of the tagged field, required. */
  public DerReader explicit(int n) {
    return expect(context(n));
  }
}
