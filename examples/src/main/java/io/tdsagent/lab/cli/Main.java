package io.tdsagent.lab.cli;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.LabServer;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Standalone lab server: {@code java -jar tds-lab-server.jar --port 1433 --login sa:Secret-1}. Runs until killed
 * (or until the thread running {@link #main} is interrupted).
 */
public final class Main {
    static final String USAGE = String.join("\n",
            "Usage: java -jar tds-lab-server.jar [options]",
            "  A TDS (SQL Server protocol) lab server on 127.0.0.1 for tds-agent.",
            "",
            "  --port N                 TCP port on 127.0.0.1 (default 1433; 0 picks a free port)",
            "  --login NAME:PASSWORD    a SQL login (repeatable; at least one)",
            "  --database NAME          a database (repeatable; the first is the default; default master)",
            "  --encryption MODE        off | on | required | not-supported (default off)",
            "  --mars on|off            agree to MARS (SMP sessions) when a client asks (default on)",
            "  --help                   this text",
            "",
            "  Connect with mssql-jdbc, e.g.:",
            "    jdbc:sqlserver://127.0.0.1:N;user=NAME;password=PASSWORD;encrypt=true;trustServerCertificate=true",
            "    jdbc:sqlserver://127.0.0.1:N;user=NAME;password=PASSWORD;encrypt=strict;serverCertificate=<pem>",
            "  The certificate PEM path is printed at start-up.");

    /** Bad command line. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private Main() {
    }

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

    /** Parses the arguments and starts the server; prints one line saying where it listens. Null for --help. */
    public static LabServer launch(String[] args, PrintStream out) throws UsageException, IOException {
        LabServer.Builder b = LabServer.builder().port(1433);
        int logins = 0;
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
                case "--port": {
                    String v = value != null ? value : next(args, ++i, a);
                    try {
                        b.port(Integer.parseInt(v));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("bad --port '" + v + "'");
                    }
                    break;
                }
                case "--login": {
                    String v = value != null ? value : next(args, ++i, a);
                    int colon = v.indexOf(':');
                    if (colon <= 0) {
                        throw new UsageException("--login wants NAME:PASSWORD");
                    }
                    b.login(v.substring(0, colon), v.substring(colon + 1));
                    logins++;
                    break;
                }
                case "--database": {
                    String v = value != null ? value : next(args, ++i, a);
                    try {
                        b.database(v);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                    break;
                }
                case "--encryption": {
                    String v = value != null ? value : next(args, ++i, a);
                    try {
                        b.encryption(Encryption.parse(v));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(e.getMessage());
                    }
                    break;
                }
                case "--mars": {
                    String v = value != null ? value : next(args, ++i, a);
                    if (!v.equals("on") && !v.equals("off")) {
                        throw new UsageException("--mars wants on or off, not '" + v + "'");
                    }
                    b.mars(v.equals("on"));
                    break;
                }
                default:
                    throw new UsageException("unknown option '" + args[i] + "'");
            }
        }
        if (logins == 0) {
            throw new UsageException("at least one --login NAME:PASSWORD is needed");
        }
        LabServer server = b.build().start();
        out.println("tds-lab listening on " + server.host() + ":" + server.port() + " (encryption="
                + server.config().encryption().cliName() + ", logins=" + server.config().loginNames()
                + ", databases=" + server.config().databases() + ", certificate " + server.certificatePemFile() + ")");
        out.flush();
        return server;
    }

    private static String next(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }
}
