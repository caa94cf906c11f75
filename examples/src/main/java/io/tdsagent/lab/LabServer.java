package io.tdsagent.lab;

import io.tdsagent.lab.auth.LabAuthenticator;
import io.tdsagent.lab.auth.fedauth.FedAuthAcceptor;
import io.tdsagent.lab.auth.kerberos.KerberosAcceptor;
import io.tdsagent.lab.auth.ntlm.NtlmAcceptor;
import io.tdsagent.lab.login.Authenticator;
import io.tdsagent.lab.login.SqlLoginAuthenticator;
import io.tdsagent.lab.session.Session;
import io.tdsagent.lab.sql.QueryHandler;
import io.tdsagent.lab.sql.QueryRouter;
import io.tdsagent.lab.tls.SelfSignedCertificate;
import io.tdsagent.lab.tls.TlsContexts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A TDS server on 127.0.0.1 that mssql-jdbc logs in to: PRELOGIN, TLS (TDS 7.x inside PRELOGIN,
 * login-only or full; TDS 8 strict), LOGIN7 with SQL logins, and a few SQL batches.
 *
 * <pre>{@code
 * try (LabServer server = LabServer.builder().port(0).login("sa", "Secret-1").database("master", "demo")
 *         .encryption(Encryption.OFF).build().start()) {
 *     Connection c = DriverManager.getConnection(server.jdbcUrl(JdbcEncrypt.STRICT, "sa", "Secret-1", ""));
 * }
 * }</pre>
 */
