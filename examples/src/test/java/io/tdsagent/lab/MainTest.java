package io.tdsagent.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The standalone entry point. */
class MainTest {

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void loginAndSelect(int port, String user, String password, String extra)
      throws SQLException {
    String url =
        "jdbc:sqlserver://127.0.0.1:"
            + port
            + ";user="
            + user
            + ";password="
            + password
            + ";loginTimeout=10;trustServerCertificate=true;"
            + extra;
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT 1")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }
  }

  @Test
  void mainOnAThreadAcceptsALoginAndStopsWhenInterrupted() throws Exception {
    int port = freePort();
    Thread t =
        new Thread(
            () ->
                Main.main(
                    new String[] {
                      "--port",
                      Integer.toString(port),
                      "--login",
                      "app:pa:ss",
                      "--login=sa:Secret-1",
                      "--database",
                      "demo",
                      "--encryption",
                      "required"
                    }));
    t.setDaemon(true);
    t.start();
    SQLException last = null;
    for (int i = 0; i < 100; i++) {
      try {
        loginAndSelect(port, "app", "pa:ss", "encrypt=false;databaseName=demo");
        last = null;
        break;
      } catch (SQLException e) {
        last = e;
        Thread.sleep(50);
      }
    }
    if (last != null) {
      throw last;
    }
    loginAndSelect(
        port,
        "sa",
        "Secret-1",
        "encrypt=strict;hostNameInCertificate=localhost;"
            + "serverCertificate="
            + sharedCertificatePem());
    t.interrupt();
    t.join(5000);
    assertFalse(t.isAlive(), "main returns once interrupted");
  }

  /**
   * Strict mode pins the certificate; the standalone server prints the PEM path, tests use the
   * shared one.
   */
  private static String sharedCertificatePem() throws Exception {
    Path p = Files.createTempFile("tds-lab-test-", ".pem");
    p.toFile().deleteOnExit();
    Files.write(
        p,
        io.tdsagent.lab.tls.SelfSignedCertificate.shared()
            .pem()
            .getBytes(StandardCharsets.US_ASCII));
    return p.toString();
  }

  @Test
  void launchPrintsWhereItListens() throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (LabServer s =
        Main.launch(
            new String[] {"--port", "0", "--login", "sa:x"},
            new PrintStream(buf, true, StandardCharsets.UTF_8))) {
      String line = buf.toString(StandardCharsets.UTF_8).trim();
      assertTrue(line.startsWith("tds-lab listening on 127.0.0.1:" + s.port() + " "), line);
      assertEquals(1, line.split("\n").length, "one line");
    }
  }

  @Test
  void plpToOldClientsIsOffUnlessAsked() throws Exception {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (LabServer plain = Main.launch(new String[] {"--port", "0", "--login", "sa:x"}, sink);
        LabServer faulty =
            Main.launch(
                new String[] {"--port", "0", "--login", "sa:x", "--plp-to-old-clients"}, sink)) {
      assertFalse(plain.config().faults().plpToOldClients());
      assertTrue(faulty.config().faults().plpToOldClients());
    }
  }

  @Test
  void usageErrorsAndHelp() throws Exception {
    PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    assertThrows(Main.UsageException.class, () -> Main.launch(new String[] {"--port", "0"}, sink));
    assertThrows(
        Main.UsageException.class, () -> Main.launch(new String[] {"--login", "nocolon"}, sink));
    assertThrows(
        Main.UsageException.class,
        () -> Main.launch(new String[] {"--login", "a:b", "--encryption", "sometimes"}, sink));
    assertThrows(Main.UsageException.class, () -> Main.launch(new String[] {"--bogus"}, sink));
    ByteArrayOutputStream help = new ByteArrayOutputStream();
    assertNull(
        Main.launch(new String[] {"--help"}, new PrintStream(help, true, StandardCharsets.UTF_8)));
    assertTrue(help.toString(StandardCharsets.UTF_8).contains("--login NAME:PASSWORD"));
    for (String option :
        new String[] {
          "--close STEP",
          "--reset STEP",
          "--tls-alert NAME",
          "--route HOST:PORT",
          "--login-error N[:STATE]",
          "--silent-listener PORT",
          "--plp-to-old-clients"
        }) {
      assertTrue(help.toString(StandardCharsets.UTF_8).contains(option), option);
    }
  }
}
