package io.tdsagent.lab.kerberos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.server.KdcConfigKey;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;

/**
 * A Kerberos realm on loopback for the lab server: an Apache Kerby KDC (TCP only) with one user,
 * service keys for lab server ports, a krb5.conf and keytabs in a temp directory.
 *
 * <pre>{@code
 * try (KerberosLab kdc = KerberosLab.start();
 *      LabServer server = LabServer.builder().port(0).login("sa", "x").build().start()) {
 *     // the keytab must exist before the server accepts: make the server, then its service keys
 *     ...
 * }
 * // or, the usual order: pick the port first
 * int port = KerberosLab.freePort();
 * KerberosLab kdc = KerberosLab.start();
 * LabServer server = LabServer.builder().port(port).kerberosKeytab(kdc.serviceKeytab(port)).build().start();
 * // client JVM: -Djava.security.krb5.conf=kdc.krb5Conf(), URL kdc.jdbcUrl(port)
 * }</pre>
 *
 * <p>Client side (mssql-jdbc {@code authenticationScheme=JavaKerberos}): the JVM needs {@link
 * #clientSystemProperties()}: {@code java.security.krb5.conf} and {@code
 * java.security.auth.login.config} (mssql-jdbc 13 no longer falls back to a built-in JAAS entry:
 * {@code useDefaultJaasConfig} is false by default); the URL carries {@code
 * integratedSecurity=true;authenticationScheme=JavaKerberos;user=alice;password=..;
 * realm=LAB.LOCAL}: the driver's callback hands user and password to Krb5LoginModule; no ticket
 * cache. With {@code realm} set the driver canonicalises the host: 127.0.0.1 becomes {@code
 * localhost} (reverse lookup), so it asks for {@code MSSQLSvc/localhost:PORT@LAB.LOCAL}. Keys exist
 * for {@code MSSQLSvc/localhost:PORT}, {@code MSSQLSvc/127.0.0.1:PORT} and the canonical name of
 * 127.0.0.1.
 *
 * <p>Failures on demand: an unknown SPN is a server on a port whose service keys were never made
 * (the client's TGS-REQ gets KDC_ERR_S_PRINCIPAL_UNKNOWN, "Server not found in Kerberos database");
 * a wrong password gets "Pre-authentication information was invalid"; {@link #clockSkewAtKdc()}
 * makes the KDC reject every pre-authentication timestamp as outside its allowed clock skew.
 */
public final class KerberosLab implements AutoCloseable {
  public static final String DEFAULT_REALM = "LAB.LOCAL";
  public static final String DEFAULT_USER = "alice";
  public static final String DEFAULT_PASSWORD = "Kerberos-Pw-1";

  private final String realm;
  private final String user;
  private final String password;
  private final Path dir;
  private final SimpleKdcServer kdc;
  private final int kdcPort;
  private final Path krb5Conf;
  private final Path jaasConf;
  private final Map<Integer, Path> keytabs = new LinkedHashMap<>();

  private KerberosLab(
      String realm,
      String user,
      String password,
      Path dir,
      SimpleKdcServer kdc,
      int kdcPort,
      Path krb5Conf,
      Path jaasConf) {
    this.realm = realm;
    this.user = user;
    this.password = password;
    this.dir = dir;
    this.kdc = kdc;
    this.kdcPort = kdcPort;
    this.krb5Conf = krb5Conf;
    this.jaasConf = jaasConf;
  }

  /** Realm LAB.LOCAL, user alice / Kerberos-Pw-1. */
  public static KerberosLab start() throws IOException {
    return start(DEFAULT_REALM, DEFAULT_USER, DEFAULT_PASSWORD, false);
  }

  /**
   * Starts a KDC on a free loopback TCP port. {@code skewedKdc}: the KDC allows no clock skew at
   * all, so every AS-REQ pre-authentication timestamp is refused (the client cannot log in).
   */
  public static KerberosLab start(String realm, String user, String password, boolean skewedKdc)
      throws IOException {
    Path dir = Files.createTempDirectory("tds-kerberos-lab-");
    int port = freePort();
    try {
      SimpleKdcServer kdc = new SimpleKdcServer();
      kdc.setWorkDir(dir.toFile());
      kdc.setKdcHost("127.0.0.1");
      kdc.setKdcRealm(realm);
      kdc.setAllowUdp(false);
      kdc.setAllowTcp(true);
      kdc.setKdcTcpPort(port);
      if (skewedKdc) {
        kdc.getKdcConfig().setLong(KdcConfigKey.ALLOWABLE_CLOCKSKEW, -1L);
      }
      kdc.init();
      kdc.start();
      kdc.createPrincipal(user + "@" + realm, password);
      Path conf = dir.resolve("krb5.conf");
      Files.writeString(conf, krb5Conf(realm, port), StandardCharsets.UTF_8);
      Path jaas = dir.resolve("jaas.conf");
      Files.writeString(jaas, JAAS_ENTRY, StandardCharsets.UTF_8);
      return new KerberosLab(realm, user, password, dir, kdc, port, conf, jaas);
    } catch (KrbException e) {
      deleteTree(dir);
      throw new IOException("cannot start the Kerby KDC: " + e.getMessage(), e);
    }
  }

