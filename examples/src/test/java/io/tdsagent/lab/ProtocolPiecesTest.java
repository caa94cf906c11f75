package io.tdsagent.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.login.LoginResponse;
import io.tdsagent.lab.prelogin.EncryptionNegotiation;
import io.tdsagent.lab.prelogin.EncryptionNegotiation.Mode;
import io.tdsagent.lab.prelogin.PreloginOption;
import io.tdsagent.lab.prelogin.PreloginRequest;
import io.tdsagent.lab.prelogin.PreloginResponse;
import io.tdsagent.lab.sql.QueryRouter;
import io.tdsagent.lab.wire.TdsProtocolException;
import org.junit.jupiter.api.Test;

/** Unit tests of the protocol pieces that the JDBC tests do not pin down exactly. */
class ProtocolPiecesTest {

  @Test
  void passwordObfuscationFollowsTheSpec() {
    // 'a' = 0x61 0x00: swap nibbles 0x16, XOR 0xA5 -> 0xB3; 0x00 -> 0xA5
    assertArrayEquals(
        new byte[] {(byte) 0xB3, (byte) 0xA5},
        io.tdsagent.lab.login.Login7Parser.encodePassword("a"));
  }

  @Test
  void encryptionTableOfMsTds() {
    int off = PreloginOption.ENCRYPT_OFF,
        on = PreloginOption.ENCRYPT_ON,
        ns = PreloginOption.ENCRYPT_NOT_SUP,
        req = PreloginOption.ENCRYPT_REQ;
    check(Encryption.OFF, off, off, Mode.LOGIN_ONLY);
    check(Encryption.OFF, on, on, Mode.FULL);
    check(Encryption.OFF, ns, ns, Mode.NONE);
    check(Encryption.OFF, req, on, Mode.FULL);
    check(Encryption.ON, off, req, Mode.FULL);
    check(Encryption.ON, on, on, Mode.FULL);
    check(Encryption.ON, ns, req, Mode.TERMINATE);
    check(Encryption.ON, req, on, Mode.FULL);
    check(Encryption.REQUIRED, off, req, Mode.FULL);
    check(Encryption.NOT_SUPPORTED, off, ns, Mode.NONE);
    check(Encryption.NOT_SUPPORTED, on, ns, Mode.TERMINATE);
    check(Encryption.NOT_SUPPORTED, ns, ns, Mode.NONE);
    check(Encryption.NOT_SUPPORTED, req, ns, Mode.TERMINATE);
    check(Encryption.OFF, PreloginOption.ENCRYPT_CLIENT_CERT | ns, req, Mode.TERMINATE);
  }

  private static void check(Encryption server, int client, int answer, Mode mode) {
    EncryptionNegotiation n = EncryptionNegotiation.negotiate(server, client);
    assertEquals(answer, n.response(), server + " x " + client);
    assertEquals(mode, n.mode(), server + " x " + client);
  }

  @Test
  void preloginRoundTripAndValidation() throws Exception {
    byte[] payload =
        new PreloginResponse()
            .version(15, 0, 2000, 0)
            .option(PreloginOption.ENCRYPTION, (byte) PreloginOption.ENCRYPT_ON)
            .option(PreloginOption.INSTOPT, (byte) 0)
            .option(PreloginOption.MARS, (byte) 0)
            .encode()
            .toByteArray();
    PreloginRequest r = PreloginRequest.parse(payload);
    assertEquals(PreloginOption.ENCRYPT_ON, r.encryption());
    assertEquals("15.0.2000.0", r.clientVersion());
    assertEquals("", r.instance());
    assertThrows(
        TdsProtocolException.class, () -> PreloginRequest.parse(new byte[] {1, 0, 6, 0, 1}));
    assertThrows(
        TdsProtocolException.class, () -> PreloginRequest.parse(new byte[] {0, 0, 99, 0, 6, -1}));
  }

  @Test
  void versionAndPacketSizeNegotiation() {
    assertEquals(0x74000004, LoginResponse.negotiateTdsVersion(0x08000000));
    assertEquals(0x74000004, LoginResponse.negotiateTdsVersion(0x74000004));
    assertEquals(0x730B0003, LoginResponse.negotiateTdsVersion(0x730B0003));
    assertEquals(4096, LoginResponse.negotiatePacketSize(0));
    assertEquals(8000, LoginResponse.negotiatePacketSize(8000));
    assertEquals(512, LoginResponse.negotiatePacketSize(100));
    assertEquals(32767, LoginResponse.negotiatePacketSize(65536));
  }

  @Test
  void routerNormalizesAndFallsBackLikeSqlServer() {
    assertEquals("SELECT 1", QueryRouter.normalize("  SELECT\n\t1 ;; "));
    assertTrue(
        QueryRouter.unknownStatement("sp_who2", null).parts().get(0)
            instanceof io.tdsagent.lab.sql.QueryResult.Error);
  }

  @Test
  void cliEncryptionNames() {
    assertEquals(Encryption.NOT_SUPPORTED, Encryption.parse("not-supported"));
    assertEquals(Encryption.REQUIRED, Encryption.parse("REQUIRED"));
    assertThrows(IllegalArgumentException.class, () -> Encryption.parse("maybe"));
  }

  @Test
  void jdbcValueQuoting() {
    assertEquals("plain", LabServer.quote("plain"));
    assertEquals("{a;b}", LabServer.quote("a;b"));
    assertEquals("{a}}b}", LabServer.quote("a}b"));
  }
}
