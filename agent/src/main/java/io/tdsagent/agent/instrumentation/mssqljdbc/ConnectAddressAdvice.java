package io.tdsagent.agent.instrumentation.mssqljdbc;

import io.tdsagent.agent.tap.Taps;
import net.bytebuddy.asm.Advice;

/**
 * {@code SocketFinder.getConnectedSocket(InetSocketAddress, int)}: the one address a connect to a single address
 * tries, known before it succeeds or fails (a refused or timed-out connect names no address otherwise).
 */
public final class ConnectAddressAdvice {
  private ConnectAddressAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  public static void enter(@Advice.This Object finder, @Advice.Argument(0) Object address) {
    Taps.connectAddress(finder, address);
  }
}
