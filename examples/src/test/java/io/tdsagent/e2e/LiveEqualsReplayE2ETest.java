package io.tdsagent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.lab.LabServer;
import io.tdsagent.otlp.ReceivedSpan;
import io.tdsagent.replay.Replayer;
import io.tdsagent.replay.Span;
import io.tdsagent.replay.SpanSink;
import io.tdsagent.testutil.SecretScanner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One trace model: the span tree the live agent exported (as the OTLP receiver decoded it) equals
 * the replay of the agent's own {@code -Dtds.pcap} capture of the same run, span for span: names,
 * kinds, parent structure, links, attributes and event names. Timings and ids aside, and for the
 * attributes in {@link #LIVE_ONLY} (and, under {@code encrypt=strict}, {@link #STRICT_LIVE_ONLY}).
 *
 * <p>NTLM and Kerberos (a real KDC) included: the capture keeps the structure of each SSPI token
 * and overwrites its secrets, so the replay rebuilds the same leg spans; each such test also
 * proves, with the run's own secrets as canaries (the password, its NT hash, what the lab's NTLM
 * acceptor received, the Kerberos session keys), that the capture file holds none of them.
 */
class LiveEqualsReplayE2ETest {
  static final String USER = "replay_user";
  static final String PASSWORD = "Canary-live-replay-Pa55!";

  /**
   * What only the live path can know, each with its reason; README.md ("Replaying a capture") says
   * the same. These are left out of the comparison; everything else must be equal.
   */
  static final Map<String, String> LIVE_ONLY =
      Map.ofEntries(
          Map.entry(
              "network.peer.address",
              "the driver's socket: the capture's addresses are the lab's, not a peer's resolved address"),
          Map.entry("network.peer.port", "the driver's socket, as network.peer.address"),
          Map.entry(
              "tls.server.subject",
              "the driver's TLS session: under TLS 1.3 the certificate is encrypted on the wire"),
          Map.entry("tls.server.issuer", "as tls.server.subject"),
          Map.entry("tls.server.not_before", "as tls.server.subject"),
          Map.entry("tls.server.not_after", "as tls.server.subject"),
          Map.entry(
              "tds.login.timeout_ms",
              "the driver's login timeout, read from its connection settings"),
          Map.entry(
              "tds.login.budget_used",
              "the share of the driver's login timeout a login or step used"),
          Map.entry("tds.client.error.type", "the exception the driver threw to the application"),
          Map.entry("tds.client.sql_state", "as tds.client.error.type"),
          Map.entry(
              "tds.request.driver_internal",
              "where the driver was (inside getConnection) when it sent the request"),
          Map.entry(
              "tds.login.attempt",
              "the driver's connect hook: which attempt of one request for a connection"),
          Map.entry(
              "tds.login.before_connect_ms",
              "the driver's connect hook: when the application asked, before any byte"));

  /** Attributes whose value is a duration: compared by presence only ("timings aside"). */
  static final Set<String> TIMINGS =
      Set.of(
          "tds.auth.slowest_leg.duration_ms",
          "tds.smp.stall_ms",
          // which leg was slowest is itself a timing: live it is measured in the driver, replayed
          // from capture times
          "tds.auth.slowest_leg");

  /**
   * What only the capture shows (who closed the TCP connection, how): not a span the agent makes.
   */
  static final String CAPTURE_ONLY_SPAN = "SQL Server connection";

  /**
   * Under {@code encrypt=strict} (TDS 8) TLS runs on the socket below TDS, before PRELOGIN: the
   * agent taps the plaintext above it, so its capture holds no TLS record at all, and the replay
   * has no handshake to show. The live {@code tls handshake} span is left out of the comparison;
   * these are its attributes, each with why only the live path knows it (README.md, "Replaying a
   * capture", says the same). The test checks that the live span carries exactly these. Everything
   * else is compared, the login's {@code tds.encryption.*} and {@code tds.strict} too: the replay
   * knows the login was strict from LOGIN7's TDS version 8.0, which only encrypt=strict sends.
   */
  static final String STRICT_LIVE_ONLY_SPAN = "tls handshake";

