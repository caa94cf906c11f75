package io.tdsagent.lab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tdsagent.lab.auth.ntlm.NtlmCrypto;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The acceptor's one-way functions against MS-NLMP 4.2 (user "User", domain "Domain", password
 * "Password").
 */
class NtlmCryptoTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] SERVER_CHALLENGE = HEX.parseHex("0123456789abcdef");

  @Test
  void ntowfv1AndNtlmv1Response() {
    byte[] nt = NtlmCrypto.ntowfv1("Password");
    assertEquals("a4f49c406510bdcab6824ee7c30fd852", HEX.formatHex(nt));
    assertEquals(
        "67c43011f30298a2ad35ece64f16331c44bdbed927841f94",
        HEX.formatHex(NtlmCrypto.desl(nt, SERVER_CHALLENGE)));
  }

  @Test
  void ntowfv2() {
    assertEquals(
        "0c868a403bfd7a93a3001ef22ef02e3f",
        HEX.formatHex(NtlmCrypto.ntowfv2(NtlmCrypto.ntowfv1("Password"), "User", "Domain")));
  }
}
