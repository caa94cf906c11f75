package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.agent.instrumentation.calls.DriverCallHooks;
import io.tdsagent.agent.instrumentation.weave.Hook;
import io.tdsagent.agent.instrumentation.weave.HookWeaver;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Taps mssql-jdbc's {@code TDSChannel}, the one place every plaintext TDS byte passes (see the
 * driver hook-point notes), and follows its connect and API calls. The class is checked before it
 * is touched: if any required hook's signature does not match this driver version, the agent says
 * so once and leaves the class alone.
 *
 * <p>The byte hooks call {@code io.tdsagent.bridge.TdsBridge}, which any class loader sees (the
 * agent puts it on the bootstrap path when the driver's loader cannot see the agent's jar); the
 * others ({@link MssqlJdbcHooks}, {@code DriverCallHooks}) name the agent's classes and are woven
 * only where the driver's loader sees them. Calls only, no new member: the classes can be
 * retransformed after an attach, and restored at detach.
 */
public final class MssqlJdbcInstrumentation {
  public static final String TDS_CHANNEL = "com.microsoft.sqlserver.jdbc.TDSChannel";
  public static final String CONNECTION = "com.microsoft.sqlserver.jdbc.SQLServerConnection";

  /** Where rows and further results are read after the command returned. */
  public static final String RESULT_SET = "com.microsoft.sqlserver.jdbc.SQLServerResultSet";

  public static final String STATEMENT = "com.microsoft.sqlserver.jdbc.SQLServerStatement";
  public static final String SOCKET_CONNECTOR = "com.microsoft.sqlserver.jdbc.SocketConnector";
  public static final String SOCKET_FINDER = "com.microsoft.sqlserver.jdbc.SocketFinder";

  private static final String B = "io/tdsagent/bridge/TdsBridge";
  private static final String H = "io/tdsagent/agent/instrumentation/mssqljdbc/MssqlJdbcHooks";
  private static final String O = "Ljava/lang/Object;";
  private static final String T = "Ljava/lang/Throwable;";

  private MssqlJdbcInstrumentation() {}

  static final HookWeaver CHANNEL =
      new HookWeaver(
          "mssql-jdbc",
          "TDSChannel",
          List.of(
              Hook.required("read(byte[],int,int)", "read", "[BII", true, "I")
                  .onReturn(
                      B, "readReturned", "(I" + O + "[BI)V", "return", "this", "arg0", "arg1"),
              Hook.required("write(byte[],int,int)", "write", "[BII", true, "V")
                  .onEnter(B, "write", "(" + O + "[BII)V", "this", "arg0", "arg1", "arg2"),
              // returns the connected address from 8.3 on; void before (6.x to 8.2), where the peer
              // is read from the socket
              Hook.required(
                      "open(String,int,...)",
                      "open",
                      "Ljava/lang/String;I",
                      false,
                      "Ljava/net/InetSocketAddress;",
                      "V")
                  .onEnter(B, "open", "(" + O + "Ljava/lang/String;I)V", "this", "arg0", "arg1")
                  .onReturn(B, "openReturned", "(" + O + O + ")V", "return", "this")
                  .onThrow(B, "openThrew", "(" + T + O + ")V", "thrown", "this"),
              // Under TDS 8 strict (enableSSL's last parameter from 11.1.2 on) the handshake runs
              // straight on TCP, before
              // PRELOGIN, and never passes through read/write: this bracket is its only witness.
              Hook.required("enableSSL(String,int,...)", "enableSSL", "Ljava/lang/String;I", false)
                  .onEnter(B, "tlsStarting", "(" + O + "Z)V", "this", "tds8")
                  .onReturn(B, "tlsReturned", "(" + O + ")V", "this")
                  .onThrow(B, "tlsThrew", "(" + T + O + ")V", "thrown", "this"),
              Hook.required("close()", "close", "", true, "V")
                  .onEnter(B, "close", "(" + O + ")V", "this")),
          Map.of());

  /** Client-side failures: only their reason is lost if these do not fit. */
  private static final List<Hook> FAILURE_HOOKS =
      List.of(
          Hook.required(
                  "terminate(int,String,Throwable)", "terminate", "ILjava/lang/String;" + T, true)
              .onEnter(
                  B,
                  "terminate",
                  "(" + O + "Ljava/lang/String;" + T + ")V",
                  "field:tdsChannel",
                  "arg1",
                  "arg2"),
          // client-side failures that do not pass through terminate (e.g. Kerberos: no service
          // ticket for the SPN) are
          // thrown from here, before the driver closes the attempt's channel
          Hook.optional(new String[] {"connectHelper"}, "", false)
              .onThrow(B, "connectHelperThrew", "(" + T + O + ")V", "thrown", "field:tdsChannel"));

