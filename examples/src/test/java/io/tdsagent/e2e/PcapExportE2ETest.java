package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.testutil.Tshark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dtds.pcap}: the agent writes what TLS hid on the wire as a pcapng file, and Wireshark
 * (tshark) reads the same login out of it that the agent exported as span attributes, with the
 * password nowhere in the file.
 */
class PcapExportE2ETest {
  static final String USER = "pcap_user";
  static final String CANARY = "Canary-Pcap-e2e-Pa55word!";

  @RegisterExtension
  static final LabAndReceiver LAB = new LabAndReceiver(USER, CANARY, Encryption.OFF);

  @TempDir Path dir;

  @Test
  void encryptTrueLoginReadsTheSameInWiresharkAsInTheTrace() throws Exception {
    runAndCompare(JdbcEncrypt.TRUE, "pcap-true");
  }

  @Test
  void strictLoginReadsTheSameInWiresharkAsInTheTrace() throws Exception {
    runAndCompare(JdbcEncrypt.STRICT, "pcap-strict");
  }

  /**
   * jTDS (TDS 7.1) in 512-byte packets with long host and application names: a LOGIN7 of over 1 KB
   * whose password lies past the first packet. The capture file must not hold it in any form.
   */
  @Test
  void jtdsLongLoginInSmallPacketsKeepsNoPassword() throws Exception {
    Path pcap = dir.resolve("jtds-long.pcapng");
    String url =
        LAB.jtdsUrl(
            LAB.server().port(),
            "demo",
            ";appName="
                + "long-application-name-".repeat(14)
                + ";wsid="
                + "long-host-name-".repeat(20)
                + ";packetSize=512;loginTimeout=10");
    AgentProcess.Result r =
        LAB.app().prop("tds.pcap", pcap.toString()).connect(url).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    LAB.receiver()
        .awaitSpans(
            s -> s.stream().anyMatch(x -> x.name().equals("SQL Server login")),
            Duration.ofSeconds(20));
    assertNoPasswordIn(pcap);
    // and the LOGIN7 is still whole (tshark 4.0 does not reassemble a LOGIN7 of several packets:
    // the replay jar)
    Path out = dir.resolve("jtds-long.json");
    String json = CaptureFiles.replayJson(pcap, out);
    assertTrue(json.contains("\"db.user\":\"" + USER + "\""), json);
    assertTrue(
        json.contains("\"tds.application_name\":\"" + "long-application-name-".repeat(14)), json);
    assertTrue(json.contains("\"tds.login.outcome\":\"success\""), json);
    assertFalse(json.contains(CANARY), json);
  }

