package io.tdsagent.tds.sspi.kerberos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.tds.conversation.TdsConversation;
import io.tdsagent.tds.event.AuthLegEvent;
import io.tdsagent.tds.event.LoginOutcomeEvent;
import io.tdsagent.tds.event.SspiEvent;
import io.tdsagent.tds.event.TdsEvent;
import io.tdsagent.tds.event.TokenEvent;
import io.tdsagent.tds.sspi.SspiDecoder;
import io.tdsagent.tds.sspi.mechanism.GssOid;
import io.tdsagent.tds.sspi.mechanism.SspiMechanism;
import io.tdsagent.tds.sspi.mechanism.SspiMessage;
import io.tdsagent.tds.sspi.spnego.NegTokenInit;
import io.tdsagent.tds.sspi.spnego.NegTokenResp;
import io.tdsagent.testutil.Der;
import io.tdsagent.testutil.KdcProxy;
import io.tdsagent.testutil.Login7Bytes;
import io.tdsagent.testutil.Recorder;
import io.tdsagent.testutil.SecretScanner;
import io.tdsagent.testutil.TdsBytes;
import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import org.apache.kerby.kerberos.kerb.KrbErrorCode;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;
import org.apache.kerby.kerberos.kerb.type.KerberosTime;
import org.apache.kerby.kerberos.kerb.type.base.KrbError;
import org.apache.kerby.kerberos.kerb.type.base.PrincipalName;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Kerberos tokens: an Apache Kerby KDC on loopback (started once for the class), the JDK's
 * JGSS as initiator and acceptor of MSSQLSvc/localhost:1433, and a relay in front of the KDC for
 * its real KRB-ERRORs.
 */
class RealKerberosTest {
  static final String REALM = "TDS.TEST";
  static final String USER = "alice@" + REALM;
  static final String SPN = "MSSQLSvc/localhost:1433@" + REALM;
  static final String PASSWORD = "Krb-Canary-Pa55!";
  static final Oid KRB5 = oid(GssOid.KERBEROS);
  static final Oid SPNEGO = oid(GssOid.SPNEGO);
  static final Oid KRB5_PRINCIPAL = oid("1.2.840.113554.1.2.2.1");

  static SimpleKdcServer kdc;
  static KdcProxy proxy;
  static Path dir;
  static Subject client;
  static Subject service;

  static Oid oid(String s) {
    try {
      return new Oid(s);
    } catch (GSSException e) {
      throw new AssertionError(e);
    }
  }

  @BeforeAll
  static void startKdc() throws Exception {
    dir = Files.createTempDirectory("tds-kdc");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    kdc = new SimpleKdcServer();
    kdc.setWorkDir(dir.toFile());
    kdc.setKdcRealm(REALM);
    kdc.setKdcHost("127.0.0.1");
    kdc.setAllowUdp(false);
    kdc.setAllowTcp(true);
    kdc.setKdcTcpPort(port);
    kdc.init();
    kdc.start();
    kdc.createPrincipal(USER, PASSWORD);
    kdc.createPrincipal(SPN, "Service-Key-Pa55!");
    File userTab = dir.resolve("alice.keytab").toFile();
    File svcTab = dir.resolve("mssql.keytab").toFile();
    kdc.exportPrincipal(USER, userTab);
    kdc.exportPrincipal(SPN, svcTab);

    proxy = new KdcProxy(port);
    Path conf = dir.resolve("krb5.conf");
    Files.write(
        conf,
        ("[libdefaults]\n default_realm = "
                + REALM
                + "\n udp_preference_limit = 1\n"
                + " dns_lookup_kdc = false\n dns_lookup_realm = false\n rdns = false\n"
                + "[realms]\n "
                + REALM
                + " = {\n  kdc = 127.0.0.1:"
                + proxy.port()
                + "\n }\n")
            .getBytes(StandardCharsets.US_ASCII));
    System.setProperty("java.security.krb5.conf", conf.toString());
    System.setProperty("sun.security.krb5.disableReferrals", "true");
    client = login(USER, userTab, true);
    service = login(SPN, svcTab, false);
  }

