package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.agent.tap.Taps;
import net.bytebuddy.asm.Advice;

/**
 * {@code SQLServerConnection.connect(Properties, SQLServerPooledConnection)}: one request for a connection, around
 * every attempt the driver makes for it (addresses, retries, redirects). The clock is read first, here, so the first
 * login span starts when the application asked.
 */
public final class ConnectAdvice {
  private ConnectAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static boolean enter() {
    return Taps.connectStarting(System.nanoTime());
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(@Advice.Enter boolean began) {
    Taps.connectEnded(began);
  }
}
