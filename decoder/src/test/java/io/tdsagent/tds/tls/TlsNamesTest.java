package io.tdsagent.tds.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.testutil.PcapWriter;
import io.tdsagent.testutil.Tshark;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cipher suite names, checked against Wireshark's own table: both read one ClientHello that
 * offers them all.
 */
class TlsNamesTest {
  private static final Pattern SUITE =
      Pattern.compile("Cipher Suite: (\\S+) \\(0x([0-9a-f]{4})\\)");

  @Test
  void everyNamedSuiteIsNamedAsWiresharkNamesIt() throws Exception {
    List<Integer> ids = new ArrayList<>(TlsNames.knownCipherSuites());
    Path pcap = Files.createTempFile("suites", ".pcap");
    try (OutputStream out = Files.newOutputStream(pcap)) {
      PcapWriter w = new PcapWriter(out, PcapWriter.RAW).connection(50001, 443);
      w.handshake(1_000, 100, 100);
      w.data(true, clientHello(ids), 2_000);
    }
    Map<Integer, String> wireshark = new TreeMap<>();
    Matcher m = SUITE.matcher(Tshark.run(pcap, "-V", "-d", "tcp.port==443,tls"));
    while (m.find()) {
      wireshark.put(Integer.parseInt(m.group(2), 16), m.group(1));
    }
    Files.deleteIfExists(pcap);
    assertEquals(
        ids.size(),
        wireshark.size(),
        "tshark read " + wireshark.size() + " of " + ids.size() + " suites");
    for (int id : ids) {
      assertEquals(wireshark.get(id), TlsNames.cipherSuite(id), String.format("suite 0x%04X", id));
    }
  }

  @Test
  void unknownSuitesAreHexAndGreaseIsNamed() {
    assertEquals("0xFEFE", TlsNames.cipherSuite(0xFEFE));
    assertEquals("GREASE", TlsNames.cipherSuite(0x3A3A));
    assertTrue(TlsNames.cipherSuite(0x006A).startsWith("TLS_DHE_DSS"));
  }

  /** A TLS 1.2 ClientHello record offering {@code ids}, no extensions. */
  private static byte[] clientHello(List<Integer> ids) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(0x03);
    body.write(0x03);
    body.writeBytes(new byte[32]);
    body.write(0); // session id
    int n = ids.size() * 2;
    body.write(n >> 8);
    body.write(n & 0xFF);
    for (int id : ids) {
      body.write(id >> 8);
      body.write(id & 0xFF);
    }
    body.write(1); // compression methods: null
    body.write(0);
    byte[] b = body.toByteArray();
    ByteArrayOutputStream rec = new ByteArrayOutputStream();
    int hs = b.length + 4;
    rec.writeBytes(
        new byte[] {
          0x16,
          0x03,
          0x01,
          (byte) (hs >> 8),
          (byte) hs,
          0x01,
          0,
          (byte) (b.length >> 8),
          (byte) b.length
        });
    rec.writeBytes(b);
    return rec.toByteArray();
  }
}