  private void runAndCompare(JdbcEncrypt mode, String app) throws Exception {
    Path pcap = dir.resolve(app + ".pcapng");
    String url =
        LAB.server().jdbcUrl(mode, USER, CANARY, "databaseName=demo;applicationName=" + app);
    AgentProcess.Result r =
        LAB.app().prop("tds.pcap", pcap.toString()).connect(url).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    assertTrue(
        r.stderr.contains("tds-agent: writing plaintext TDS") && r.stderr.contains(pcap.toString()),
        () -> "the capture's path is logged: " + r);
    assertFalse(r.stderr.contains(CANARY), "password in the agent's log output");

    List<ReceivedSpan> spans =
        LAB.receiver()
            .awaitSpans(
                s -> s.stream().anyMatch(x -> x.name().equals("SQL Server login")),
                Duration.ofSeconds(20));
    ReceivedSpan login =
        spans.stream().filter(s -> s.name().equals("SQL Server login")).findFirst().orElseThrow();
    assertEquals("success", login.stringAttr("tds.login.outcome"), login.describe());
    ReceivedSpan login7 =
        spans.stream()
            .filter(s -> s.name().equals("login7") && s.parentSpanId().equals(login.spanId()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no login7 span in " + spans));

    assertTrue(Files.size(pcap) > 0, "capture written by shutdown");
    assertNoPasswordIn(pcap);

    // One TCP connection to the lab server's port: handshake first, FINs at the end.
    List<String[]> tcp =
        Tshark.fields(
            pcap,
            LAB.server().port(),
            "tcp",
            "tcp.dstport",
            "tcp.flags.syn",
            "tcp.flags.fin",
            "tcp.stream");
    assertTrue(
        tcp.size() > 8, () -> "handshake, PRELOGIN, LOGIN7, response, batch, FIN: " + rows(tcp));
    assertEquals(String.valueOf(LAB.server().port()), tcp.get(0)[0]);
    assertTrue(isSet(tcp.get(0)[1]), "starts with a SYN");
    assertTrue(isSet(tcp.get(tcp.size() - 2)[2]), "closed with FINs");
    assertTrue(tcp.stream().allMatch(row -> row[3].equals("0")), "one connection");

    // Wireshark's reading of the LOGIN7 and LOGINACK agrees with the span attributes.
    int port = LAB.server().port();
    String session = "tcp.port==" + port;
    List<String[]> logins =
        Tshark.fields(
            pcap,
            port,
            session + " && tds.7login.username",
            "tds.7login.version",
            "tds.7login.username",
            "tds.7login.clientname",
            "tds.7login.appname",
            "tds.7login.databasename",
            "tds.7login.servername",
            "tds.7login.libraryname",
            "tds.7login.password");
    assertEquals(1, logins.size(), () -> "one LOGIN7 dissected: " + rows(logins));
    String[] l = logins.get(0);
    assertEquals(login.stringAttr("tds.version.requested"), tdsVersion(l[0]), "LOGIN7 TDS version");
    assertEquals(login.stringAttr("db.user"), l[1], "user name");
    assertEquals(USER, l[1]);
    assertEquals(login7.stringAttr("tds.client.host_name"), l[2], "host name");
    assertEquals(login.stringAttr("tds.application_name"), l[3], "application name");
    assertEquals(app, l[3]);
    assertEquals(login7.stringAttr("tds.database.requested"), l[4], "database");
    assertEquals("demo", l[4]);
    assertEquals(login.stringAttr("server.address"), l[5], "server name");
    assertEquals(login.stringAttr("tds.library_name"), l[6], "library name");
    assertFalse(l[7].contains(CANARY), "tshark shows no password");

    List<String[]> acks =
        Tshark.fields(
            pcap,
            port,
            session + " && tds.loginack",
            "tds.loginack.tdsversion",
            "tds.loginack.progname");
    assertEquals(1, acks.size(), () -> "one LOGINACK dissected: " + rows(acks));
    assertEquals(
        login.stringAttr("tds.version"), tdsVersion(acks.get(0)[0]), "LOGINACK TDS version");
    assertEquals(login.stringAttr("tds.server.product"), acks.get(0)[1], "LOGINACK program name");

    List<String> problems = Tshark.problems(pcap, port);
    assertEquals(List.of(), problems, "tshark finds malformed packets or errors");
  }

  static boolean isSet(String flag) {
    return flag.equals("1") || flag.equalsIgnoreCase("true");
  }

  /**
   * tshark prints a TDS version as 0x74000004; the agent as 7.4. Written out here on purpose, not
   * taken from the decoder's TdsVersion: the examples do not depend on the decoder's code, and the
   * check stays independent of it.
   */
  static String tdsVersion(String hex) {
    int v = (int) Long.parseLong(hex.replace("0x", ""), 16);
    switch (v) {
      case 0x70000000:
        return "7.0";
      case 0x71000000:
        return "7.1";
      case 0x71000001:
        return "7.1 rev 1";
      case 0x72090002:
        return "7.2";
      case 0x730A0003:
        return "7.3A";
      case 0x730B0003:
        return "7.3B";
      case 0x74000004:
        return "7.4";
      case 0x08000000:
        return "8.0";
      default:
        return String.format("0x%08X", v);
    }
  }

  /**
   * The password, whole or its first 8 characters, as UTF-16LE, ASCII or TDS-obfuscated, is nowhere
   * in the capture file.
   */
  static void assertNoPasswordIn(Path pcap) throws Exception {
    CaptureFiles.assertNoneIn(
        pcap,
        List.of(
            CANARY.getBytes(StandardCharsets.UTF_16LE),
            CANARY.getBytes(StandardCharsets.US_ASCII),
            CaptureFiles.obfuscate(CANARY),
            CaptureFiles.obfuscate(CANARY.substring(0, 8)),
            CANARY.substring(0, 8).getBytes(StandardCharsets.UTF_16LE)));
  }

  static String rows(List<String[]> rows) {
    StringBuilder b = new StringBuilder();
    rows.forEach(r -> b.append(String.join(" | ", r)).append('\n'));
    return b.toString();
  }
}
