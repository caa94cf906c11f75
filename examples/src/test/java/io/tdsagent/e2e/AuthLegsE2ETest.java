package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.Step;
import io.tdsagent.lab.kerberos.KerberosLab;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.otlp.Traces;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.crypto.digests.MD4Digest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every authentication leg a span: real mssql-jdbc (and jTDS) with NTLM, Kerberos against a real
 * KDC (Apache Kerby, in process) and access tokens, against the lab server's acceptors.
 */
class AuthLegsE2ETest {
  static final String USER = "svc_orders";
  static final String PASSWORD = "Canary-auth-Pa55!";
  static final String TOKEN = "Canary-access-token-eyJhbGciOi.e2e";
  static final List<byte[]> SESSION_KEYS = new CopyOnWriteArrayList<>();

  @RegisterExtension static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD);

  static LabServer ntlm;
  static LabServer slow;
  static LabServer kerberos;
  static KerberosLab kdc;
  static LabServer noKeys;

  @BeforeAll
  static void start() throws Exception {
    ntlm =
        LAB.lab(
            LabServer.builder()
                .ntlmDomain("LAB", "lab.local")
                .accessToken(TOKEN)
                .encryption(Encryption.OFF));
    slow =
        LAB.lab(
            LabServer.builder()
                .ntlmDomain("LAB")
                .delay(Step.SSPI_CHALLENGE, Duration.ofMillis(700))
                .encryption(Encryption.NOT_SUPPORTED));
    kdc = LAB.stopLater(KerberosLab.start());
    kerberos =
        LAB.kerberosLab(
            kdc,
            LabServer.builder()
                .kerberosSessionKeys(SESSION_KEYS::add)
                .encryption(Encryption.NOT_SUPPORTED));
    noKeys = LAB.lab(LabServer.builder().encryption(Encryption.NOT_SUPPORTED));
  }

  static String ntlmUrl(LabServer s, String password) {
    return "jdbc:sqlserver://127.0.0.1:"
        + s.port()
        + ";integratedSecurity=true;authenticationScheme=NTLM;domain=LAB;"
        + "user="
        + USER
        + ";password="
        + password
        + ";databaseName=demo;encrypt=false;trustServerCertificate=true;loginTimeout=10";
  }

  static List<ReceivedSpan> awaitLogin() {
    return LAB.receiver()
        .awaitSpans(
            s -> s.stream().anyMatch(x -> x.name().equals("SQL Server login")),
            Duration.ofSeconds(20));
  }

  static ReceivedSpan login(List<ReceivedSpan> spans) {
    return Traces.of(spans).findFirst("SQL Server login").orElseThrow();
  }

  static ReceivedSpan child(List<ReceivedSpan> spans, String name) {
    ReceivedSpan login = login(spans);
    return Traces.of(spans).childrenOf(login).stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no " + name + " under the login: " + Traces.of(spans).childNames(login)));
  }

  /**
   * Secrets that must appear nowhere: in spans (any attribute, event, resource) or the agent's
   * output.
   */
  static void assertNoSecrets(
      AgentProcess.Result r, List<ReceivedSpan> spans, List<String> secrets) {
    for (String secret : secrets) {
      assertFalse(r.all().contains(secret), "secret in the application's or agent's output");
      assertFalse(
          r.all().toLowerCase().contains(secret.toLowerCase()), "secret in output (any case)");
      for (ReceivedSpan s : spans) {
        assertFalse(s.toString().contains(secret), () -> "secret exported in " + s.name());
        assertFalse(
            s.toString().toLowerCase().contains(secret.toLowerCase()),
            () -> "secret exported in " + s.name());
      }
    }
  }

  static String ntHashHex(String password) {
    byte[] pw = password.getBytes(StandardCharsets.UTF_16LE);
    MD4Digest md4 = new MD4Digest();
    md4.update(pw, 0, pw.length);
    byte[] out = new byte[16];
    md4.doFinal(out, 0);
    return HexFormat.of().formatHex(out);
  }

  @Test
  void ntlmLoginShowsEachRoundTrip() throws Exception {
    AgentProcess.Result r = LAB.app().connect(ntlmUrl(ntlm, PASSWORD)).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    List<ReceivedSpan> spans = awaitLogin();
    ReceivedSpan login = login(spans);
    assertEquals("ntlm", login.stringAttr("tds.auth.method"));
    assertEquals("LAB\\" + USER, login.stringAttr("db.user"));
    assertEquals("UNSET", login.statusCode());
    ReceivedSpan loginack = child(spans, "loginack");
    assertTrue(
        loginack.startEpochNanos() >= child(spans, "ntlm negotiate/challenge").endEpochNanos(),
        "the answer to the last leg");
    ReceivedSpan challenge = child(spans, "ntlm negotiate/challenge");
    assertEquals("LAB", challenge.stringAttr("tds.ntlm.server.netbios_domain"));
    assertEquals("lab.local", challenge.stringAttr("tds.ntlm.server.dns_domain"));
    ReceivedSpan authenticate = child(spans, "ntlm authenticate");
    assertEquals("NTLMv2", authenticate.stringAttr("tds.ntlm.version"));
    assertEquals(USER, authenticate.stringAttr("tds.ntlm.user"));
    assertEquals("UNSET", authenticate.statusCode());
    assertTrue(challenge.endEpochNanos() <= authenticate.startEpochNanos(), "legs in order");
    assertNoSecrets(r, spans, List.of(PASSWORD, ntHashHex(PASSWORD)));
  }

  @Test
  void ntlmWrongPasswordFailsOnTheAuthenticateLeg() throws Exception {
    AgentProcess.Result r = LAB.app().connect(ntlmUrl(ntlm, "Wrong-Pa55!")).run().assertOk();
    assertTrue(r.stdout.contains("ERR 18456"), r.toString());
    List<ReceivedSpan> spans = awaitLogin();
    ReceivedSpan login = login(spans);
    assertEquals("ERROR", login.statusCode());
    assertEquals("18456", login.stringAttr("db.response.status_code"));
    assertEquals(8L, login.longAttr("tds.error.state"));
    assertEquals("wrong password", login.stringAttr("tds.error.reason"));
    assertEquals("ERROR", child(spans, "ntlm authenticate").statusCode());
    assertNoSecrets(r, spans, List.of(PASSWORD, "Wrong-Pa55!", ntHashHex("Wrong-Pa55!")));
  }

  @Test
  void aSlowDomainControllerShowsOnItsLeg() throws Exception {
    AgentProcess.Result r = LAB.app().connect(ntlmUrl(slow, PASSWORD)).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    List<ReceivedSpan> spans = awaitLogin();
    ReceivedSpan leg = child(spans, "ntlm negotiate/challenge");
    assertTrue(leg.durationNanos() >= 700_000_000L, leg.describe());
    // the delay is the domain controller's, on the challenge leg: the authenticate leg is the
    // shorter one
    // (relative, not a wall-clock bound that a busy machine could break)
    assertTrue(
        child(spans, "ntlm authenticate").durationNanos() < leg.durationNanos(), leg.describe());
    assertEquals("ntlm negotiate/challenge", login(spans).stringAttr("tds.auth.slowest_leg"));
  }

  @Test
  void kerberosAgainstARealKdc() throws Exception {
    AgentProcess p = LAB.app();
    for (Map.Entry<String, String> e : kdc.clientSystemProperties().entrySet()) {
      p.prop(e.getKey(), e.getValue());
    }
    AgentProcess.Result r =
        p.connect(kdc.jdbcUrl(kerberos.port()) + "databaseName=demo").run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    List<ReceivedSpan> spans = awaitLogin();
    ReceivedSpan login = login(spans);
    assertEquals("kerberos", login.stringAttr("tds.auth.method"));
    ReceivedSpan leg =
        Traces.of(spans).childrenOf(login).stream()
            .filter(s -> s.name().startsWith("kerberos ap-req"))
            .findFirst()
            .orElseThrow(() -> new AssertionError(Traces.of(spans).childNames(login).toString()));
    assertEquals("LAB.LOCAL", leg.stringAttr("tds.kerberos.realm"));
    assertTrue(
        leg.stringAttr("tds.kerberos.service_principal").startsWith("MSSQLSvc/"), leg.describe());
    assertNotNull(leg.stringAttr("tds.kerberos.ticket_etype"));
    assertEquals(Boolean.TRUE, leg.boolAttr("tds.kerberos.mutual_required"));
    assertFalse(SESSION_KEYS.isEmpty(), "the lab acceptor reported the session key");
    List<String> secrets = new java.util.ArrayList<>(List.of(kdc.password()));
    for (byte[] key : SESSION_KEYS) {
      secrets.add(HexFormat.of().formatHex(key));
      secrets.add(java.util.Base64.getEncoder().encodeToString(key));
    }
    assertNoSecrets(r, spans, secrets);
  }

  @Test
  void kerberosWithAnUnknownSpnFailsOnTheClientSide() throws Exception {
    AgentProcess p = LAB.app();
    for (Map.Entry<String, String> e : kdc.clientSystemProperties().entrySet()) {
      p.prop(e.getKey(), e.getValue());
    }
    AgentProcess.Result r = p.connect(kdc.jdbcUrl(noKeys.port())).run().assertOk();
    assertTrue(r.stdout.contains("ERR"), r.toString());
    List<ReceivedSpan> spans = awaitLogin();
    ReceivedSpan login = login(spans);
    assertEquals("ERROR", login.statusCode());
    assertTrue(
        login.statusMessage().toLowerCase().contains("kerberos")
            || login.statusMessage().contains("GSS"),
        login.describe() + "\n" + r);
    assertNotNull(login.stringAttr("error.type"));
  }

  @Test
  void accessTokenAcceptedAndRejected() throws Exception {
    String base =
        "jdbc:sqlserver://127.0.0.1:"
            + ntlm.port()
            + ";databaseName=demo;encrypt=true;trustServerCertificate=true;"
            + "loginTimeout=10;accessToken=";
    AgentProcess.Result ok = LAB.app().connect(base + TOKEN).run().assertOk();
    assertTrue(ok.stdout.contains("OK 1"), ok.toString());
    List<ReceivedSpan> spans = awaitLogin();
    assertEquals("fedauth", login(spans).stringAttr("tds.auth.method"));
    assertEquals("UNSET", login(spans).statusCode());
    assertNoSecrets(ok, spans, List.of(TOKEN));

    LAB.receiver().clear();
    AgentProcess.Result bad = LAB.app().connect(base + "Canary-forged-token").run().assertOk();
    assertTrue(bad.stdout.contains("ERR 18456"), bad.toString());
    List<ReceivedSpan> badSpans = awaitLogin();
    assertEquals("ERROR", login(badSpans).statusCode());
    assertEquals("18456", login(badSpans).stringAttr("db.response.status_code"));
    assertNoSecrets(bad, badSpans, List.of("Canary-forged-token"));
  }

  @Test
  void jtdsNtlmV2() throws Exception {
    String url =
        "jdbc:jtds:sqlserver://127.0.0.1:"
            + ntlm.port()
            + "/demo;domain=LAB;useNTLMv2=true;user="
            + USER
            + ";password="
            + PASSWORD
            + ";loginTimeout=10";
    AgentProcess.Result r = LAB.app().connect(url).run().assertOk();
    assertTrue(r.stdout.contains("OK 1"), r.toString());
    List<ReceivedSpan> spans = awaitLogin();
    ReceivedSpan login = login(spans);
    assertEquals("ntlm", login.stringAttr("tds.auth.method"));
    assertEquals("jTDS", login.stringAttr("tds.library_name"));
    assertEquals("NTLMv2", child(spans, "ntlm authenticate").stringAttr("tds.ntlm.version"));
    assertNoSecrets(r, spans, List.of(PASSWORD, ntHashHex(PASSWORD)));
  }
}
