package io.tdsagent.lab.auth.ntlm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.MD4Digest;

/**
 * The server side of NTLM's one-way functions and responses (MS-NLMP 3.3.1, 3.3.2, 3.4.4). MD4
 * comes from BouncyCastle (not every JDK has it), DES/RC4/HMAC-MD5 from the JDK. Nothing here logs.
 */
public final class NtlmCrypto {
  private NtlmCrypto() {}

  /** NTOWFv1: MD4(UNICODE(password)). */
  public static byte[] ntowfv1(String password) {
    byte[] pw = password.getBytes(StandardCharsets.UTF_16LE);
    MD4Digest md4 = new MD4Digest();
    md4.update(pw, 0, pw.length);
    byte[] out = new byte[16];
    md4.doFinal(out, 0);
    Arrays.fill(pw, (byte) 0);
    return out;
  }

  /** NTOWFv2: HMAC_MD5(NTOWFv1, UNICODE(UPPERCASE(user) + domain)). */
  public static byte[] ntowfv2(byte[] ntHash, String user, String domain) {
    return hmacMd5(
        ntHash, (user.toUpperCase(Locale.ROOT) + domain).getBytes(StandardCharsets.UTF_16LE));
  }

  public static byte[] hmacMd5(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacMD5");
      mac.init(new SecretKeySpec(key, "HmacMD5"));
      for (byte[] p : parts) {
        mac.update(p);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacMD5 unavailable", e);
    }
  }

  public static byte[] md5(byte[]... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("MD5");
      for (byte[] p : parts) {
        md.update(p);
      }
      return md.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 unavailable", e);
    }
  }

  /**
   * DESL(K, D) (MS-NLMP 6): three DES encryptions of D with the 16-byte K split in 7-byte keys (K
   * padded).
   */
  public static byte[] desl(byte[] key16, byte[] data8) {
    byte[] k = Arrays.copyOf(key16, 21);
    byte[] out = new byte[24];
    for (int i = 0; i < 3; i++) {
      System.arraycopy(des(Arrays.copyOfRange(k, i * 7, i * 7 + 7), data8), 0, out, i * 8, 8);
    }
    Arrays.fill(k, (byte) 0);
    return out;
  }

  /** DES-ECB of one block with a 56-bit key spread over 8 bytes (parity bits left as set). */
  static byte[] des(byte[] key7, byte[] block) {
    byte[] key = new byte[8];
    key[0] = key7[0];
    key[1] = (byte) ((key7[0] << 7) | ((key7[1] & 0xFF) >>> 1));
    key[2] = (byte) ((key7[1] << 6) | ((key7[2] & 0xFF) >>> 2));
    key[3] = (byte) ((key7[2] << 5) | ((key7[3] & 0xFF) >>> 3));
    key[4] = (byte) ((key7[3] << 4) | ((key7[4] & 0xFF) >>> 4));
    key[5] = (byte) ((key7[4] << 3) | ((key7[5] & 0xFF) >>> 5));
    key[6] = (byte) ((key7[5] << 2) | ((key7[6] & 0xFF) >>> 6));
    key[7] = (byte) (key7[6] << 1);
    try {
      Cipher c = Cipher.getInstance("DES/ECB/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
      return c.doFinal(block);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("DES unavailable", e);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /**
   * RC4 (MS-NLMP's RC4K), used to decrypt EncryptedRandomSessionKey under
   * NTLMSSP_NEGOTIATE_KEY_EXCH.
   */
  public static byte[] rc4(byte[] key, byte[] data) {
    try {
      Cipher c = Cipher.getInstance("ARCFOUR");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ARCFOUR"));
      return c.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("RC4 unavailable", e);
    }
  }

  /** Constant-time comparison. */
  public static boolean same(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