  /**
   * getConnection (each attempt numbered and linked; the application's outcome) and every command's
   * execution.
   */
  private static final List<Hook> CALL_HOOKS =
      List.of(
          Hook.optional(
                  new String[] {"connect"},
                  "Ljava/util/Properties;Lcom/microsoft/sqlserver/jdbc/SQLServerPooledConnection;",
                  true)
              .onEnter(H, "connectEntered", "()V")
              .onReturn(H, "connectReturned", "()V")
              .onThrow(H, "connectThrew", "(" + T + ")V", "thrown"),
          DriverCallHooks.followed(
              Hook.optional(
                  new String[] {"executeCommand"},
                  "Lcom/microsoft/sqlserver/jdbc/TDSCommand;",
                  true)));

  private static final Map<String, String> CONNECTION_FIELDS =
      Map.of("tdsChannel", "Lcom/microsoft/sqlserver/jdbc/TDSChannel;");

  static final HookWeaver CONNECTION_ALL =
      new HookWeaver(
          "mssql-jdbc",
          "SQLServerConnection",
          concat(FAILURE_HOOKS, CALL_HOOKS),
          CONNECTION_FIELDS);
  static final HookWeaver CONNECTION_FAILURES =
      new HookWeaver("mssql-jdbc", "SQLServerConnection", FAILURE_HOOKS, CONNECTION_FIELDS);
  static final HookWeaver CONNECTION_CALLS =
      new HookWeaver("mssql-jdbc", "SQLServerConnection", CALL_HOOKS, Map.of());

  static final HookWeaver READS =
      new HookWeaver(
          "mssql-jdbc",
          "result reads",
          List.of(
              DriverCallHooks.followed(Hook.optional(new String[] {"next"}, "", true)),
              DriverCallHooks.followed(Hook.optional(new String[] {"getMoreResults"}, "", false))),
          Map.of());

  /**
   * The sockets of a connect raced over several addresses ({@code multiSubnetFailover}, later
   * {@code transparentNetworkIPResolution} attempts). If these do not fit, the attempt shows one
   * tcp connect.
   */
  static final HookWeaver CONNECTOR =
      new HookWeaver(
          "mssql-jdbc",
          "SocketConnector",
          List.of(
              Hook.required("run()", "run", "", true, "V")
                  .onEnter(H, "raceConnectStarting", "()V")
                  .onReturn(
                      H,
                      "raceConnectEnded",
                      "(" + O + O + O + ")V",
                      "field:socketFinder",
                      "field:inetSocketAddress",
                      "field:socket")
                  .onThrow(
                      H,
                      "raceConnectThrew",
                      "(" + T + O + O + O + ")V",
                      "thrown",
                      "field:socketFinder",
                      "field:inetSocketAddress",
                      "field:socket")),
          fields("socketFinder", "inetSocketAddress", "socket"));

  static final HookWeaver FINDER =
      new HookWeaver(
          "mssql-jdbc",
          "SocketFinder",
          List.of(
              Hook.required(
                      "updateResult(Socket,IOException,String)",
                      "updateResult",
                      "Ljava/net/Socket;Ljava/io/IOException;Ljava/lang/String;",
                      true)
                  .onEnter(H, "raceOutcome", "(" + O + ")V", "arg1"),
              Hook.optional(
                      new String[] {"getConnectedSocket"}, "Ljava/net/InetSocketAddress;I", true)
                  .onEnter(H, "connectAddress", "(" + O + O + ")V", "this", "arg0")),
          fields("conn", "selectedSocket"));

  private static Map<String, String> fields(String... names) {
    Map<String, String> f = new HashMap<>();
    for (String n : names) {
      f.put(n, null); // any type: only their presence is checked
    }
    return f;
  }

  private static List<Hook> concat(List<Hook> a, List<Hook> b) {
    List<Hook> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** The woven TDSChannel, or null when this driver version does not fit (said once in the log). */
  public static byte[] weaveChannel(byte[] bytes, ProtectionDomain domain) {
    return CHANNEL.weave(bytes, domain);
  }

  /**
   * SQLServerConnection: the failure hooks where they fit (else only the call hooks, silently), the
   * call hooks only where the driver's loader sees the agent's classes ({@code agentVisible}).
   */
  public static byte[] weaveConnection(
      byte[] bytes, ProtectionDomain domain, boolean agentVisible) {
    // The call hooks are all optional: whatever is missing is the failure hooks'.
    List<String> missing = new ArrayList<>();
    byte[] woven =
        (agentVisible ? CONNECTION_ALL : CONNECTION_FAILURES).weave(bytes, domain, missing);
    if (missing.isEmpty() || !agentVisible) {
      return woven;
    }
    return CONNECTION_CALLS.weave(bytes, domain);
  }

  /**
   * The optional classes (result reads, raced connects): woven when they fit, else left alone
   * without a word.
   */
  public static byte[] weaveOptional(String name, byte[] bytes, ProtectionDomain domain) {
    HookWeaver w =
        name.equals(SOCKET_CONNECTOR) ? CONNECTOR : name.equals(SOCKET_FINDER) ? FINDER : READS;
    return w.weave(bytes, domain, new ArrayList<>());
  }

  static List<String> missingHooks(byte[] channelClass) {
    return CHANNEL.missing(channelClass);
  }
}