  static final Map<String, String> STRICT_LIVE_ONLY =
      Map.of(
          "tls.protocol.name",
              "the handshake span itself: no TLS record in the capture to say TLS ran",
          "tls.established",
              "the driver's handshake completing (no ServerHello or Finished in the capture)",
          "tls.protocol.version",
              "the driver's TLS session (SSLSession.getProtocol): no ServerHello in the capture",
          "tls.cipher",
              "the driver's TLS session (SSLSession.getCipherSuite): no ServerHello in the capture",
          "tls.server.subject",
              "the driver's TLS session's peer certificate: no Certificate message in the capture",
          "tls.server.issuer", "as tls.server.subject",
          "tls.server.not_before", "as tls.server.subject",
          "tls.server.not_after", "as tls.server.subject",
          "tds.strict",
              "on the handshake span only: the login span carries it too, and that one is compared");

  /**
   * The login span repeats the handshake's version and cipher: not compared under strict, for the
   * same reason.
   */
  static final Set<String> STRICT_LIVE_ONLY_ON_LOGIN = Set.of("tls.protocol.version", "tls.cipher");

  static final String NTLM_USER = "svc_orders";
  static final String NTLM_PASSWORD = "Canary-ntlm-replay-Pa55!";

  /**
   * What the lab's NTLM acceptor received: responses, NTProofStr, session key, MIC, server
   * challenge.
   */
  static final List<byte[]> NTLM_SECRETS = new java.util.concurrent.CopyOnWriteArrayList<>();

  static final List<byte[]> SESSION_KEYS = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The Kerberos tokens the lab's acceptor received and sent, raw. */
  static final List<byte[]> KERBEROS_TOKENS = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Per scenario: attributes only the live path knows there (set by compare before the trees are
   * written).
   */
  static Set<String> ignoredAttributes = Set.of();

  @RegisterExtension static final LabAndReceiver LAB = new LabAndReceiver(USER, PASSWORD);