public final class LabServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger("io.tdsagent.lab");

  /** The lab listens on loopback only. */
  public static final String HOST = "127.0.0.1";

  private static final String TRUST_STORE_PASSWORD = "tds-lab";

  private final LabConfig config;
  private final List<AutoCloseable> closeWith;
  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicInteger nextSpid = new AtomicInteger(51);
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong marsSessions = new AtomicLong();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean closing;
  private ServerSocket serverSocket;
  private ExecutorService sessionThreads;
  private Thread acceptor;
  private TlsContexts tls;
  private Path pemFile;
  private Path trustStoreFile;

  private LabServer(LabConfig config, List<AutoCloseable> closeWith) {
    this.config = config;
    this.closeWith = closeWith;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds 127.0.0.1 and starts accepting; returns this. */
  public synchronized LabServer start() throws IOException {
    if (serverSocket != null) {
      throw new IllegalStateException("already started");
    }
    tls = new TlsContexts(config.certificate());
    pemFile = config.certificate().writeTempPem();
    pemFile.toFile().deleteOnExit();
    ServerSocket ss = new ServerSocket();
    ss.setReuseAddress(true);
    ss.bind(new InetSocketAddress(InetAddress.getByName(HOST), config.port()), 128);
    serverSocket = ss;
    AtomicInteger threadNo = new AtomicInteger();
    int port = ss.getLocalPort();
    ThreadFactory tf =
        r -> {
          Thread t = new Thread(r, "tds-lab-" + port + "-session-" + threadNo.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    sessionThreads = Executors.newCachedThreadPool(tf);
    acceptor = new Thread(this::acceptLoop, "tds-lab-" + port + "-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    return this;
  }

  private void acceptLoop() {
    while (!closing) {
      Socket s;
      try {
        s = serverSocket.accept();
      } catch (IOException e) {
        if (!closing) {
          LOG.log(Level.WARNING, "accept failed, lab server stops", e);
          close();
        }
        return;
      }
      accepted.incrementAndGet();
      int spid = nextSpid.getAndUpdate(v -> v >= 32000 ? 51 : v + 1);
      Session[] holder = new Session[1];
      Session session =
          new Session(s, config, tls, spid, () -> sessions.remove(holder[0]), marsSessions);
      holder[0] = session;
      sessions.add(session);
      try {
        sessionThreads.execute(session);
      } catch (RuntimeException e) { // rejected: closing
        session.abort();
        sessions.remove(session);
      }
      if (closing) {
        session.abort();
      }
    }
  }

  /** The bound port (useful with {@code port(0)}). */
  public int port() {
    return serverSocket.getLocalPort();
  }

  public String host() {
    return HOST;
  }

  public LabConfig config() {
    return config;
  }

  public X509Certificate certificate() {
    return config.certificate().certificate();
  }

  /**
   * The server certificate as a PEM file (deleted on close), for {@code serverCertificate=} in
   * strict mode.
   */
  public Path certificatePemFile() {
    return pemFile;
  }

  /** A PKCS12 trust store holding the server certificate (made on first use, deleted on close). */
  public synchronized Path trustStoreFile() throws IOException {
    if (trustStoreFile == null) {
      Path f = Files.createTempFile("tds-lab-", ".p12");
      try {
        Files.write(f, config.certificate().trustStorePkcs12(TRUST_STORE_PASSWORD.toCharArray()));
      } catch (GeneralSecurityException e) {
        Files.deleteIfExists(f);
        throw new IOException("cannot write the trust store", e);
      }
      f.toFile().deleteOnExit();
      trustStoreFile = f;
    }
    return trustStoreFile;
  }

  public String trustStorePassword() {
    return TRUST_STORE_PASSWORD;
  }

  /** Connections accepted so far. */
  public long connectionsAccepted() {
    return accepted.get();
  }

  /** MARS (SMP) sessions the clients have opened so far, over all connections. */
  public long marsSessionsOpened() {
    return marsSessions.get();
  }

  /** Connections currently open. */
  public int activeConnections() {
    return sessions.size();
  }

  /** An mssql-jdbc URL with encrypt=false (trustServerCertificate=true) and loginTimeout=10. */
  public String jdbcUrl(String user, String password, String extraProperties) {
    return jdbcUrl(JdbcEncrypt.FALSE, user, password, extraProperties);
  }

  /**
   * An mssql-jdbc URL for this server. Per mode: FALSE {@code
   * encrypt=false;trustServerCertificate=true}; TRUE {@code
   * encrypt=true;trustServerCertificate=true}; TRUE_VALIDATED {@code encrypt=true;trustStore=<p12>;
   * trustStorePassword=..;trustStoreType=PKCS12;hostNameInCertificate=localhost}; STRICT {@code
   * encrypt=strict;serverCertificate=<pem>} (strict ignores trustServerCertificate). {@code extra}
   * is appended as is ("databaseName=demo;applicationName=x"); later properties override earlier
   * ones.
   */
  public String jdbcUrl(JdbcEncrypt encrypt, String user, String password, String extra) {
    StringBuilder sb =
        new StringBuilder("jdbc:sqlserver://").append(HOST).append(':').append(port()).append(';');
    if (user != null) {
      sb.append("user=").append(quote(user)).append(';');
    }
    if (password != null) {
      sb.append("password=").append(quote(password)).append(';');
    }
    sb.append("loginTimeout=10;");
    switch (encrypt) {
      case FALSE:
        sb.append("encrypt=false;trustServerCertificate=true;");
        break;
      case TRUE:
        sb.append("encrypt=true;trustServerCertificate=true;");
        break;
      case TRUE_VALIDATED:
        try {
          sb.append("encrypt=true;trustServerCertificate=false;trustStore=")
              .append(quote(trustStoreFile().toString()))
              .append(";trustStorePassword=")
              .append(TRUST_STORE_PASSWORD)
              .append(";trustStoreType=PKCS12;hostNameInCertificate=localhost;");
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        break;
      case STRICT:
        sb.append("encrypt=strict;serverCertificate=")
            .append(quote(pemFile.toString()))
            .append(';');
        break;
      default:
        throw new IllegalArgumentException(encrypt.toString());
    }
    if (extra != null && !extra.isEmpty()) {
      sb.append(extra);
      if (!extra.endsWith(";")) {
        sb.append(';');
      }
    }
    return sb.toString();
  }

  /** mssql-jdbc value quoting: braces around values with ; or braces, closing braces doubled. */
  static String quote(String v) {
    if (v.indexOf(';') < 0 && v.indexOf('{') < 0 && v.indexOf('}') < 0 && v.trim().equals(v)) {
      return v;
    }
    return "{" + v.replace("}", "}}") + "}";
  }

  /** Blocks until {@link #close()} has run. */
  public void awaitClose() throws InterruptedException {
    closed.await();
  }

  /**
   * Stops accepting (the port is free when this returns), drops every connection, deletes the
   * certificate files. Idempotent, returns promptly.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
    }
    try {
      if (serverSocket != null) {
        serverSocket.close();
      }
    } catch (IOException ignored) {
      // closing anyway
    }
    awaitAcceptor();
    for (Session s : sessions) {
      s.abort();
    }
    if (sessionThreads != null) {
      sessionThreads.shutdownNow();
      try {
        sessionThreads.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteQuietly(pemFile);
    deleteQuietly(trustStoreFile);
    for (AutoCloseable c : closeWith) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing " + c + " failed", e);
      }
    }
    closed.countDown();
  }

  /**
   * Waits for the accept thread to leave {@code accept()}. Until it does, the kernel still holds
   * the listening socket (the blocked call keeps a reference to it), so the port would still be
   * taken for a moment after {@code close()} returned; on a busy machine that moment is long enough
   * for a caller to see it.
   */
  private void awaitAcceptor() {
    Thread t = acceptor;
    if (t == null || t == Thread.currentThread()) {
      return;
    }
    try {
      t.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      LOG.warning("the accept thread of " + this + " did not stop within 10 s");
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // temp file; deleteOnExit is the fallback
      }
    }
  }

  @Override
  public String toString() {
    return "tds-lab on "
        + HOST
        + ":"
        + (serverSocket == null ? config.port() : port())
        + " (encryption="
        + config.encryption().cliName()
        + ", logins="
        + config.loginNames()
        + ", databases="
        + config.databases()
        + ")";
  }

  /**
   * Builds a {@link LabServer}. Every setting has a default; only logins must be added to log in.
   */
  public static final class Builder {
    private int port = 0;
    private final Map<String, String> passwords = new LinkedHashMap<>();
    private final List<String> loginNames = new ArrayList<>();
    private final List<String> databases = new ArrayList<>();
    private Encryption encryption = Encryption.OFF;
    private int major = 16;
    private int minor = 0;
    private int build = 1000;
    private String programName = "Microsoft SQL Server";
    private String serverName = "tds-lab";
    private String instanceName = "MSSQLSERVER";
    private String versionBanner;
    private Authenticator authenticator;
    private final QueryRouter customRoutes = new QueryRouter();
    private QueryHandler fallback;
    private final List<StepHook> hooks = new ArrayList<>();
    private final Map<Step, Duration> delays = new EnumMap<>(Step.class);
    private SelfSignedCertificate certificate;
    private int maxMessageBytes = 16 * 1024 * 1024;
    private boolean mars = true;
    private Duration marsWindowHold = Duration.ZERO;
    private Faults faults = Faults.NONE;
    private String ntlmDomain = "LAB";
    private String ntlmDnsDomain = "lab.local";
    private Path kerberosKeytab;
    private java.util.function.Consumer<byte[]> kerberosSessionKeys;
    private java.util.function.Consumer<byte[]> ntlmSecrets;
    private java.util.function.Consumer<byte[]> kerberosTokens;
    private final Map<String, String> accessTokens = new LinkedHashMap<>();
    private final List<AutoCloseable> closeWith = new ArrayList<>();

    private Builder() {}

    /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port);
      }
      this.port = port;
      return this;
    }

    /** Adds a SQL login (names compare case-insensitively, passwords exactly). */
    public Builder login(String name, String password) {
      if (name == null || name.isEmpty() || password == null) {
        throw new IllegalArgumentException("login needs a name and a password");
      }
      if (passwords.put(name.toLowerCase(Locale.ROOT), password) == null) {
        loginNames.add(name);
      }
      return this;
    }

    /** Adds databases; the first one ever added is the default database. Without any: "master". */
    public Builder database(String... names) {
      for (String n : names) {
        if (n == null || n.isEmpty() || n.length() > 128) {
          throw new IllegalArgumentException("database name '" + n + "'");
        }
        if (databases.stream().noneMatch(n::equalsIgnoreCase)) {
          databases.add(n);
        }
      }
      return this;
    }

    public Builder encryption(Encryption encryption) {
      this.encryption = java.util.Objects.requireNonNull(encryption);
      return this;
    }

    /** Version in PRELOGIN and LOGINACK (default 16.0.1000, SQL Server 2022 RTM). */
    public Builder serverVersion(int major, int minor, int build) {
      this.major = major;
      this.minor = minor;
      this.build = build;
      return this;
    }

    /** LOGINACK ProgName (default "Microsoft SQL Server"). */
    public Builder programName(String name) {
      this.programName = name;
      return this;
    }

    /** ServerName in ERROR/INFO tokens (default "tds-lab"). */
    public Builder serverName(String name) {
      this.serverName = name;
      return this;
    }

    public Builder versionBanner(String banner) {
      this.versionBanner = banner;
      return this;
    }

    /** Replaces the lab's authentication (SQL logins, NTLM, Kerberos, FEDAUTH) altogether. */
    public Builder authenticator(Authenticator authenticator) {
      this.authenticator = authenticator;
      return this;
    }

    /**
     * The NTLM domain the server claims in its CHALLENGE (NetBIOS, e.g. LAB, and DNS, e.g.
     * lab.local). Logins are accepted through NTLM under any domain name the client sends; this is
     * what the client is told.
     */
    public Builder ntlmDomain(String netbiosName, String dnsName) {
      if (netbiosName == null || netbiosName.isEmpty() || dnsName == null || dnsName.isEmpty()) {
        throw new IllegalArgumentException("NTLM domain needs a NetBIOS and a DNS name");
      }
      this.ntlmDomain = netbiosName;
      this.ntlmDnsDomain = dnsName;
      return this;
    }

    /** {@link #ntlmDomain(String, String)} with the DNS name NAME.local (lower case). */
    public Builder ntlmDomain(String netbiosName) {
      return ntlmDomain(netbiosName, netbiosName.toLowerCase(Locale.ROOT) + ".local");
    }

    /**
     * Accepts Kerberos (raw krb5 and SPNEGO) for every service principal in this keytab, e.g. one
     * written by {@code io.tdsagent.lab.kerberos.KerberosLab#serviceKeytab(int)}.
     */
    /** Receives each Kerberos session key the acceptor establishes (canary tests only). */
    public Builder kerberosSessionKeys(java.util.function.Consumer<byte[]> observer) {
      this.kerberosSessionKeys = observer;
      return this;
    }

    /** Receives each Kerberos token in and out, raw (canary tests only). */
    public Builder kerberosTokens(java.util.function.Consumer<byte[]> observer) {
      this.kerberosTokens = observer;
      return this;
    }

    /** Receives what each NTLM AUTHENTICATE proves the password with (canary tests only). */
    public Builder ntlmSecrets(java.util.function.Consumer<byte[]> observer) {
      this.ntlmSecrets = observer;
      return this;
    }

    public Builder kerberosKeytab(Path keytab) {
      this.kerberosKeytab = java.util.Objects.requireNonNull(keytab);
      return this;
    }

    /**
     * Accepts FEDAUTH (SECURITYTOKEN, mssql-jdbc's accessToken) with this token, for principal
     * "token-user".
     */
    public Builder accessToken(String token) {
      return accessToken(token, "token-user");
    }

    /**
     * Accepts FEDAUTH (SECURITYTOKEN) with this token; the session's login is {@code principal}.
     */
    public Builder accessToken(String token, String principal) {
      if (token == null || token.isEmpty() || principal == null || principal.isEmpty()) {
        throw new IllegalArgumentException("access token needs a token and a principal");
      }
      accessTokens.put(token, principal);
      return this;
    }

    /** Closes {@code resource} when the server closes (e.g. a KerberosLab started for it). */
    public Builder closeWith(AutoCloseable resource) {
      closeWith.add(java.util.Objects.requireNonNull(resource));
      return this;
    }

    /**
     * Answers an exact statement (whitespace/case/trailing-semicolon insensitive); wins over
     * built-ins.
     */
    public Builder query(String statement, QueryHandler handler) {
      customRoutes.exact(statement, handler);
      return this;
    }

    /** Answers statements matching a regular expression; wins over built-ins. */
    public Builder queryPattern(String regex, QueryHandler handler) {
      customRoutes.matching(regex, handler);
      return this;
    }

    /**
     * Adds a stored procedure (RPC by name, {@code EXEC} in batches and in sp_executesql,
     * CallableStatement); wins over built-ins. {@code parameters}: declared names in order, e.g.
     * {@code List.of("@a", "@b")}.
     */
    public Builder procedure(
        String name, List<String> parameters, io.tdsagent.lab.sql.Procedure body) {
      customRoutes.procedure(name, parameters, body);
      return this;
    }

    /** Answers statements nothing else matched (default: SQL Server-like error 2812 or 102). */
    public Builder unknownQuery(QueryHandler handler) {
      this.fallback = handler;
      return this;
    }

    /** Runs before every step of every connection (delays, failures on demand). */
    public Builder hook(StepHook hook) {
      hooks.add(java.util.Objects.requireNonNull(hook));
      return this;
    }

    /** Closes (FIN) or resets (RST) every connection just before {@code step}. */
    public Builder endBefore(Step step, Faults.End end) {
      faults = faults.endBefore(step, end);
      return this;
    }

    /**
     * Answers every TLS handshake with this fatal alert (e.g. 40 handshake_failure, 70
     * protocol_version).
     */
    public Builder tlsAlert(int description) {
      faults = faults.tlsAlert(description);
      return this;
    }

    /**
     * Answers every good login with a routing ENVCHANGE to {@code host:port} (as an Azure SQL
     * gateway does).
     */
    public Builder route(String host, int port) {
      faults = faults.route(host, port);
      return this;
    }

    /** Refuses every login with good credentials with this error (e.g. 18456 state 18, 18487). */
    public Builder loginError(int number, int state) {
      faults = faults.loginError(number, state);
      return this;
    }

    /**
     * Sends results to TDS 7.0/7.1 clients (jTDS) in the TDS 7.2+ encodings, PLP (max) values
     * included, which a real server never does (see {@link Faults#plpToOldClients()}).
     */
    public Builder plpToOldClients(boolean on) {
      faults = faults.plpToOldClients(on);
      return this;
    }

    /** Sleeps before a step of every connection. */
    public Builder delay(Step step, Duration delay) {
      delays.put(step, delay);
      return this;
    }

    /**
     * MARS (default on): when a client's PRELOGIN asks for MARS (FreeTDS with {@code
     * MARS_Connection=Yes}; never mssql-jdbc or jTDS), the server answers MARS=1 and, after
     * LOGINACK, speaks SMP (MC-SMP): one TDS session per SID, each on a thread of its own, so
     * requests on different sessions interleave. Off: the PRELOGIN answer says MARS=0 and the
     * client stays on plain TDS.
     */
    public Builder mars(boolean mars) {
      this.mars = mars;
      return this;
    }

    /**
     * Holds back each SMP ACK that would reopen a client's send window by this long, so a client
     * sending a request of more than 4 packets stalls on its window for about that time (a window
     * stall on demand).
     */
    public Builder marsWindowHold(Duration hold) {
      if (hold == null || hold.isNegative()) {
        throw new IllegalArgumentException("window hold " + hold);
      }
      this.marsWindowHold = hold;
      return this;
    }

    public Builder certificate(SelfSignedCertificate certificate) {
      this.certificate = certificate;
      return this;
    }

    public LabServer build() {
      List<String> dbs = databases.isEmpty() ? List.of("master") : databases;
      Authenticator auth = authenticator;
      if (auth == null) {
        Map<String, String> pw = Map.copyOf(passwords);
        auth =
            new LabAuthenticator(
                new SqlLoginAuthenticator(pw, List.copyOf(dbs), dbs.get(0)),
                new NtlmAcceptor(pw, ntlmDomain, ntlmDnsDomain, serverName, ntlmSecrets),
                kerberosKeytab == null
                    ? null
                    : new KerberosAcceptor(kerberosKeytab, kerberosSessionKeys, kerberosTokens),
                accessTokens.isEmpty() ? null : new FedAuthAcceptor(accessTokens),
                dbs,
                dbs.get(0));
      }
      QueryRouter router = new QueryRouter().addAll(customRoutes).addDefaults();
      if (fallback != null) {
        router.fallback(fallback);
      }
      String banner = versionBanner != null ? versionBanner : defaultBanner(major, minor, build);
      return new LabServer(
          new LabConfig(
              port,
              dbs,
              loginNames,
              encryption,
              major,
              minor,
              build,
              programName,
              serverName,
              instanceName,
              banner,
              auth,
              router,
              combinedHook(),
              certificate != null ? certificate : SelfSignedCertificate.shared(),
              maxMessageBytes,
              mars,
              marsWindowHold,
              faults),
          List.copyOf(closeWith));
    }

    private StepHook combinedHook() {
      if (hooks.isEmpty() && delays.isEmpty()) {
        return null;
      }
      List<StepHook> hs = List.copyOf(hooks);
      Map<Step, Duration> ds = new EnumMap<>(delays);
      return (step, spid) -> {
        Duration d = ds.get(step);
        if (d != null && !d.isZero()) {
          try {
            Thread.sleep(d.toMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted during a delay");
          }
        }
        for (StepHook h : hs) {
          h.before(step, spid);
        }
      };
    }

    static String defaultBanner(int major, int minor, int build) {
      return "Microsoft SQL Server (tds-lab) - "
          + major
          + "."
          + minor
          + "."
          + build
          + ".0 (X64)\n"
          + "\ttds-agent lab TDS server on Java "
          + System.getProperty("java.version")
          + "\n"
          + "\tNot a SQL Server: answers PRELOGIN, TLS, LOGIN7 and a few batches.";
    }
  }
}
