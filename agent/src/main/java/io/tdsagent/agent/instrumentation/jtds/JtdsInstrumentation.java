package io.tdsagent.agent.instrumentation.jtds;

import io.tdsagent.agent.instrumentation.weave.Hook;
import io.tdsagent.agent.instrumentation.weave.HookWeaver;
import java.security.ProtectionDomain;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Taps jTDS 1.3's {@code SharedSocket}: {@code sendNetPacket} writes one whole packet and
 * {@code readPacket} returns one whole packet, both plaintext; the constructor opens the TCP
 * socket; {@code enableEncryption} runs the TLS handshake (wrapped in PRELOGIN packets straight
 * on the socket, so it is bracketed, not tapped); {@code cancel} writes its attention packet
 * straight to the socket, so the tap is told of it. The calls woven in only hand over to {@link JtdsHooks}.
 */
public final class JtdsInstrumentation {
  public static final String SHARED_SOCKET = "net.sourceforge.jtds.jdbc.SharedSocket";

  private static final String H = "io/tdsagent/agent/instrumentation/jtds/JtdsHooks";
  private static final String O = "Ljava/lang/Object;";
  private static final String VS = "Lnet/sourceforge/jtds/jdbc/SharedSocket$VirtualSocket;";

  private JtdsInstrumentation() {}

  public static final HookWeaver CHECK = new HookWeaver("jTDS", "SharedSocket", List.of(
      Hook.required("SharedSocket(JtdsConnection)", "<init>", "Lnet/sourceforge/jtds/jdbc/JtdsConnection;", true)
          .onEnter(H, "connecting", "()V")
          .onReturn(H, "connected", "(" + O + O + "Ljava/lang/String;ILjava/net/Socket;)V",
              "this", "arg0", "field:host", "field:port", "field:socket"),
      Hook.required("byte[] sendNetPacket(VirtualSocket,byte[])", "sendNetPacket", VS + "[B", true, "[B")
          .onEnter(H, "writePacket", "(" + O + "[B)V", "this", "arg1"),
      Hook.required("byte[] readPacket(byte[])", "readPacket", "[B", true, "[B")
          .onReturn(H, "readPacket", "([B" + O + ")V", "return", "this"),
      Hook.required("enableEncryption(String)", "enableEncryption", "Ljava/lang/String;", true)
          .onEnter(H, "tlsStarting", "(" + O + ")V", "this")
          .onReturn(H, "tlsFinished", "(" + O + ")V", "this")
          .onThrow(H, "tlsFailed", "(Ljava/lang/Throwable;" + O + ")V", "thrown", "this"),
      Hook.required("boolean cancel(VirtualSocket)", "cancel", VS, true, "Z")
          .onReturn(H, "cancelled", "(Z" + O + ")V", "return", "this"),
      Hook.optional(new String[] {"close", "forceClose"}, "", true)
          .onEnter(H, "close", "(" + O + ")V", "this")),
      fields());

  private static Map<String, String> fields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("socket", "Ljava/net/Socket;");
    f.put("host", "Ljava/lang/String;");
    f.put("port", "I");
    return f;
  }

  /** The woven SharedSocket, or null when this driver version does not fit (said once in the log). */
  public static byte[] weave(byte[] bytes, ProtectionDomain domain) {
    return CHECK.weave(bytes, domain);
  }
}
