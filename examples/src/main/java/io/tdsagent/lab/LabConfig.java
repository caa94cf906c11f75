package io.tdsagent.lab;

import io.tdsagent.lab.login.Authenticator;
import io.tdsagent.lab.sql.QueryRouter;
import io.tdsagent.lab.tls.SelfSignedCertificate;
import java.util.List;

/** Everything a lab server runs with; made by {@link LabServer.Builder}. */
public final class LabConfig {
  final int port;
  final List<String> databases;
  final List<String> loginNames;
  final Encryption encryption;
  final int versionMajor;
  final int versionMinor;
  final int versionBuild;
  final String programName;
  final String serverName;
  final String instanceName;
  final String versionBanner;
  final Authenticator authenticator;
  final QueryRouter router;
  final StepHook hook;
  final SelfSignedCertificate certificate;
  final int maxMessageBytes;
  final boolean mars;
  final java.time.Duration marsWindowHold;
  final Faults faults;

  LabConfig(
      int port,
      List<String> databases,
      List<String> loginNames,
      Encryption encryption,
      int versionMajor,
      int versionMinor,
      int versionBuild,
      String programName,
      String serverName,
      String instanceName,
      String versionBanner,
      Authenticator authenticator,
      QueryRouter router,
      StepHook hook,
      SelfSignedCertificate certificate,
      int maxMessageBytes,
      boolean mars,
      java.time.Duration marsWindowHold,
      Faults faults) {
    this.port = port;
    this.databases = List.copyOf(databases);
    this.loginNames = List.copyOf(loginNames);
    this.encryption = encryption;
    this.versionMajor = versionMajor;
    this.versionMinor = versionMinor;
    this.versionBuild = versionBuild;
    this.programName = programName;
    this.serverName = serverName;
    this.instanceName = instanceName;
    this.versionBanner = versionBanner;
    this.authenticator = authenticator;
    this.router = router;
    this.hook = hook;
    this.certificate = certificate;
    this.maxMessageBytes = maxMessageBytes;
    this.mars = mars;
    this.marsWindowHold = marsWindowHold;
    this.faults = faults;
  }

  public int port() {
    return port;
  }

  public List<String> databases() {
    return databases;
  }

  public String defaultDatabase() {
    return databases.get(0);
  }

  public List<String> loginNames() {
    return loginNames;
  }

  public Encryption encryption() {
    return encryption;
  }

  public int versionMajor() {
    return versionMajor;
  }

  public int versionMinor() {
    return versionMinor;
  }

  public int versionBuild() {
    return versionBuild;
  }

  public String programName() {
    return programName;
  }

  public String serverName() {
    return serverName;
  }

  public String instanceName() {
    return instanceName;
  }

  public String versionBanner() {
    return versionBanner;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public QueryRouter router() {
    return router;
  }

  public StepHook hook() {
    return hook;
  }

  public SelfSignedCertificate certificate() {
    return certificate;
  }

  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /** Whether the server agrees to MARS when a client's PRELOGIN asks for it. */
  public boolean mars() {
    return mars;
  }

  /** How long each SMP ACK that reopens a client's send window is held back (zero: not at all). */
  public java.time.Duration marsWindowHold() {
    return marsWindowHold;
  }

  /** What the server does wrong on purpose (none by default). */
  public Faults faults() {
    return faults;
  }
}
