package io.tdsagent.lab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The standalone server's authentication flags. */
class AuthCliTest {
  private static final PrintStream SINK =
      new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @Test
  void ntlmDomainAccessTokenAndDelayFlags() throws Exception {
    try (LabServer s =
        Main.launch(
            new String[] {
              "--port",
              "0",
              "--login",
              "bob:Pw-1",
              "--ntlm-domain",
              "CORP",
              "--access-token",
              "tok-123:svc@corp",
              "--delay",
              "sspi-challenge=300ms"
            },
            SINK)) {
      long t0 = System.nanoTime();
      try (Connection c =
          DriverManager.getConnection(
              s.jdbcUrl(
                  null,
                  null,
                  "integratedSecurity=true;authenticationScheme=NTLM;domain=corp;user=bob;password=Pw-1"))) {
        assertEquals("CORP\\bob", suser(c)); // mssql-jdbc upper-cases the domain it sends
      }
      assertTrue((System.nanoTime() - t0) / 1_000_000 >= 300, "the CHALLENGE was delayed");
      Properties p = new Properties();
      p.setProperty("accessToken", "tok-123");
      try (Connection c = DriverManager.getConnection(s.jdbcUrl(null, null, ""), p)) {
        assertEquals("svc@corp", suser(c));
      }
    }
  }

  @Test
  void badAuthFlagsAreUsageErrors() {
    assertThrows(
        Main.UsageException.class,
        () -> Main.launch(new String[] {"--login", "a:b", "--delay", "nostep=1s"}, SINK));
    assertThrows(
        Main.UsageException.class,
        () -> Main.launch(new String[] {"--login", "a:b", "--delay", "fedauth=soon"}, SINK));
    assertThrows(
        Main.UsageException.class,
        () ->
            Main.launch(
                new String[] {"--login", "a:b", "--kerberos-keytab", "/no/such/file"}, SINK));
    assertThrows(
        Main.UsageException.class,
        () -> Main.launch(new String[] {"--login", "a:b", "--kdc", "x"}, SINK));
  }

  @Test
  void kdcFlagStartsARealmAndPrintsClientSettings() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LabServer s =
        Main.launch(
            new String[] {"--port", "0", "--login", "sa:x", "--kdc", "carol:Kdc-Pw-2"},
            new PrintStream(out, true, StandardCharsets.UTF_8))) {
      String text = out.toString(StandardCharsets.UTF_8);
      assertTrue(
          text.contains("-Djava.security.krb5.conf=")
              && text.contains("authenticationScheme=JavaKerberos")
              && text.contains("127.0.0.1:" + s.port()),
          text);
      assertTrue(!text.contains("Kdc-Pw-2"), "the password is not printed");
    }
  }

  private static String suser(Connection c) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT SUSER_NAME()")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
