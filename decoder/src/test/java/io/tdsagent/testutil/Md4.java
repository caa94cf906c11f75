package io.tdsagent.testutil;

/** MD4 (RFC 1320), for the NT hash canary (the JDK has no public MD4). */
public final class Md4 {
  private Md4() {}

  /** NTOWFv1: MD4 of the UTF-16LE password. */
  public static byte[] ntHash(String password) {
    return digest(TdsBytes.utf16(password));
  }

  public static byte[] digest(byte[] msg) {
    int n = ((msg.length + 8) / 64 + 1) * 64;
    byte[] m = new byte[n];
    System.arraycopy(msg, 0, m, 0, msg.length);
    m[msg.length] = (byte) 0x80;
    long bits = (long) msg.length * 8;
    for (int i = 0; i < 8; i++) {
      m[n - 8 + i] = (byte) (bits >>> (8 * i));
    }
    int a = 0x67452301;
    int b = 0xefcdab89;
    int c = 0x98badcfe;
    int d = 0x10325476;
    int[] x = new int[16];
    for (int off = 0; off < n; off += 64) {
      for (int i = 0; i < 16; i++) {
        x[i] =
            (m[off + 4 * i] & 0xFF)
                | (m[off + 4 * i + 1] & 0xFF) << 8
                | (m[off + 4 * i + 2] & 0xFF) << 16
                | (m[off + 4 * i + 3] & 0xFF) << 24;
      }
      int aa = a;
      int bb = b;
      int cc = c;
      int dd = d;
      int[] s1 = {3, 7, 11, 19};
      for (int i = 0; i < 16; i++) {
        int t = a + ((b & c) | (~b & d)) + x[i];
        a = d;
        d = c;
        c = b;
        b = Integer.rotateLeft(t, s1[i % 4]);
      }
      int[] s2 = {3, 5, 9, 13};
      int[] o2 = {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15};
      for (int i = 0; i < 16; i++) {
        int t = a + ((b & c) | (b & d) | (c & d)) + x[o2[i]] + 0x5a827999;
        a = d;
        d = c;
        c = b;
        b = Integer.rotateLeft(t, s2[i % 4]);
      }
      int[] s3 = {3, 9, 11, 15};
      int[] o3 = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
      for (int i = 0; i < 16; i++) {
        int t = a + (b ^ c ^ d) + x[o3[i]] + 0x6ed9eba1;
        a = d;
        d = c;
        c = b;
        b = Integer.rotateLeft(t, s3[i % 4]);
      }
      a += aa;
      b += bb;
      c += cc;
      d += dd;
    }
    byte[] out = new byte[16];
    int[] v = {a, b, c, d};
    for (int i = 0; i < 16; i++) {
      out[i] = (byte) (v[i / 4] >>> (8 * (i % 4)));
    }
    return out;
  }
}
