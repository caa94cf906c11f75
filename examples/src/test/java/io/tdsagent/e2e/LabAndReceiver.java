package io.tdsagent.e2e;

import io.tdsagent.lab.Encryption;
import io.tdsagent.lab.JdbcEncrypt;
import io.tdsagent.lab.LabServer;
import io.tdsagent.lab.kerberos.KerberosLab;
import io.tdsagent.otlp.OtlpReceiver;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The usual end-to-end set-up, as a JUnit extension: an OTLP receiver started once per class and
 * emptied before each test, and lab servers with one SQL login (databases master and demo).
 *
 * <p>Given an encryption, one lab server runs for the whole class ({@link #server()}). {@link #lab}
 * starts others as a test needs them: one started while a test runs is stopped after that test, one
 * started before (in a {@code @BeforeAll}) after the class.
 */
final class LabAndReceiver
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final String user;
  private final String password;
  private final Encryption encryption;
  private final List<AutoCloseable> forClass = new ArrayList<>();
  private final List<AutoCloseable> forTest = new ArrayList<>();
  private boolean inTest;
  private LabServer server;
  private OtlpReceiver receiver;

  LabAndReceiver(String user, String password, Encryption encryption) {
    this.user = user;
    this.password = password;
    this.encryption = encryption;
  }

  /** The receiver only: each lab server comes from {@link #lab}. */
  LabAndReceiver(String user, String password) {
    this(user, password, null);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    receiver = OtlpReceiver.start(0);
    if (encryption != null) {
      server = lab(LabServer.builder().encryption(encryption));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      closeAll(forClass);
    } finally {
      receiver.close();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    receiver.clear();
    inTest = true;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    inTest = false;
    closeAll(forTest);
  }

  /** A lab server from {@code b} with this fixture's login and databases, on a free port. */
  LabServer lab(LabServer.Builder b) throws Exception {
    return stopLater(b.port(0).login(user, password).database("master", "demo").build().start());
  }

  /**
   * A lab server from {@code b} for Kerberos logins to {@code kdc}: on a free port, with the keytab
   * of its service principal there, databases master and demo, no SQL login.
   */
  LabServer kerberosLab(KerberosLab kdc, LabServer.Builder b) throws Exception {
    int port = KerberosLab.freePort();
    return stopLater(
        b.port(port)
            .database("master", "demo")
            .kerberosKeytab(kdc.serviceKeytab(port))
            .build()
            .start());
  }

  /** Closes {@code c} after the running test, or after the class when no test runs. */
  <T extends AutoCloseable> T stopLater(T c) {
    (inTest ? forTest : forClass).add(c);
    return c;
  }

  /** A forked application with the agent, exporting to this receiver. */
  AgentProcess app() {
    return AgentProcess.exportingTo(receiver.endpoint());
  }

  /**
   * jTDS's URL for a server at {@code port} (a lab server, or something in front of one) with this
   * fixture's login and {@code database}, then {@code properties} (each ";name=value").
   */
  String jtdsUrl(int port, String database, String properties) {
    return "jdbc:jtds:sqlserver://127.0.0.1:"
        + port
        + "/"
        + database
        + ";user="
        + user
        + ";password="
        + password
        + properties;
  }

  /**
   * The class-wide server's URL for {@code driver} (jTDS, else mssql-jdbc without encryption) with
   * this fixture's login, database demo and application name {@code app}.
   */
  String url(String driver, String app) {
    return driver.equals("jTDS")
        ? jtdsUrl(server().port(), "demo", ";appName=" + app + ";loginTimeout=10")
        : server()
            .jdbcUrl(JdbcEncrypt.FALSE, user, password, "databaseName=demo;applicationName=" + app);
  }

  /** The class-wide lab server (only when an encryption was given). */
  LabServer server() {
    if (server == null) {
      throw new IllegalStateException("no class-wide lab server: use lab(builder)");
    }
    return server;
  }

  OtlpReceiver receiver() {
    return receiver;
  }

  private static void closeAll(List<AutoCloseable> open) throws Exception {
    Exception first = null;
    for (AutoCloseable c : open) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    open.clear();
    if (first != null) {
      throw first;
    }
  }
}
