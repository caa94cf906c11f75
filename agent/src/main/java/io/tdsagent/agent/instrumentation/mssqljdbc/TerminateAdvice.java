package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.bridge.TdsBridge;
import net.bytebuddy.asm.Advice;

/**
 * {@code SQLServerConnection.terminate(int, String, Throwable)}: how the driver fails a connection
 * on its own side (no Kerberos ticket for the SPN, a JAAS error, a TLS or protocol failure). It
 * runs before the channel is closed, so the login span can say why.
 */
public final class TerminateAdvice {
  private TerminateAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(
      @Advice.FieldValue("tdsChannel") Object channel,
      @Advice.Argument(1) String message,
      @Advice.Argument(2) Throwable cause) {
    if (channel != null) {
      TdsBridge.clientError(channel, message, cause);
    }
  }
}
