package io.tdsagent.lab.cli;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.Faults;
import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.Step;
import io.tdsagent.lab.kerberos.KerberosLab;
import io.tdsagent.lab.transport.SilentListener;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Standalone lab server: {@code java -jar tds-lab-server.jar --port 1433 --login sa:Secret-1}. Runs
 * until killed (or until the thread running {@link #main} is interrupted).
 */
public final class Main {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: java -jar tds-lab-server.jar [options]",
          "  A TDS (SQL Server protocol) lab server on 127.0.0.1 for tds-agent.",
          "",
          "  --port N                 TCP port on 127.0.0.1 (default 1433; 0 picks a free port)",
          "  --login NAME:PASSWORD    a SQL login (repeatable; at least one)",
          "  --database NAME          a database (repeatable; the first is the default; default master)",
          "  --encryption MODE        off | on | required | not-supported (default off)",
          "  --ntlm-domain NAME[,DNS] the domain NTLM CHALLENGEs name (default LAB,lab.local); logins are",
          "                           accepted through NTLM under any domain the client sends",
          "  --access-token TOKEN[:PRINCIPAL]  accept FEDAUTH (mssql-jdbc accessToken) with TOKEN (repeatable)",
          "  --kerberos-keytab FILE   accept Kerberos (krb5/SPNEGO) for the service principals in FILE",
          "  --kdc USER:PASSWORD      also start a Kerberos KDC (realm LAB.LOCAL) with this user and service keys",
          "                           for the port; prints the client's krb5.conf, JAAS file and URL properties",
          "  --delay STEP=DURATION    sleep before a step of every connection (repeatable); STEP is one of",
          "                           prelogin, tls-handshake, login, login-response, sspi-challenge,",
          "                           sspi-authenticate, kerberos, fedauth, sql-batch; DURATION like 800ms,",
          "                           2s, PT1.5S",
          "  --close STEP             close every connection (FIN) just before STEP (repeatable)",
          "  --reset STEP             reset every connection (RST, SO_LINGER 0) just before STEP (repeatable)",
          "  --tls-alert NAME         answer every TLS handshake with this fatal alert: handshake_failure,",
          "                           protocol_version, insufficient_security, internal_error, ... or a number",
          "  --route HOST:PORT        answer every good login with a routing ENVCHANGE (type 20) to HOST:PORT,",
          "                           as an Azure SQL gateway does; mssql-jdbc then logs in there",
          "  --login-error N[:STATE]  refuse every good login with error N (e.g. 18456:18 password expired,",
          "                           18456:8 wrong password, 18487, 4060)",
          "  --silent-listener PORT   also listen on PORT (0: a free one) without ever accepting, its queue",
          "                           full: a connect there gets no SYN-ACK and times out (prints the port)",
          "  --mars on|off            agree to MARS (SMP sessions) when a client asks (default on)",
          "  --plp-to-old-clients     a fault: send TDS 7.0/7.1 clients (jTDS) (max)/xml values as PLP, NBCROW and",
          "                           date/time types, which only TDS 7.2+ has (default: text/ntext/image,",
          "                           ROW and nvarchar dates, as a real server does)",
          "  --help                   this text",
          "",
          "  Connect with mssql-jdbc, e.g.:",
          "    jdbc:sqlserver://127.0.0.1:N;user=NAME;password=PASSWORD;encrypt=true;trustServerCertificate=true",
          "    jdbc:sqlserver://127.0.0.1:N;user=NAME;password=PASSWORD;encrypt=strict;serverCertificate=<pem>",
          "    jdbc:sqlserver://127.0.0.1:N;integratedSecurity=true;authenticationScheme=NTLM;domain=LAB;"
              + "user=NAME;password=PASSWORD;encrypt=false",
          "    jdbc:sqlserver://127.0.0.1:N;accessToken=TOKEN;encrypt=false",
          "    jdbc:jtds:sqlserver://127.0.0.1:N/master;domain=LAB;useNTLMv2=true;user=NAME;password=PASSWORD",
          "  The certificate PEM path is printed at start-up.");

  /** Bad command line. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  private Main() {}

  public static void main(String[] args) {
    LabServer server;
    try {
      server = launch(args, System.out);
    } catch (UsageException e) {
      System.err.println("tds-lab: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    } catch (IOException e) {
      System.err.println("tds-lab: cannot start: " + e);
      System.exit(1);
      return;
    }
    if (server == null) {
      return; // --help
    }
    Thread hook = new Thread(server::close, "tds-lab-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      server.awaitClose();
    } catch (InterruptedException e) {
      server.close();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException ignored) {
      // shutting down already
    }
  }

  /**
   * Parses the arguments and starts the server; prints one line saying where it listens. Null for
   * --help.
   */
  public static LabServer launch(String[] args, PrintStream out)
      throws UsageException, IOException {
    LabServer.Builder b = LabServer.builder().port(1433);
    int logins = 0;
    int port = 1433;
    String kdcUser = null;
    int silentPort = -1;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        value = a.substring(eq + 1);
        a = a.substring(0, eq);
      }
      switch (a) {
        case "--help":
        case "-h":
          out.println(USAGE);
          return null;
        case "--port":
          {
            String v = value != null ? value : next(args, ++i, a);
            try {
              port = Integer.parseInt(v);
              b.port(port);
            } catch (IllegalArgumentException e) {
              throw new UsageException("bad --port '" + v + "'");
            }
            break;
          }
        case "--login":
          {
            String v = value != null ? value : next(args, ++i, a);
            int colon = v.indexOf(':');
            if (colon <= 0) {
              throw new UsageException("--login wants NAME:PASSWORD");
            }
            b.login(v.substring(0, colon), v.substring(colon + 1));
            logins++;
            break;
          }
        case "--database":
          {
            String v = value != null ? value : next(args, ++i, a);
            try {
              b.database(v);
            } catch (IllegalArgumentException e) {
              throw new UsageException(e.getMessage());
            }
            break;
          }
        case "--encryption":
          {
            String v = value != null ? value : next(args, ++i, a);
            try {
              b.encryption(Encryption.parse(v));
            } catch (IllegalArgumentException e) {
              throw new UsageException(e.getMessage());
            }
            break;
          }
        case "--plp-to-old-clients":
          b.plpToOldClients(true);
          break;
        case "--mars":
          {
            String v = value != null ? value : next(args, ++i, a);
            if (!v.equals("on") && !v.equals("off")) {
              throw new UsageException("--mars wants on or off, not '" + v + "'");
            }
            b.mars(v.equals("on"));
            break;
          }
        case "--ntlm-domain":
          {
            String v = value != null ? value : next(args, ++i, a);
            String[] parts = v.split(",", 2);
            try {
              b.ntlmDomain(
                  parts[0],
                  parts.length > 1 ? parts[1] : parts[0].toLowerCase(Locale.ROOT) + ".local");
            } catch (IllegalArgumentException e) {
              throw new UsageException(e.getMessage());
            }
            break;
          }
        case "--access-token":
          {
            String v = value != null ? value : next(args, ++i, a);
            int colon = v.lastIndexOf(':');
            try {
              if (colon > 0 && colon < v.length() - 1) {
                b.accessToken(v.substring(0, colon), v.substring(colon + 1));
              } else {
                b.accessToken(v);
              }
            } catch (IllegalArgumentException e) {
              throw new UsageException(e.getMessage());
            }
            break;
          }
        case "--kerberos-keytab":
          {
            Path f = Paths.get(value != null ? value : next(args, ++i, a));
            if (!Files.isReadable(f)) {
              throw new UsageException("cannot read keytab " + f);
            }
            b.kerberosKeytab(f);
            break;
          }
        case "--kdc":
          {
            kdcUser = value != null ? value : next(args, ++i, a);
            if (kdcUser.indexOf(':') <= 0) {
              throw new UsageException("--kdc wants USER:PASSWORD");
            }
            break;
          }
        case "--delay":
          {
            String v = value != null ? value : next(args, ++i, a);
            int eqd = v.indexOf('=');
            if (eqd <= 0) {
              throw new UsageException("--delay wants STEP=DURATION");
            }
            b.delay(parseStep(v.substring(0, eqd)), parseDuration(v.substring(eqd + 1)));
            break;
          }
        case "--close":
        case "--reset":
          {
            String v = value != null ? value : next(args, ++i, a);
            b.endBefore(parseStep(v), a.equals("--close") ? Faults.End.CLOSE : Faults.End.RESET);
            break;
          }
        case "--tls-alert":
          {
            String v = value != null ? value : next(args, ++i, a);
            try {
              b.tlsAlert(Faults.parseTlsAlert(v));
            } catch (IllegalArgumentException e) {
              throw new UsageException(e.getMessage());
            }
            break;
          }
        case "--route":
          {
            String v = value != null ? value : next(args, ++i, a);
            int colon = v.lastIndexOf(':');
            try {
              b.route(v.substring(0, Math.max(colon, 0)), Integer.parseInt(v.substring(colon + 1)));
            } catch (RuntimeException e) {
              throw new UsageException("--route wants HOST:PORT, not '" + v + "'");
            }
            break;
          }
        case "--login-error":
          {
            String v = value != null ? value : next(args, ++i, a);
            String[] parts = v.split(":", 2);
            try {
              b.loginError(
                  Integer.parseInt(parts[0].trim()),
                  parts.length > 1 ? Integer.parseInt(parts[1].trim()) : 1);
            } catch (RuntimeException e) {
              throw new UsageException("--login-error wants NUMBER[:STATE], not '" + v + "'");
            }
            break;
          }
        case "--silent-listener":
          {
            String v = value != null ? value : next(args, ++i, a);
            try {
              silentPort = Integer.parseInt(v);
            } catch (NumberFormatException e) {
              throw new UsageException("bad --silent-listener port '" + v + "'");
            }
            break;
          }
        default:
          throw new UsageException("unknown option '" + args[i] + "'");
      }
    }
    if (logins == 0) {
      throw new UsageException("at least one --login NAME:PASSWORD is needed");
    }
    KerberosLab kdc = null;
    if (kdcUser != null) {
      if (port == 0) {
        port = KerberosLab.freePort();
        b.port(port);
      }
      int colon = kdcUser.indexOf(':');
      kdc =
          KerberosLab.start(
              KerberosLab.DEFAULT_REALM,
              kdcUser.substring(0, colon),
              kdcUser.substring(colon + 1),
              false);
      b.kerberosKeytab(kdc.serviceKeytab(port)).closeWith(kdc);
    }
    SilentListener silent = null;
    if (silentPort >= 0) {
      silent = SilentListener.start(silentPort);
      b.closeWith(silent);
    }
    LabServer server;
    try {
      server = b.build().start();
    } catch (IOException | RuntimeException e) {
      if (kdc != null) {
        kdc.close();
      }
      if (silent != null) {
        silent.close();
      }
      throw e;
    }
    out.println(
        "tds-lab listening on "
            + server.host()
            + ":"
            + server.port()
            + " (encryption="
            + server.config().encryption().cliName()
            + ", logins="
            + server.config().loginNames()
            + ", databases="
            + server.config().databases()
            + ", certificate "
            + server.certificatePemFile()
            + ")");
    if (silent != null) {
      out.println("silent listener (no SYN-ACK) on 127.0.0.1:" + silent.port());
    }
    if (kdc != null) {
      out.println(
          "kerberos: KDC "
              + kdc.realm()
              + " on 127.0.0.1:"
              + kdc.kdcPort()
              + " (TCP); client JVM: "
              + "-Djava.security.krb5.conf="
              + kdc.krb5Conf()
              + " -Djava.security.auth.login.config="
              + kdc.jaasConf()
              + "; URL: jdbc:sqlserver://127.0.0.1:"
              + server.port()
              + ";encrypt=false;integratedSecurity=true;authenticationScheme=JavaKerberos;user="
              + kdc.user()
              + ";password=<password>;realm="
              + kdc.realm());
    }
    out.flush();
    return server;
  }

  /** "sspi-challenge" or "SSPI_CHALLENGE" → {@link Step#SSPI_CHALLENGE}. */
  static Step parseStep(String name) throws UsageException {
    try {
      return Step.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new UsageException("unknown step '" + name + "'");
    }
  }

  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

  /** "800ms", "2s", "1.5s", "1m" or ISO-8601 ("PT0.8S"). */
  static Duration parseDuration(String text) throws UsageException {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE_DURATION.matcher(t);
    try {
      if (m.matches()) {
        double n = Double.parseDouble(m.group(1));
        double millis =
            m.group(2).equals("ms") ? n : m.group(2).equals("s") ? n * 1000 : n * 60_000;
        return Duration.ofMillis(Math.round(millis));
      }
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new UsageException("bad duration '" + text + "' (e.g. 800ms, 2s, PT1S)");
    }
  }

  private static String next(String[] args, int i, String option) throws UsageException {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }
}
