package io.tdsagent.testutil;

import java.io.ByteArrayOutputStream;

/** A tiny DER writer for hand-built SPNEGO/Kerberos vectors. */
public final class Der {
  private Der() {}

  public static byte[] tlv(int tag, byte[]... content) {
    byte[] c = TdsBytes.concat(content);
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(tag);
    int n = c.length;
    if (n < 0x80) {
      o.write(n);
    } else if (n < 0x100) {
      o.write(0x81);
      o.write(n);
    } else {
      o.write(0x82);
      o.write(n >> 8);
      o.write(n);
    }
    o.writeBytes(c);
    return o.toByteArray();
  }

  public static byte[] seq(byte[]... c) {
    return tlv(0x30, c);
  }

  public static byte[] ctx(int n, byte[]... c) {
    return tlv(0xA0 | n, c);
  }

  public static byte[] app(int n, byte[]... c) {
    return tlv(0x60 | n, c);
  }

  public static byte[] integer(long v) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    int bytes = 1;
    while (bytes < 8 && (v >> (8 * bytes - 1)) != 0 && (v >> (8 * bytes - 1)) != -1) {
      bytes++;
    }
    for (int i = bytes - 1; i >= 0; i--) {
      o.write((int) (v >> (8 * i)));
    }
    return tlv(0x02, o.toByteArray());
  }

  public static byte[] enumerated(int v) {
    return tlv(0x0A, new byte[] {(byte) v});
  }

  public static byte[] octets(byte[] b) {
    return tlv(0x04, b);
  }

  public static byte[] generalString(String s) {
    return tlv(0x1B, s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  public static byte[] generalizedTime(String s) {
    return tlv(0x18, s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  public static byte[] bitString(int first32) {
    return tlv(
        0x03,
        new byte[] {
          0,
          (byte) (first32 >>> 24),
          (byte) (first32 >>> 16),
          (byte) (first32 >>> 8),
          (byte) first32
        });
  }

  public static byte[] oid(String dotted) {
    String[] p = dotted.split("\\.");
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.write(Integer.parseInt(p[0]) * 40 + Integer.parseInt(p[1]));
    for (int i = 2; i < p.length; i++) {
      long v = Long.parseLong(p[i]);
      int groups = 1;
      while ((v >> (7 * groups)) != 0) {
        groups++;
      }
      for (int g = groups - 1; g >= 0; g--) {
        o.write((int) ((v >> (7 * g)) & 0x7F) | (g > 0 ? 0x80 : 0));
      }
    }
    return tlv(0x06, o.toByteArray());
  }

  /** GSS InitialContextToken framing: 0x60 { OID, inner }. */
  public static byte[] gss(String oid, byte[] inner) {
    return tlv(0x60, oid(oid), inner);
  }

  public static byte[] principal(int type, String... names) {
    byte[][] parts = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      parts[i] = generalString(names[i]);
    }
    return seq(ctx(0, integer(type)), ctx(1, seq(parts)));
  }

  public static byte[] encryptedData(int etype, Integer kvno, byte[] cipher) {
    return kvno == null
        ? seq(ctx(0, integer(etype)), ctx(2, octets(cipher)))
        : seq(ctx(0, integer(etype)), ctx(1, integer(kvno)), ctx(2, octets(cipher)));
  }
}
