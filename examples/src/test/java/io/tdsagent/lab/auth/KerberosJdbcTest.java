package io.tdsagent.lab.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.Step;
import io.tdsagent.lab.kerberos.KerberosLab;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mssql-jdbc {@code authenticationScheme=JavaKerberos} against the lab server and a Kerby KDC. The
 * client runs in a forked JVM ({@code java.security.krb5.conf} and JAAS are process-wide); the
 * server's acceptor uses only a keytab.
 */
class KerberosJdbcTest {
  private static KerberosLab kdc;
  private static LabServer server;
  private static final List<Step> steps = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    kdc = KerberosLab.start();
    int port = KerberosLab.freePort();
    server =
        LabServer.builder()
            .port(port)
            .login("sa", "Secret-1")
            .database("master", "demo")
            .kerberosKeytab(kdc.serviceKeytab(port))
            .hook((step, spid) -> steps.add(step))
            .build()
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (kdc != null) {
      kdc.close();
    }
  }

  @Test
  void javaKerberosLogsInWithMutualAuthentication() throws Exception {
    String out = ForkedJdbcClient.run(kdc.jdbcUrl(server.port()), kdc.clientSystemProperties());
    assertEquals("LOGIN " + kdc.userPrincipal(), out.strip(), out);
    assertTrue(steps.contains(Step.KERBEROS), steps.toString());
  }

  @Test
  void unknownSpnFailsAtTheKdc() throws Exception {
    // A second server whose service principals the KDC never heard of.
    try (LabServer other =
        LabServer.builder()
            .port(0)
            .login("sa", "Secret-1")
            .kerberosKeytab(kdc.serviceKeytab(server.port()))
            .build()
            .start()) {
      String out = ForkedJdbcClient.run(kdc.jdbcUrl(other.port()), kdc.clientSystemProperties());
      assertTrue(
          out.startsWith("FAIL") && out.contains("Server not found in Kerberos database"), out);
    }
  }

  @Test
  void wrongPasswordFailsAtTheKdc() throws Exception {
    String url = kdc.jdbcUrl(server.port()).replace("password=" + kdc.password(), "password=wrong");
    String out = ForkedJdbcClient.run(url, kdc.clientSystemProperties());
    assertTrue(out.startsWith("FAIL") && out.contains("PREAUTH_FAILED"), out);
  }

  @Test
  void clockSkewAtTheKdcRefusesPreauthentication() throws Exception {
    // Kerby checks the PA-ENC-TIMESTAMP against its allowed skew but answers KDC_ERR_PREAUTH_FAILED
    // (24), not
    // KRB_AP_ERR_SKEW (37): the client sees what a wrong password shows, with the KDC's clock to
    // blame.
    try (KerberosLab skewed = KerberosLab.clockSkewAtKdc()) {
      int port = KerberosLab.freePort();
      try (LabServer s =
          LabServer.builder()
              .port(port)
              .login("sa", "Secret-1")
              .kerberosKeytab(skewed.serviceKeytab(port))
              .build()
              .start()) {
        String out = ForkedJdbcClient.run(skewed.jdbcUrl(port), skewed.clientSystemProperties());
        assertTrue(
            out.startsWith("FAIL")
                && out.contains("Pre-authentication information was invalid (24)"),
            out);
      }
    }
  }
}
