package io.tdsagent.agent.instrumentation.jtds;

import io.tdsagent.agent.instrumentation.calls.DriverCallHooks;
import io.tdsagent.agent.instrumentation.weave.Hook;
import io.tdsagent.agent.instrumentation.weave.HookWeaver;
import java.security.ProtectionDomain;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Taps jTDS 1.3's {@code SharedSocket}: {@code sendNetPacket} writes one whole packet and {@code
 * readPacket} returns one whole packet, both plaintext; the constructor opens the TCP socket;
 * {@code enableEncryption} runs the TLS handshake (wrapped in PRELOGIN packets straight on the
 * socket, so it is bracketed, not tapped); {@code cancel} writes its attention packet straight to
 * the socket, so the tap is told of it. Those calls go to {@code io.tdsagent.bridge.TdsBridge},
 * which any class loader sees; the API calls whose outcome the application sees ({@link
 * #CALL_CLASSES}) go to {@code DriverCallHooks}, woven only where the driver's loader sees the
 * agent.
 */
public final class JtdsInstrumentation {
  public static final String SHARED_SOCKET = "net.sourceforge.jtds.jdbc.SharedSocket";
  public static final String DRIVER = "net.sourceforge.jtds.jdbc.Driver";

  /** getConnection, statement execution, reading rows and further results. */
  public static final Set<String> CALL_CLASSES =
      Set.of(
          DRIVER,
          "net.sourceforge.jtds.jdbc.JtdsStatement",
          "net.sourceforge.jtds.jdbc.JtdsPreparedStatement",
          "net.sourceforge.jtds.jdbc.JtdsResultSet",
          "net.sourceforge.jtds.jdbc.CachedResultSet",
          "net.sourceforge.jtds.jdbc.MSCursorResultSet");

  private static final String B = "io/tdsagent/bridge/TdsBridge";
  private static final String C = "io/tdsagent/agent/instrumentation/calls/DriverCallHooks";
  private static final String O = "Ljava/lang/Object;";
  private static final String T = "Ljava/lang/Throwable;";
  private static final String VS = "Lnet/sourceforge/jtds/jdbc/SharedSocket$VirtualSocket;";

  private JtdsInstrumentation() {}

  public static final HookWeaver CHECK =
      new HookWeaver(
          "jTDS",
          "SharedSocket",
          List.of(
              Hook.required(
                      "SharedSocket(JtdsConnection)",
                      "<init>",
                      "Lnet/sourceforge/jtds/jdbc/JtdsConnection;",
                      true)
                  .onEnter(B, "connecting", "()V")
                  .onReturn(
                      B,
                      "connected",
                      "(" + O + O + "Ljava/lang/String;ILjava/net/Socket;)V",
                      "this",
                      "arg0",
                      "field:host",
                      "field:port",
                      "field:socket"),
              Hook.required(
                      "byte[] sendNetPacket(VirtualSocket,byte[])",
                      "sendNetPacket",
                      VS + "[B",
                      true,
                      "[B")
                  .onEnter(B, "writePacket", "(" + O + "[B)V", "this", "arg1"),
              // jTDS never reads the socket again after an exception here: the tap ends with it
              Hook.required("byte[] readPacket(byte[])", "readPacket", "[B", true, "[B")
                  .onReturn(B, "readPacketReturned", "([B" + O + ")V", "return", "this")
                  .onThrow(B, "readPacketThrew", "(" + T + O + ")V", "thrown", "this"),
              Hook.required(
                      "enableEncryption(String)", "enableEncryption", "Ljava/lang/String;", true)
                  .onEnter(B, "tlsStarting", "(" + O + ")V", "this")
                  .onReturn(B, "tlsReturned", "(" + O + ")V", "this")
                  .onThrow(B, "tlsThrew", "(" + T + O + ")V", "thrown", "this"),
              Hook.required("boolean cancel(VirtualSocket)", "cancel", VS, true, "Z")
                  .onReturn(B, "cancelReturned", "(Z" + O + ")V", "return", "this"),
              Hook.optional(new String[] {"close", "forceClose"}, "", true)
                  .onEnter(B, "close", "(" + O + ")V", "this")),
          fields());

  static final HookWeaver CONNECT =
      new HookWeaver(
          "jTDS",
          "Driver",
          List.of(
              Hook.optional(
                      new String[] {"connect"}, "Ljava/lang/String;Ljava/util/Properties;", true)
                  .onEnter(C, "connectEntered", "()V")
                  .onReturn(C, "connectReturned", "()V")
                  .onThrow(C, "connectThrew", "(" + T + ")V", "thrown")),
          Map.of());

  static final HookWeaver CALLS =
      new HookWeaver(
          "jTDS",
          "statements and result sets",
          List.of(
              DriverCallHooks.followed(Hook.optionalPublicPrefix("execute")),
              DriverCallHooks.followed(Hook.optional(new String[] {"getMoreResults"}, "", false)),
              DriverCallHooks.followed(Hook.optional(new String[] {"next"}, "", true))),
          Map.of());

  private static Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("socket", "Ljava/net/Socket;");
    f.put("host", "Ljava/lang/String;");
    f.put("port", "I");
    return f;
  }

  /**
   * The woven SharedSocket, or null when this driver version does not fit (said once in the log).
   */
  public static byte[] weave(byte[] bytes, ProtectionDomain domain) {
    return CHECK.weave(bytes, domain);
  }

  /**
   * The API classes: a method that does not fit is simply not followed (only the application's
   * outcome is lost).
   */
  public static byte[] weaveCalls(String name, byte[] bytes, ProtectionDomain domain) {
    return (DRIVER.equals(name) ? CONNECT : CALLS).weave(bytes, domain);
  }
}
