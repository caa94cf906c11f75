package io.tdsagent.tds.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The last list of names is kept: it must never be another client's. */
class ClientHelloNamesTest {
  private static ClientHello hello(List<Integer> suites) {
    return new ClientHello(0, 0x0303, List.of(0x0303), suites, null, List.of());
  }

  @Test
  void eachHelloGetsItsOwnSuitesNamed() {
    ClientHello a = hello(List.of(0x1302, 0x1301));
    ClientHello b = hello(List.of(0x1301, 0xC030, 0x9999));
    for (int login = 0; login < 3; login++) {
      assertEquals(
          List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"), a.cipherSuiteNames());
      assertEquals(
          List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "0x9999"),
          b.cipherSuiteNames());
    }
    ClientHello again = hello(List.of(0x1301, 0xC030, 0x9999));
    assertSame(b.cipherSuiteNames(), again.cipherSuiteNames());
    assertThrows(UnsupportedOperationException.class, () -> again.cipherSuiteNames().add("x"));
  }
}