  /**
   * A KDC that refuses every pre-authentication timestamp as skewed (see {@link #start(String,
   * String, String, boolean)}).
   */
  public static KerberosLab clockSkewAtKdc() throws IOException {
    return start(DEFAULT_REALM, DEFAULT_USER, DEFAULT_PASSWORD, true);
  }

  /**
   * mssql-jdbc's JAAS entry: Krb5LoginModule, no ticket cache, name and password from the driver's
   * callback (its {@code user} and {@code password} properties).
   */
  static final String JAAS_ENTRY =
      "SQLJDBCDriver {\n"
          + "  com.sun.security.auth.module.Krb5LoginModule required useTicketCache=false doNotPrompt=false;\n"
          + "};\n";

  static String krb5Conf(String realm, int port) {
    String lower = realm.toLowerCase(Locale.ROOT);
    return String.join(
        "\n",
        "[libdefaults]",
        "  default_realm = " + realm,
        "  dns_lookup_realm = false",
        "  dns_lookup_kdc = false",
        "  dns_canonicalize_hostname = false",
        "  rdns = false",
        "  udp_preference_limit = 1",
        "  kdc_timeout = 5000",
        "  max_retries = 1",
        // Kerby does not set FORWARDED on forwarded TGTs; the JDK then rejects the reply ("Message
        // stream
        // modified (41)"). mssql-jdbc asks for delegation; a non-forwardable TGT makes the JDK skip
        // it.
        "  forwardable = false",
        "",
        "[realms]",
        "  " + realm + " = {",
        "    kdc = 127.0.0.1:" + port,
        "  }",
        "",
        "[domain_realm]",
        "  localhost = " + realm,
        "  127.0.0.1 = " + realm,
        "  ." + lower + " = " + realm,
        "  " + lower + " = " + realm,
        "");
  }

  /**
   * A free TCP port on loopback (for a lab server whose service keys must exist before it starts).
   */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  /**
   * Creates the service principals for a lab server on {@code port} (MSSQLSvc/localhost:PORT,
   * MSSQLSvc/127.0.0.1:PORT, and MSSQLSvc/CANONICAL:PORT for the canonical name of 127.0.0.1), with
   * random keys, and writes them to a keytab for {@code LabServer.Builder#kerberosKeytab}.
   * Idempotent per port.
   */
  public synchronized Path serviceKeytab(int port) throws IOException {
    Path existing = keytabs.get(port);
    if (existing != null) {
      return existing;
    }
    Path keytab = dir.resolve("mssqlsvc-" + port + ".keytab");
    List<String> spns = List.copyOf(servicePrincipals(port));
    try {
      kdc.createAndExportPrincipals(keytab.toFile(), spns.toArray(new String[0]));
    } catch (KrbException e) {
      throw new IOException("cannot make service keys for port " + port + ": " + e.getMessage(), e);
    }
    keytabs.put(port, keytab);
    return keytab;
  }

  /** The service principal names (with realm) made for {@code port}. */
  public Set<String> servicePrincipals(int port) {
    Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1"));
    try {
      hosts.add(InetAddress.getByName("127.0.0.1").getCanonicalHostName().toLowerCase(Locale.ROOT));
    } catch (IOException e) {
      // no reverse lookup: the two names above
    }
    Set<String> spns = new LinkedHashSet<>();
    for (String h : hosts) {
      spns.add("MSSQLSvc/" + h + ":" + port + "@" + realm);
    }
    return spns;
  }

  /**
   * JVM system properties a Kerberos client needs: {@code java.security.krb5.conf} (this realm's
   * KDC) and {@code java.security.auth.login.config} (a JAAS file with the {@code SQLJDBCDriver}
   * entry mssql-jdbc looks up: Krb5LoginModule, no ticket cache, user and password from the URL).
   */
  public Map<String, String> clientSystemProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("java.security.krb5.conf", krb5Conf.toString());
    p.put("java.security.auth.login.config", jaasConf.toString());
    return p;
  }

  /** The mssql-jdbc properties for JavaKerberos with this realm's user (append to a URL). */
  public String jdbcProperties() {
    return "integratedSecurity=true;authenticationScheme=JavaKerberos;user="
        + user
        + ";password="
        + password
        + ";realm="
        + realm;
  }

  /**
   * A complete mssql-jdbc URL for a lab server on 127.0.0.1:{@code port} (encrypt=false,
   * loginTimeout=10).
   */
  public String jdbcUrl(int port) {
    return "jdbc:sqlserver://127.0.0.1:"
        + port
        + ";encrypt=false;trustServerCertificate=true;loginTimeout=10;"
        + jdbcProperties()
        + ";";
  }

  public String realm() {
    return realm;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** The user's principal name, e.g. alice@LAB.LOCAL (the lab server's login name for her). */
  public String userPrincipal() {
    return user + "@" + realm;
  }

  public int kdcPort() {
    return kdcPort;
  }

  public Path krb5Conf() {
    return krb5Conf;
  }

  public Path jaasConf() {
    return jaasConf;
  }

  public Path directory() {
    return dir;
  }

  /** Stops the KDC and deletes the directory (krb5.conf, keytabs). */
  @Override
  public void close() {
    try {
      kdc.stop();
    } catch (KrbException e) {
      // stopping anyway
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
