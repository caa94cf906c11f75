package io.tdsagent.tds.login;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.sspi.ntlm.NtlmNegotiate;
import io.tdsagent.tds.wire.DecodeException;
import io.tdsagent.testutil.Login7Bytes;
import io.tdsagent.testutil.TdsBytes;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

class Login7DecoderTest {
  private static final String SECRET = "S3cret-Pa55!";
  private static final String NEW_SECRET = "N3w-Pa55word?";

  private static Login7Bytes full() {
    Login7Bytes b = new Login7Bytes();
    b.password = SECRET;
    b.changePassword = NEW_SECRET;
    b.flags2 = 0x82; // fIntSecurity + fODBC
    b.typeFlags = 0x20; // fReadOnlyIntent
    b.flags3 = 0x03; // fChangePassword + fUserInstance
    b.sspi =
        new byte[] {
          'N', 'T', 'L', 'M', 'S', 'S', 'P', 0, 1, 0, 0, 0, 7, 2, 0, 0
        }; // minimal NTLM NEGOTIATE
    b.attachDb = "C:\\data\\x.mdf";
    b.features =
        TdsBytes.concat(
            new TdsBytes.Out().u8(0x0A).u32le(1).u8(1).toByteArray(),
            new TdsBytes.Out()
                .u8(0x02)
                .u32le(9)
                .u8(0x03)
                .bytes("TOKEN!!!".getBytes())
                .toByteArray(),
            new TdsBytes.Out().u8(0x04).u32le(1).u8(2).toByteArray());
    return b;
  }

  @Test
  void everyField() {
    byte[] p = full().build();
    Login7 l = Login7Decoder.decode(p, 0, p.length);
    assertEquals(p.length, l.length());
    assertEquals(0x74000004, l.tdsVersion());
    assertEquals(8000, l.packetSize());
    assertEquals(0x0D060200, l.clientProgVersion());
    assertEquals(4242, l.clientPid());
    assertEquals(7, l.connectionId());
    assertTrue(l.isUseDb());
    assertTrue(l.isInitDbFatal());
    assertTrue(l.isSetLang());
    assertFalse(l.isByteOrder68000());
    assertTrue(l.isIntSecurity());
    assertTrue(l.isOdbc());
    assertFalse(l.isInitLangFatal());
    assertTrue(l.isReadOnlyIntent());
    assertTrue(l.isChangePassword());
    assertTrue(l.isUserInstance());
    assertTrue(l.isExtension());
    assertEquals(-60, l.clientTimeZone());
    assertEquals(0x409, l.clientLcid());
    assertEquals("client-host", l.hostName());
    assertEquals("tdsuser", l.userName());
    assertTrue(l.hasPassword());
    assertTrue(l.hasChangePassword());
    assertEquals("test-app", l.appName());
    assertEquals("db.example", l.serverName());
    assertEquals("Test Library", l.clientInterfaceName());
    assertEquals("us_english", l.language());
    assertEquals("demo", l.database());
    assertEquals("000c29c98f0f", l.clientId());
    assertEquals(16, l.sspiLength());
    assertEquals("ntlm negotiate", l.sspiMessage().description());
    assertEquals(0x207, ((NtlmNegotiate) l.sspiMessage()).negotiateFlags());
    assertEquals("C:\\data\\x.mdf", l.attachDbFile());
    assertEquals(3, l.featureExtensions().size());
    assertEquals(FeatureId.UTF8_SUPPORT, l.featureExtensions().get(0).id());
    assertEquals(FeatureId.FEDAUTH, l.featureExtensions().get(1).id());
    assertEquals(9, l.featureExtensions().get(1).dataLength());
    assertArrayEquals(
        new byte[] {3}, l.featureExtensions().get(1).data(), "FEDAUTH token is not kept");
    assertEquals(FeatureId.COLUMNENCRYPTION, l.featureExtensions().get(2).id());
    String s = l.toString();
    assertFalse(s.contains(SECRET) || s.contains(NEW_SECRET) || s.contains("TOKEN"), s);
  }

  @Test
  void legacy71Layout() {
    Login7Bytes b = new Login7Bytes();
    b.legacy71 = true;
    b.tdsVersion = 0x71000001;
    b.password = SECRET;
    byte[] p = b.build();
    Login7 l = Login7Decoder.decode(p, 0, p.length);
    assertEquals(0x71000001, l.tdsVersion());
    assertEquals("tdsuser", l.userName());
    assertEquals("demo", l.database());
    assertFalse(l.hasChangePassword());
  }

  @Test
  void scrubsPasswordRangesAsBytesArrive() throws Exception {
    byte[] p = full().build();
    byte[] pw = Login7Bytes.obfuscate(SECRET);
    byte[] npw = Login7Bytes.obfuscate(NEW_SECRET);
    for (int chunk : new int[] {1, 7, 47, 90, 1000}) {
      Login7Accumulator acc = new Login7Accumulator(1 << 16);
      for (int off = 0; off < p.length; off += chunk) {
        acc.append(p, off, Math.min(chunk, p.length - off));
        byte[] buf = backing(acc);
        assertFalse(contains(buf, pw), "password bytes linger after append, chunk " + chunk);
        assertFalse(contains(buf, npw), "change-password bytes linger, chunk " + chunk);
      }
      Login7 l = acc.decodeAndClear();
      assertEquals("tdsuser", l.userName());
      assertTrue(acc.isWiped(), "buffer not cleared after decoding");
    }
  }

  private static byte[] backing(Login7Accumulator acc) throws Exception {
    Field f = Login7Accumulator.class.getDeclaredField("buffer");
    f.setAccessible(true);
    return ((io.tdsagent.tds.wire.BoundedBuffer) f.get(acc)).array();
  }

  static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void malformed() {
    byte[] p = full().build();
    assertThrows(DecodeException.class, () -> Login7Decoder.decode(p, 0, 50));
    byte[] bad = p.clone();
    bad[38] = (byte) 0xff; // cchHostName far too long
    assertThrows(DecodeException.class, () -> Login7Decoder.decode(bad, 0, bad.length));
    Login7Accumulator acc = new Login7Accumulator(1024);
    acc.append(p, 0, 60);
    assertThrows(DecodeException.class, acc::decodeAndClear);
    assertTrue(acc.isWiped());
  }
}