  @AfterAll
  static void stopKdc() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    if (kdc != null) {
      kdc.stop();
    }
  }

  static Subject login(String principal, File keytab, boolean initiator) throws Exception {
    Map<String, String> o = new HashMap<>();
    o.put("useKeyTab", "true");
    o.put("keyTab", keytab.getAbsolutePath());
    o.put("principal", principal);
    o.put("storeKey", "true");
    o.put("doNotPrompt", "true");
    o.put("refreshKrb5Config", "true");
    o.put("isInitiator", Boolean.toString(initiator));
    Configuration conf =
        new Configuration() {
          @Override
          public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
            return new AppConfigurationEntry[] {
              new AppConfigurationEntry(
                  "com.sun.security.auth.module.Krb5LoginModule",
                  AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                  o)
            };
          }
        };
    LoginContext lc = new LoginContext("tds", new Subject(), null, conf);
    lc.login();
    return lc.getSubject();
  }

  static <T> T as(Subject s, PrivilegedExceptionAction<T> a) throws Exception {
    return Subject.doAs(s, a);
  }

  static GSSContext initiator(Oid mech, String spn) throws Exception {
    return as(
        client,
        () -> {
          GSSManager m = GSSManager.getInstance();
          GSSContext ctx =
              m.createContext(
                  m.createName(spn, KRB5_PRINCIPAL), mech, null, GSSContext.DEFAULT_LIFETIME);
          ctx.requestMutualAuth(true);
          return ctx;
        });
  }

  /** AP-REQ from the client, AP-REP from the service: one real mutual-auth exchange. */
  static byte[][] exchange(Oid mech) throws Exception {
    GSSContext init = initiator(mech, SPN);
    byte[] t1 = as(client, () -> init.initSecContext(new byte[0], 0, 0));
    GSSContext accept =
        as(service, () -> GSSManager.getInstance().createContext((GSSCredential) null));
    byte[] t2 = as(service, () -> accept.acceptSecContext(t1, 0, t1.length));
    assertTrue(accept.isEstablished());
    as(client, () -> init.initSecContext(t2, 0, t2.length));
    assertTrue(init.isEstablished());
    return new byte[][] {t1, t2};
  }

  static void assertNoSecrets(Object o) {
    List<String> f = new SecretScanner(PASSWORD).scan(o);
    assertTrue(f.isEmpty(), f.toString());
  }

  @Test
  void krb5ApReqAndApRep() throws Exception {
    byte[][] t = exchange(KRB5);
    assertEquals(SspiMechanism.KERBEROS, SspiDecoder.classify(t[0]));
    KerberosApReq req = (KerberosApReq) SspiDecoder.decode(t[0]);
    assertEquals("kerberos ap-req", req.description());
    assertEquals(GssOid.KERBEROS, req.gssOid().value());
    assertEquals(REALM, req.realm());
    assertEquals("MSSQLSvc/localhost:1433", req.sname().toString());
    assertEquals("MSSQLSvc/localhost:1433@" + REALM, req.servicePrincipal());
    assertTrue(req.isMutualRequired());
    assertTrue(req.ticketEtype() == 17 || req.ticketEtype() == 18, req.toString());
    assertTrue(req.ticketEtypeName().startsWith("aes"));
    assertTrue(req.ticketKvno() >= 1, req.toString());
    assertNoSecrets(req);
    // the ticket and authenticator ciphers stay behind: nothing in the message holds 16+ bytes of
    // the token
    assertNoTokenBytes(req, t[0]);

    KerberosApRep rep = (KerberosApRep) SspiDecoder.decode(t[1]);
    assertEquals("kerberos ap-rep", rep.description());
    assertTrue(rep.encPartEtypeName().startsWith("aes"));
    assertNoTokenBytes(rep, t[1]);
  }

  @Test
  void spnegoWrappedKerberos() throws Exception {
    byte[][] t = exchange(SPNEGO);
    assertEquals(SspiMechanism.SPNEGO, SspiDecoder.classify(t[0]));
    NegTokenInit init = (NegTokenInit) SspiDecoder.decode(t[0]);
    assertTrue(init.offersKerberos(), init.toString());
    assertEquals("kerberos", init.mechTypes().get(0).name());
    KerberosApReq req = (KerberosApReq) init.mechToken();
    assertEquals("MSSQLSvc/localhost:1433", req.sname().toString());
    assertEquals("kerberos ap-req", init.description());
    assertNoTokenBytes(init, t[0]);

    assertEquals(SspiMechanism.SPNEGO, SspiDecoder.classify(t[1]));
    NegTokenResp resp = (NegTokenResp) SspiDecoder.decode(t[1]);
    assertEquals(NegTokenResp.NegState.ACCEPT_COMPLETED, resp.negState());
    assertTrue(resp.supportedMech().isKerberos());
    assertTrue(resp.responseToken() instanceof KerberosApRep, resp.toString());
    assertEquals("kerberos ap-rep", resp.description());
  }

  @Test
  void kdcErrorForAnUnknownServicePrincipal() throws Exception {
    int before = proxy.replies().size();
    GSSContext ctx = initiator(KRB5, "MSSQLSvc/nohost.tds.test:1433@" + REALM);
    assertThrows(Exception.class, () -> as(client, () -> ctx.initSecContext(new byte[0], 0, 0)));
    List<byte[]> replies = proxy.replies();
    KerberosError err = null;
    for (byte[] r : replies.subList(before, replies.size())) {
      SspiMessage m = SspiDecoder.decode(r);
      if (m instanceof KerberosError) {
        err = (KerberosError) m;
      }
    }
    assertNotNull(err, "the KDC's reply was a KRB-ERROR");
    assertEquals(7, err.errorCode());
    assertEquals("KDC_ERR_S_PRINCIPAL_UNKNOWN", err.errorName());
    assertEquals(REALM, err.realm());
    assertNull(err.gssOid(), "bare, as the KDC sends it");
    assertNotNull(err.stime());
    assertEquals("kerberos krb-error", err.description());
  }

  /**
   * KRB-ERROR as a service would send it back in an SSPI token: Kerby's encoder, in krb5 GSS
   * framing (TOK_ID 03 00).
   */
  static byte[] gssKrbError(KrbErrorCode code, String eText) throws Exception {
    KrbError e = new KrbError();
    e.setStime(new KerberosTime(1_700_000_000_000L));
    e.setSusec(0);
    e.setErrorCode(code);
    e.setRealm(REALM);
    e.setSname(new PrincipalName(SPN));
    if (eText != null) {
      e.setEtext(eText);
    }
    return Der.gss(GssOid.KERBEROS, TdsBytes.concat(new byte[] {3, 0}, e.encode()));
  }

  @Test
  void krbErrorNames() throws Exception {
    KerberosError skew =
        (KerberosError)
            SspiDecoder.decode(gssKrbError(KrbErrorCode.KRB_AP_ERR_SKEW, "clock skew too great"));
    assertEquals(37, skew.errorCode());
    assertEquals("KRB_AP_ERR_SKEW", skew.errorName());
    assertEquals("clock skew too great", skew.eText());
    assertEquals("MSSQLSvc/localhost:1433", skew.sname().toString());
    assertEquals(java.time.Instant.ofEpochSecond(1_700_000_000L), skew.stime());
    assertEquals(GssOid.KERBEROS, skew.gssOid().value());
    KerberosError modified =
        (KerberosError) SspiDecoder.decode(gssKrbError(KrbErrorCode.KRB_AP_ERR_MODIFIED, null));
    assertEquals("KRB_AP_ERR_MODIFIED", modified.errorName());
    assertEquals(41, modified.errorCode());
    assertNull(modified.eText());
  }

  @Test
  void kerberosLoginIsOneLegEndingWithApRepAndLoginAck() throws Exception {
    byte[][] t = exchange(SPNEGO);
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    Login7Bytes l = new Login7Bytes();
    l.flags2 = 0x83;
    l.user = "";
    l.sspi = t[0];
    c.onClientBytes(TdsBytes.packet(0x10, 1, l.build()), 0, 8 + l.build().length, 100);
    byte[] resp =
        TdsBytes.packet(
            0x04,
            1,
            TdsBytes.concat(
                new TdsBytes.Out().u8(0xED).u16le(t[1].length).bytes(t[1]).toByteArray(),
                TdsBytes.loginAck(0x74000004, "Microsoft SQL Server", 16, 0, 0x10, 0xA7),
                TdsBytes.done(0xFD, 0, 0, 0)));
    c.onServerBytes(resp, 0, 20, 200);
    c.onServerBytes(resp, 20, resp.length - 20, 250);
    AuthLegEvent leg = r.one(AuthLegEvent.class);
    assertEquals("kerberos ap-req/ap-rep", leg.name());
    assertEquals(AuthLegEvent.Result.LOGGED_IN, leg.result());
    assertEquals(100, leg.startNanos());
    assertEquals(200, leg.firstResponseNanos());
    assertEquals(250, leg.endNanos());
    assertTrue(leg.summary().isKerberosUsed());
    assertTrue(leg.summary().isSpnego());
    assertFalse(leg.summary().isKerberosRequestedButNtlmUsed());
    assertEquals(2, r.of(SspiEvent.class).size());
    assertEquals(LoginOutcomeEvent.Outcome.SUCCESS, r.one(LoginOutcomeEvent.class).outcome());
    for (TdsEvent e : r.events) {
      assertNoSecrets(e);
      if (!(e instanceof TokenEvent)) {
        assertNoTokenBytes(e, t[0]);
      }
    }
  }

  @Test
  void rejectedKerberosLoginEndsWithKrbError() throws Exception {
    byte[][] t = exchange(KRB5);
    Recorder r = new Recorder();
    TdsConversation c = new TdsConversation(r);
    Login7Bytes l = new Login7Bytes();
    l.flags2 = 0x83;
    l.user = "";
    l.sspi = t[0];
    byte[] login = TdsBytes.message(0x10, l.build(), 512);
    c.onClientBytes(login, 0, login.length, 100);
    byte[] err = gssKrbError(KrbErrorCode.KRB_AP_ERR_SKEW, null);
    byte[] resp =
        TdsBytes.packet(
            0x04,
            1,
            TdsBytes.concat(
                new TdsBytes.Out().u8(0xED).u16le(err.length).bytes(err).toByteArray(),
                TdsBytes.serverMessage(
                    true,
                    18452,
                    1,
                    14,
                    "Login failed. The login is from an untrusted domain.",
                    "SRV"),
                TdsBytes.done(0xFD, 2, 0, 0)));
    c.onServerBytes(resp, 0, resp.length, 300);
    AuthLegEvent leg = r.one(AuthLegEvent.class);
    assertEquals("kerberos ap-req/krb-error", leg.name());
    assertEquals(AuthLegEvent.Result.REJECTED, leg.result());
    assertEquals("KRB_AP_ERR_SKEW", ((KerberosError) leg.response()).errorName());
    assertEquals("MSSQLSvc/localhost:1433", ((KerberosApReq) leg.request()).sname().toString());
    assertEquals(LoginOutcomeEvent.Outcome.FAILURE, r.one(LoginOutcomeEvent.class).outcome());
  }

  @Test
  void truncatedAndCorruptedRealTokensNeverThrow() throws Exception {
    byte[][] t = exchange(SPNEGO);
    for (byte[] tok : t) {
      for (int n = 0; n < tok.length; n++) {
        SspiMessage m = SspiDecoder.decode(Arrays.copyOf(tok, n));
        assertNotNull(m.toString());
        assertFalse(
            m.isDecoded() && n < tok.length - 1 && n > 20, "prefix " + n + " decoded: " + m);
      }
      java.util.Random rnd = new java.util.Random(7);
      for (int i = 0; i < 3000; i++) {
        byte[] x = tok.clone();
        x[rnd.nextInt(x.length)] = (byte) rnd.nextInt(256);
        assertNotNull(SspiDecoder.decode(x).description());
      }
    }
  }

  /** No byte[] is reachable, and no string holds a hex run of 16 bytes taken from the token. */
  static void assertNoTokenBytes(Object msg, byte[] token) {
    String s = msg.toString();
    for (int i = 0; i + 16 <= token.length; i += 8) {
      byte[] window = Arrays.copyOfRange(token, i, i + 16);
      assertTrue(
          SecretScanner.forBytes(window).scan(msg).isEmpty(), "token bytes at " + i + " in " + s);
    }
  }
}
