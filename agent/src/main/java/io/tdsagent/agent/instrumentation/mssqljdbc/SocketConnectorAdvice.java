package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.agent.tap.Taps;
import net.bytebuddy.asm.Advice;

/**
 * {@code SocketConnector.run()}: one address of a connect mssql-jdbc races over several addresses, on a pool thread;
 * its outcome was handed to {@code SocketFinder.updateResult} just before this exit.
 */
public final class SocketConnectorAdvice {
  private SocketConnectorAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static long enter() {
    return System.nanoTime();
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter long startNanos,
      @Advice.FieldValue("socketFinder") Object finder,
      @Advice.FieldValue("inetSocketAddress") Object address,
      @Advice.FieldValue("socket") Object socket) {
    Taps.parallelConnectEnded(finder, address, socket, startNanos);
  }
}
