package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.agent.instrumentation.weave.Hook;
import io.tdsagent.agent.instrumentation.weave.HookWeaver;
import java.util.List;
import java.util.Map;

/**
 * Taps mssql-jdbc's {@code TDSChannel}, the one place every plaintext TDS byte passes (see the
 * driver hook-point notes). The class is checked before it is touched: if any hook's signature
 * does not match this driver version, the agent says so once and leaves the class alone. The calls
 * woven in only hand over to {@link MssqlJdbcHooks}.
 */
public final class MssqlJdbcInstrumentation {
  public static final String TDS_CHANNEL = "com.microsoft.sqlserver.jdbc.TDSChannel";
  public static final String CONNECTION = "com.microsoft.sqlserver.jdbc.SQLServerConnection";

  private static final String H = "io/tdsagent/agent/instrumentation/mssqljdbc/MssqlJdbcHooks";
  private static final String O = "Ljava/lang/Object;";
  private static final String T = "Ljava/lang/Throwable;";

  private MssqlJdbcInstrumentation() {}

  /** Advice only, no new member: the class can be retransformed after an attach, and restored at detach. */
  static final HookWeaver CHANNEL = new HookWeaver("mssql-jdbc", "TDSChannel", List.of(
      Hook.required("read(byte[],int,int)", "read", "[BII", true, "I")
          .onReturn(H, "read", "(I" + O + "[BI)V", "return", "this", "arg0", "arg1"),
      Hook.required("write(byte[],int,int)", "write", "[BII", true, "V")
          .onEnter(H, "write", "(" + O + "[BII)V", "this", "arg0", "arg1", "arg2"),
      // returns the connected address from 8.3 on; void before (6.x to 8.2), where the peer is read from the socket
      Hook.required("open(String,int,...)", "open", "Ljava/lang/String;I", false, "Ljava/net/InetSocketAddress;", "V")
          .onEnter(H, "open", "(" + O + "Ljava/lang/String;I)V", "this", "arg0", "arg1")
          .onReturn(H, "opened", "(" + O + O + ")V", "return", "this")
          .onThrow(H, "openFailed", "(" + T + O + ")V", "thrown", "this"),
      Hook.required("enableSSL(String,int,...)", "enableSSL", "Ljava/lang/String;I", false)
          .onEnter(H, "tlsStarting", "(" + O + "Z)V", "this", "tds8")
          .onReturn(H, "tlsFinished", "(" + O + ")V", "this")
          .onThrow(H, "tlsFailed", "(" + T + O + ")V", "thrown", "this"),
      Hook.required("close()", "close", "", true, "V")
          .onEnter(H, "close", "(" + O + ")V", "this")),
      Map.of());

  /** Optional: only the reason of client-side failures is lost if it does not fit. */
  static final HookWeaver CONNECTION_HOOKS = new HookWeaver("mssql-jdbc", "SQLServerConnection", List.of(
      Hook.required("terminate(int,String,Throwable)", "terminate", "ILjava/lang/String;" + T, true)
          .onEnter(H, "terminate", "(" + O + "Ljava/lang/String;" + T + ")V", "field:tdsChannel", "arg1", "arg2"),
      // client-side failures that do not pass through terminate (e.g. Kerberos: no service ticket for the SPN) are
      // thrown from here, before the driver closes the attempt's channel
      Hook.optional(new String[] {"connectHelper"}, "", false)
          .onThrow(H, "connectFailed", "(" + T + O + ")V", "thrown", "field:tdsChannel")),
      Map.of("tdsChannel", "Lcom/microsoft/sqlserver/jdbc/TDSChannel;"));

  /** The woven TDSChannel, or null when this driver version does not fit (said once in the log). */
  public static byte[] weaveChannel(byte[] bytes, java.security.ProtectionDomain domain) {
    return CHANNEL.weave(bytes, domain);
  }

  public static byte[] weaveConnection(byte[] bytes, java.security.ProtectionDomain domain) {
    return CONNECTION_HOOKS.weave(bytes, domain);
  }

  static List<String> missingHooks(byte[] channelClass) {
    return CHANNEL.missing(channelClass);
  }
}