  static LabServer plain;
  static LabServer tls;
  static LabServer ntlm;
  static LabServer kerberos;
  static io.tdsagent.lab.kerberos.KerberosLab kdc;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    plain = LAB.lab(LabServer.builder().encryption(Encryption.NOT_SUPPORTED));
    tls = LAB.lab(LabServer.builder().encryption(Encryption.OFF));
    ntlm =
        LAB.stopLater(
            LabServer.builder()
                .port(0)
                .login(NTLM_USER, NTLM_PASSWORD)
                .database("master", "demo")
                .ntlmDomain("LAB", "lab.local")
                .ntlmSecrets(NTLM_SECRETS::add)
                .encryption(Encryption.NOT_SUPPORTED)
                .build()
                .start());
    kdc = LAB.stopLater(io.tdsagent.lab.kerberos.KerberosLab.start());
    kerberos =
        LAB.kerberosLab(
            kdc,
            LabServer.builder()
                .kerberosSessionKeys(SESSION_KEYS::add)
                .kerberosTokens(KERBEROS_TOKENS::add)
                .encryption(Encryption.NOT_SUPPORTED));
  }

  @Test
  void plaintextLoginAndRequests() throws Exception {
    String url =
        plain.jdbcUrl(
            JdbcEncrypt.FALSE, USER, PASSWORD, "databaseName=demo;applicationName=live-replay");
    compare(
        "plaintext",
        LAB.app()
            .step("open", url)
            .step("query", "SELECT * FROM dbo.typed_rows")
            .step("query", "SELECT secret_value FROM no_such_table")
            .step("prepared", "SELECT * FROM dbo.typed_rows WHERE id = ?")
            .step("call", "{call dbo.add_numbers(?, ?, ?)}")
            .step("query", "RAISERROR('just saying', 10, 1)")
            .step("close", "-"));
  }

  @Test
  void cancelledRequest() throws Exception {
    String url =
        plain.jdbcUrl(
            JdbcEncrypt.FALSE, USER, PASSWORD, "databaseName=demo;applicationName=live-replay");
    compare(
        "cancel",
        LAB.app().step("open", url).step("cancel", "WAITFOR DELAY '00:00:20'").step("close", "-"));
  }

  @Test
  void tlsEncryptTrue() throws Exception {
    compare(
        "tls",
        LAB.app()
            .step("open", tls.jdbcUrl(JdbcEncrypt.TRUE, USER, PASSWORD, "databaseName=demo"))
            .step("query", "SELECT 1")
            .step("close", "-"));
  }

  @Test
  void loginOnlyTls() throws Exception {
    compare(
        "login-only",
        LAB.app()
            .step("open", tls.jdbcUrl(JdbcEncrypt.FALSE, USER, PASSWORD, "databaseName=demo"))
            .step("query", "SELECT 1")
            .step("close", "-"));
  }

  @Test
  void wrongPassword() throws Exception {
    compare(
        "wrong-password",
        LAB.app()
            .connect(plain.jdbcUrl(JdbcEncrypt.FALSE, USER, "Wrong-Pa55!", "databaseName=demo")));
  }

  @Test
  void strictTds8() throws Exception {
    Path pcap =
        compare(
            "strict",
            LAB.app()
                .step("open", tls.jdbcUrl(JdbcEncrypt.STRICT, USER, PASSWORD, "databaseName=demo"))
                .step("query", "SELECT 1")
                .step("close", "-"),
            Set.of(STRICT_LIVE_ONLY_SPAN),
            STRICT_LIVE_ONLY_ON_LOGIN);
    List<ReceivedSpan> live =
        LAB.receiver()
            .awaitSpans(
                s -> s.stream().anyMatch(x -> x.name().equals(STRICT_LIVE_ONLY_SPAN)),
                Duration.ofSeconds(20));
    ReceivedSpan handshake =
        live.stream().filter(x -> x.name().equals(STRICT_LIVE_ONLY_SPAN)).findFirst().orElseThrow();
    Set<String> keys = new java.util.TreeSet<>(handshake.attributes().keySet());
    keys.removeIf(
        k ->
            LIVE_ONLY.containsKey(k)
                && !STRICT_LIVE_ONLY.containsKey(k)); // live-only in every scenario
    assertEquals(
        new java.util.TreeSet<>(STRICT_LIVE_ONLY.keySet()),
        keys,
        "what the live path alone knows under strict is exactly the handshake span's attributes: "
            + handshake);
    ReceivedSpan login =
        live.stream().filter(x -> x.name().equals("SQL Server login")).findFirst().orElseThrow();
    assertEquals(
        new java.util.TreeSet<>(STRICT_LIVE_ONLY_ON_LOGIN),
        login.attributes().keySet().stream()
            .filter(k -> k.startsWith("tls."))
            .collect(Collectors.toCollection(java.util.TreeSet::new)),
        "the login's tls.* attributes are those left out: " + login);
    assertCaptureHoldsNoText(pcap, PASSWORD);
  }

  static String ntlmUrl(String password) {
    return "jdbc:sqlserver://127.0.0.1:"
        + ntlm.port()
        + ";integratedSecurity=true;authenticationScheme=NTLM;"
        + "domain=LAB;user="
        + NTLM_USER
        + ";password="
        + password
        + ";databaseName=demo;encrypt=false;"
        + "trustServerCertificate=true;loginTimeout=10";
  }

  @Test
  void ntlm() throws Exception {
    NTLM_SECRETS.clear();
    Path pcap =
        compare(
            "ntlm",
            LAB.app()
                .step("open", ntlmUrl(NTLM_PASSWORD))
                .step("query", "SELECT 1")
                .step("close", "-"));
    assertNtlmSecretsAbsent(pcap, NTLM_PASSWORD);
  }

  @Test
  void ntlmWrongPassword() throws Exception {
    NTLM_SECRETS.clear();
    Path pcap =
        compare("ntlm-wrong-password", LAB.app().connect(ntlmUrl("Canary-wrong-ntlm-Pa55!")));
    assertNtlmSecretsAbsent(pcap, "Canary-wrong-ntlm-Pa55!");
  }

  private static void assertNtlmSecretsAbsent(Path pcap, String password) throws Exception {
    assertTrue(NTLM_SECRETS.size() >= 5, "the lab's acceptor reported the AUTHENTICATE's secrets");
    List<byte[]> secrets = new ArrayList<>(NTLM_SECRETS);
    secrets.add(java.util.HexFormat.of().parseHex(AuthLegsE2ETest.ntHashHex(password)));
    assertCaptureHoldsNone(pcap, secrets);
    assertCaptureHoldsNoText(pcap, password);
  }

  @Test
  void kerberosAgainstARealKdc() throws Exception {
    SESSION_KEYS.clear();
    KERBEROS_TOKENS.clear();
    AgentProcess app = LAB.app();
    for (Map.Entry<String, String> e : kdc.clientSystemProperties().entrySet()) {
      app.prop(e.getKey(), e.getValue());
    }
    Path pcap =
        compare(
            "kerberos",
            app.step("open", kdc.jdbcUrl(kerberos.port()) + "databaseName=demo")
                .step("query", "SELECT 1")
                .step("close", "-"));
    assertTrue(!SESSION_KEYS.isEmpty(), "the lab's acceptor reported the session key");
    List<byte[]> secrets = new ArrayList<>(SESSION_KEYS);
    // the ciphers of the real AP-REQ (ticket, authenticator) and AP-REP: every OCTET STRING of 16
    // bytes or more
    List<byte[]> ciphers = new ArrayList<>();
    for (byte[] token : KERBEROS_TOKENS) {
      octetStrings(token, 0, token.length, ciphers, 0);
    }
    assertTrue(
        ciphers.size() >= 2,
        "the lab saw the AP-REQ's ticket and authenticator ciphers: " + ciphers.size());
    secrets.addAll(ciphers);
    assertCaptureHoldsNone(pcap, secrets);
    assertCaptureHoldsNoText(pcap, kdc.password());
  }

  /**
   * No 8-byte piece of any secret (or the whole of a shorter one) is anywhere in the capture file.
   */
  static void assertCaptureHoldsNone(Path pcap, List<byte[]> secrets) throws Exception {
    byte[] file = Files.readAllBytes(pcap);
    int checked = 0;
    for (byte[] s : secrets) {
      if (s.length == 0 || java.util.Arrays.equals(s, new byte[s.length])) {
        continue; // an empty field (no LM response, no session key) is nothing to leak
      }
      checked++;
      int step = Math.max(1, Math.min(8, s.length));
      for (int at = 0; at + step <= s.length; at += 4) {
        byte[] piece = java.util.Arrays.copyOfRange(s, at, at + step);
        assertEquals(
            -1, SecretScanner.indexOf(file, piece), "a secret's bytes in " + pcap.getFileName());
      }
    }
    assertTrue(checked > 0, "some secret to look for");
  }

  /**
   * Collects the contents of the DER OCTET STRINGs of 16 bytes or more in {@code b[from, to)},
   * walking constructed encodings (and a GSS token's content after its OID and 2-byte TOK_ID);
   * whatever does not parse is left alone.
   */
  static void octetStrings(byte[] b, int from, int to, List<byte[]> out, int depth) {
    int p = from;
    while (p + 2 <= to && depth < 20) {
      int tag = b[p] & 0xFF;
      int len = b[p + 1] & 0xFF;
      int at = p + 2;
      if (len > 0x80) {
        int n = len & 0x7F;
        len = 0;
        for (int i = 0; i < n && at < to; i++) {
          len = len << 8 | (b[at++] & 0xFF);
        }
      } else if (len == 0x80) {
        return;
      }
      if (len < 0 || at + len > to) {
        return;
      }
      int inner = len > 0 ? b[at] & 0xFF : -1;
      if (tag == 0x04
          && (inner == 0x60 || inner == 0xA0 || inner == 0xA1 || inner == 0x6E || inner == 0x6F)) {
        octetStrings(
            b, at, at + len, out,
            depth + 1); // an SPNEGO mechToken: a token of its own, not a cipher
      } else if (tag == 0x04 && len >= 16) {
        out.add(java.util.Arrays.copyOfRange(b, at, at + len));
      } else if (tag == 0x60 && at < to && b[at] == 0x06) {
        int oidEnd = at + 2 + (b[at + 1] & 0xFF);
        octetStrings(b, oidEnd, at + len, out, depth + 1); // SPNEGO: the NegotiationToken
        octetStrings(b, oidEnd + 2, at + len, out, depth + 1); // krb5: after TOK_ID
      } else if ((tag & 0x20) != 0) {
        octetStrings(b, at, at + len, out, depth + 1);
      }
      p = at + len;
    }
  }

  /**
   * A password, whole, in the encodings it could be written in (pieces of it may be a user name's).
   */
  static void assertCaptureHoldsNoText(Path pcap, String text) throws Exception {
    byte[] file = Files.readAllBytes(pcap);
    for (java.nio.charset.Charset cs :
        List.of(
            java.nio.charset.StandardCharsets.UTF_16LE, java.nio.charset.StandardCharsets.UTF_8)) {
      assertEquals(
          -1,
          SecretScanner.indexOf(file, text.getBytes(cs)),
          "the password in " + pcap.getFileName());
    }
  }

  private Path compare(String name, AgentProcess app) throws Exception {
    return compare(name, app, Set.of(), Set.of());
  }

  /**
   * Runs the application with the agent writing its capture, then compares the exported tree with
   * the replay's. {@code liveOnly} names spans, {@code liveOnlyAttributes} attributes, that only
   * the live path can know in this scenario (beyond {@link #LIVE_ONLY}).
   */
  private Path compare(
      String name, AgentProcess app, Set<String> liveOnly, Set<String> liveOnlyAttributes)
      throws Exception {
    Path pcap = dir.resolve(name + ".pcapng");
    AgentProcess.Result r = app.prop("tds.pcap", pcap.toString()).run().assertOk();
    assertTrue(Files.size(pcap) > 0, "capture written: " + r);

    List<Span> replayed = new ArrayList<>();
    Replayer.Result result =
        new Replayer(
                new SpanSink() {
                  @Override
                  public void span(Span span) {
                    replayed.add(span);
                  }
                })
            .replay(pcap);
    assertEquals(null, result.damage, "the agent's capture reads whole");
    assertEquals(1, result.tdsConnections, "one TDS connection in " + pcap);
    List<Span> model =
        replayed.stream()
            .filter(s -> !s.name().equals(CAPTURE_ONLY_SPAN))
            .collect(Collectors.toList());
    assertTrue(
        model.stream().anyMatch(s -> s.name().equals("SQL Server login")),
        "a login in the replay: " + replayed);

    // the exit flush has sent every span by the time the process ended; wait for the receiver to
    // have them all
    List<ReceivedSpan> live =
        LAB.receiver()
            .awaitSpans(s -> s.size() >= model.size() + liveOnly.size(), Duration.ofSeconds(20));
    ignoredAttributes = liveOnlyAttributes;
    // the connection span differs by nature: live it knows the driver's close(), replayed the TCP
    // flags
    String expected =
        liveTree(
            live.stream()
                .filter(s -> !s.name().equals(CAPTURE_ONLY_SPAN))
                .collect(Collectors.toList()),
            liveOnly);
    String actual = replayTree(model, liveOnly);
    assertEquals(
        expected,
        actual,
        name + ": the live agent's spans (expected) and the replay of its capture (actual)");
    return pcap;
  }

  // ---- one canonical text per span tree: roots sorted, children sorted, ids replaced by names
  // ----

  private static String liveTree(List<ReceivedSpan> all, Set<String> liveOnly) {
    List<ReceivedSpan> spans =
        all.stream().filter(s -> !liveOnly.contains(s.name())).collect(Collectors.toList());
    Map<String, ReceivedSpan> byId = new HashMap<>();
    Map<String, List<ReceivedSpan>> children = new HashMap<>();
    for (ReceivedSpan s : spans) {
      byId.put(s.spanId(), s);
    }
    List<ReceivedSpan> roots = new ArrayList<>();
    for (ReceivedSpan s : spans) {
      if (s.parentSpanId() == null
          || s.parentSpanId().isEmpty()
          || !byId.containsKey(s.parentSpanId())) {
        roots.add(s);
      } else {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      }
    }
    List<String> out = new ArrayList<>();
    for (ReceivedSpan root : roots) {
      out.add(live(root, byId, children, 0, liveOnly));
    }
    out.sort(null);
    return String.join("", out);
  }

  private static String live(
      ReceivedSpan s,
      Map<String, ReceivedSpan> byId,
      Map<String, List<ReceivedSpan>> children,
      int depth,
      Set<String> liveOnly) {
    List<String> links =
        s.links().stream()
            .map(l -> byId.containsKey(l.spanId()) ? byId.get(l.spanId()).name() : "(not exported)")
            .collect(Collectors.toList());
    List<String> events =
        s.events().stream()
            .map(e -> e.name() + eventAttrs(e.attributes()))
            .collect(Collectors.toList());
    String line =
        line(
            depth,
            s.name(),
            s.kind().replace("SPAN_KIND_", ""),
            s.statusCode().replace("STATUS_CODE_", ""),
            s.attributes(),
            events,
            links,
            liveOnly);
    List<String> kids = new ArrayList<>();
    for (ReceivedSpan c : children.getOrDefault(s.spanId(), List.of())) {
      kids.add(live(c, byId, children, depth + 1, liveOnly));
    }
    kids.sort(null);
    return line + String.join("", kids);
  }

  private static String replayTree(List<Span> all, Set<String> liveOnly) {
    List<Span> spans =
        all.stream().filter(s -> !liveOnly.contains(s.name())).collect(Collectors.toList());
    Map<String, Span> byId = new HashMap<>();
    Map<String, List<Span>> children = new HashMap<>();
    for (Span s : spans) {
      byId.put(s.spanId(), s);
    }
    List<Span> roots = new ArrayList<>();
    for (Span s : spans) {
      if (s.parentSpanId() == null) {
        roots.add(s);
      } else {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      }
    }
    List<String> out = new ArrayList<>();
    for (Span root : roots) {
      out.add(replay(root, byId, children, 0, liveOnly));
    }
    out.sort(null);
    return String.join("", out);
  }

  private static String replay(
      Span s,
      Map<String, Span> byId,
      Map<String, List<Span>> children,
      int depth,
      Set<String> liveOnly) {
    List<String> links =
        s.links().stream()
            .map(l -> byId.containsKey(l[1]) ? byId.get(l[1]).name() : "(not exported)")
            .collect(Collectors.toList());
    List<String> events =
        s.events().stream()
            .map(e -> e.name + eventAttrs(e.attributes))
            .collect(Collectors.toList());
    String line =
        line(
            depth,
            s.name(),
            s.kind().name(),
            s.isError() ? "ERROR" : "UNSET",
            s.attributes(),
            events,
            links,
            liveOnly);
    List<String> kids = new ArrayList<>();
    for (Span c : children.getOrDefault(s.spanId(), List.of())) {
      kids.add(replay(c, byId, children, depth + 1, liveOnly));
    }
    kids.sort(null);
    return line + String.join("", kids);
  }

  private static String line(
      int depth,
      String name,
      String kind,
      String status,
      Map<String, Object> attributes,
      List<String> events,
      List<String> links,
      Set<String> liveOnly) {
    Map<String, Object> a = new TreeMap<>();
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      if (!LIVE_ONLY.containsKey(e.getKey()) && !ignoredAttributes.contains(e.getKey())) {
        a.put(
            e.getKey(),
            TIMINGS.contains(e.getKey()) ? "(a duration)" : String.valueOf(e.getValue()));
      }
    }
    return "  ".repeat(depth)
        + name
        + " ["
        + kind
        + ", "
        + status
        + "] links="
        + links
        + " events="
        + events
        + " "
        + a
        + "\n";
  }

  private static String eventAttrs(Map<String, Object> attributes) {
    Map<String, Object> a = new TreeMap<>();
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      a.put(
          e.getKey(), TIMINGS.contains(e.getKey()) ? "(a duration)" : String.valueOf(e.getValue()));
    }
    return a.isEmpty() ? "" : a.toString();
  }
}
