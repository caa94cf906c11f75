package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.bridge.TdsBridge;
import net.bytebuddy.asm.Advice;

/**
 * {@code SQLServerConnection.connectHelper(...)} ending with an exception: client-side failures
 * that do not pass through {@code terminate} (e.g. Kerberos: no service ticket for the SPN) are
 * thrown from here, before the driver closes the attempt's channel.
 */
public final class ConnectFailureAdvice {
  private ConnectFailureAdvice() {}

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.FieldValue("tdsChannel") Object channel,
      @Advice.Thrown Throwable thrown) {
    if (channel != null && thrown != null) {
      TdsBridge.clientError(channel, thrown.getMessage(), thrown.getCause() != null ? thrown.getCause() : thrown);
    }
  }
}
